import config from 'config';
import { QueryInterface } from 'sequelize';

// The Tamanu incident: the index exists on central servers only.
export async function up(query: QueryInterface): Promise<void> {
  const { serverType } = config as { serverType: string };
  if (serverType === 'central') {
    await query.addIndex({ tableName: 'changes', schema: 'logs' }, ['table_name', 'updated_at_sync_tick'], {
      name: 'logs_changes_table_name_idx',
    });
  }
}

export async function down(query: QueryInterface): Promise<void> {
  await query.removeIndex({ tableName: 'changes', schema: 'logs' }, 'logs_changes_table_name_idx');
}
