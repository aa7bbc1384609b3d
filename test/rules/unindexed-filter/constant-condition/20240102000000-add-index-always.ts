import { QueryInterface } from 'sequelize';

const ADD_SYNC_INDEXES = true;

// A constant condition is no condition: the index exists on every server.
export async function up(query: QueryInterface): Promise<void> {
  if (true) {
    await query.addIndex({ tableName: 'changes', schema: 'logs' }, ['table_name'], { name: 'logs_changes_table_name_idx' });
  }
  if (ADD_SYNC_INDEXES) {
    await query.addIndex({ tableName: 'changes', schema: 'logs' }, ['record_id'], { name: 'logs_changes_record_id_idx' });
  }
}

export async function down(): Promise<void> {}
