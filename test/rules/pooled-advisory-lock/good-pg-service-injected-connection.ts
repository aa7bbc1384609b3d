// The same service given one checked-out connection (the project's alias of pg's PoolClient): the lock and the
// unlock run on it.
import type { Connection } from './shared/database';

export class SyncService {
  private readonly connection: Connection;

  constructor(connection: Connection) {
    this.connection = connection;
  }

  async resync(): Promise<void> {
    await this.connection.query('SELECT pg_advisory_lock(7)');
    try {
      await this.connection.query('DELETE FROM sync_lookup WHERE synced_at IS NULL');
    } finally {
      await this.connection.query('SELECT pg_advisory_unlock(7)');
    }
  }
}
