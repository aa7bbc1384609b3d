import { sql } from 'slonik';

// The holes of an sql template are values: this UPDATE touches one row.
export async function up(pool, id: string, tenantId: string, event: string) {
  await pool.query(sql`update hooks set event = ${event} where id = ${id} and tenant_id = ${tenantId}`);
}
