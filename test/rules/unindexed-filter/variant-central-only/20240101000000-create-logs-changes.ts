import { QueryInterface } from 'sequelize';

export async function up(query: QueryInterface): Promise<void> {
  await query.sequelize.query(`
    CREATE SCHEMA logs;
    CREATE TABLE logs.changes (
      id uuid PRIMARY KEY,
      table_name text NOT NULL,
      record_id text NOT NULL,
      updated_at_sync_tick bigint NOT NULL
    );
  `);
}

export async function down(): Promise<void> {}
