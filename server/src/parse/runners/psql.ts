import type { MigrationRunner } from './runner';

/**
 * A .sql file run as one script (`psql -f`, or a runner that sends the file as it is): psql without `-1`
 * runs each statement on its own unless the script says BEGIN; with `-1` (and most runners) the file is
 * one transaction. Which of the two cannot be told from the file, so a file without another runner's
 * annotations keeps the directory's `transaction` setting (`per-migration` by default).
 */
export const psql: MigrationRunner = {
  id: 'psql',
  name: 'psql',
  docs: 'https://www.postgresql.org/docs/current/app-psql.html',
  packages: [],
  wrapping: 'transaction',
  withoutTransaction: 'statements',
  definiteTransaction: false,
  recognise: () => undefined,
  units: () => [],
  noTransactionSwitch: () => undefined,
};
