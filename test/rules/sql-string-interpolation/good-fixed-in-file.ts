import { QueryInterface } from 'sequelize';
import { FACT_DEVICE_ID, LOCATION_BOOKABLE_VIEW } from '@tamanu/constants';

const SELF_REFERENCING_FKS = [
  { table: 'invoice_payments', column: 'original_payment_id' },
  { table: 'tasks', column: 'parent_task_id' },
];
const INDEXES: [name: string, definition: string][] = [['tasks_parent_idx', 'ON tasks (parent_task_id)']];
const MISSING_UPDATED_AT = ['invoices', 'invoice_items'];
const ALL_TABLES = ['ai_documents', ...MISSING_UPDATED_AT];

function columnsFor(table: string): string[] {
  return MISSING_UPDATED_AT.includes(table) ? ['updated_at'] : ['created_at', 'updated_at'];
}

export async function up(query: QueryInterface): Promise<void> {
  // Values fixed in the file: a let that is only ever given literals, destructured loops over constant arrays,
  // and constants imported from the project's own modules.
  let tableName = 'group_users';
  await query.sequelize.query(`ALTER TABLE "${tableName}" DROP CONSTRAINT "${tableName}_groupId_fkey"`);
  tableName = 'collection_groups';
  await query.sequelize.query(`ALTER TABLE "${tableName}" DROP CONSTRAINT "${tableName}_groupId_fkey"`);
  for (const { table, column } of SELF_REFERENCING_FKS) {
    await query.sequelize.query(`ALTER TABLE ${table} ADD FOREIGN KEY (${column}) REFERENCES ${table} (id)`);
  }
  for (const [name, definition] of INDEXES) {
    await query.sequelize.query(`CREATE INDEX IF NOT EXISTS ${name} ${definition}`);
  }
  await query.sequelize.query(`SELECT local_system_fact('${FACT_DEVICE_ID}', 'unknown')`);
  for (const table of ALL_TABLES) {
    for (const column of columnsFor(table)) {
      await query.sequelize.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" SET DEFAULT now()`);
    }
  }
  await query.sequelize.query(`UPDATE location_groups SET is_bookable = '${LOCATION_BOOKABLE_VIEW.ALL}'`);
}
