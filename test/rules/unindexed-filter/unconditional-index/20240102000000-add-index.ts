import { QueryInterface } from 'sequelize';

export async function up(query: QueryInterface): Promise<void> {
  await query.addIndex({ tableName: 'changes', schema: 'logs' }, ['table_name', 'updated_at_sync_tick'], {
    name: 'logs_changes_table_name_idx',
  });
}

export async function down(query: QueryInterface): Promise<void> {
  await query.removeIndex({ tableName: 'changes', schema: 'logs' }, 'logs_changes_table_name_idx');
}
