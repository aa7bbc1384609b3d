// A service that assembles its statements in helpers of another module: the statements sent are not in this
// file, so the lint cannot check them and says so once.
import { Pool } from 'pg';
import { archiveStatement, purgeStatement } from './statements';

export class RetentionJob {
  constructor(private readonly pool: Pool) {}

  async run(cutoff: Date): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(archiveStatement('events', cutoff));
      await client.query({ text: purgeStatement('events'), values: [cutoff] });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
}
