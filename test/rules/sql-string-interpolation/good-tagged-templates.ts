import { sql } from 'slonik';

export async function rename(pool, tenantId: string, name: string) {
  await pool.query(sql`UPDATE tenants SET name = ${name} WHERE id = ${tenantId}`);
  await pool.query(sql`SELECT * FROM ${sql.identifier(['public', name])}`);
}
