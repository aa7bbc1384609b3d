// The knex instance comes from the project's database module: its type (knex's own declarations) says it pools.
import { reporting } from './shared/database';

export async function rebuildReports(): Promise<void> {
  await reporting.raw('SELECT pg_advisory_lock(4242)');
  await reporting('report_rows').truncate();
  await reporting.raw('SELECT pg_advisory_unlock(4242)');
}
