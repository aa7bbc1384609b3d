// A helper given one knex transaction (the project's alias of Knex.Transaction): a transaction-level lock on it.
import { reporting, type ReportingTransaction } from './shared/database';

async function rebuild(trx: ReportingTransaction): Promise<void> {
  await trx.raw('SELECT pg_advisory_lock(4242)');
  await trx('report_rows').delete();
  await trx.raw('SELECT pg_advisory_unlock(4242)');
}

export async function rebuildReports(): Promise<void> {
  await reporting.transaction(rebuild);
}
