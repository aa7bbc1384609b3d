import { annotatedRunner } from './annotated';

/**
 * sql-migrate runs the `-- +migrate Up` section on `sql-migrate up` and `-- +migrate Down` on `down`, each in
 * a transaction unless its marker line says `notransaction`. `StatementBegin`/`StatementEnd` mark statements
 * with semicolons inside for its splitter, as goose's do.
 */
export const sqlMigrate = annotatedRunner({
  id: 'sql-migrate',
  name: 'sql-migrate',
  docs: 'https://github.com/rubenv/sql-migrate#writing-migrations',
  packages: ['github.com/rubenv/sql-migrate'],
  withoutTransaction: 'statements',
  up: /^\s*\+migrate\s+up\b/i,
  down: /^\s*\+migrate\s+down\b/i,
  noTransaction: { scope: 'section', option: /\bnotransaction\b/i, suffix: ' notransaction' },
});
