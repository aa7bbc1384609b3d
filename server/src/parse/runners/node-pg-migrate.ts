import { annotatedRunner } from './annotated';

/**
 * node-pg-migrate's SQL migrations keep both directions in one file: it finds the first comment line starting
 * `Up Migration` and `Down Migration` (any case, `--[\s-]*` before it) and turns each part into a `pgm.sql(...)`
 * of an `up`/`down` it runs in a transaction as it runs its JS migrations; an SQL file has no way to call
 * `pgm.noTransaction()`, so there is no switch to offer.
 */
export const nodePgMigrate = annotatedRunner({
  id: 'node-pg-migrate',
  name: 'node-pg-migrate',
  docs: 'https://app.unpkg.com/node-pg-migrate@8.0.4/files/dist/legacy/sqlMigration.js',
  packages: ['node-pg-migrate'],
  withoutTransaction: 'statements',
  up: /^[\s-]*up\s+migration/i,
  down: /^[\s-]*down\s+migration/i,
});
