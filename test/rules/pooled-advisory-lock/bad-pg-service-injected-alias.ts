// A service whose pool is injected by its constructor, typed by the project's own alias of pg's Pool.
import type { Database } from './shared/database';

export class SyncService {
  constructor(private readonly database: Database) {}

  async resync(): Promise<void> {
    await this.database.query('SELECT pg_advisory_lock(7)');
    try {
      await this.database.query('DELETE FROM sync_lookup WHERE synced_at IS NULL');
    } finally {
      await this.database.query('SELECT pg_advisory_unlock(7)');
    }
  }
}
