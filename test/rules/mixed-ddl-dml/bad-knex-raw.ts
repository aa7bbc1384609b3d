import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('DELETE FROM sync_lookup WHERE record_type = ?', ['patient']);
  await knex.raw(`ALTER TABLE sync_lookup DROP COLUMN legacy_key`);
}

export async function down(): Promise<void> {}
