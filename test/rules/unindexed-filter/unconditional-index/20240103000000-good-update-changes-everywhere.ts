import { QueryInterface } from 'sequelize';

// Runs on every server; only central ones have an index on table_name.
export async function up(query: QueryInterface): Promise<void> {
  await query.sequelize.query(`UPDATE logs.changes SET record_id = lower(record_id) WHERE table_name = 'patients'`);
}

export async function down(): Promise<void> {}
