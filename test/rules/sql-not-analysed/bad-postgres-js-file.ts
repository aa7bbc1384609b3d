// A seed job that runs a SQL file through postgres-js: the statements are in seed/demo.sql, not here.
import postgres from 'postgres';

export class DemoSeeder {
  private readonly client = postgres(process.env.DATABASE_URL!, { max: 1 });

  async seed(): Promise<void> {
    await this.client.file('seed/demo.sql');
    await this.client.end();
  }
}
