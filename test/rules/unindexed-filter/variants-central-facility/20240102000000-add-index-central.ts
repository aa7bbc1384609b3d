import { QueryInterface } from 'sequelize';

// An early return decides as much as an if around the call: the index is built where SERVER_TYPE is central.
export async function up(query: QueryInterface): Promise<void> {
  if (process.env.SERVER_TYPE !== 'central') return;
  await query.addIndex({ tableName: 'changes', schema: 'logs' }, ['table_name', 'updated_at_sync_tick'], {
    name: 'logs_changes_table_name_idx',
  });
}

export async function down(): Promise<void> {}
