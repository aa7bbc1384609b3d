import { annotatedRunner } from './annotated';

/**
 * dbmate runs the `-- migrate:up` section on `dbmate up` and `-- migrate:down` on rollback, each in a
 * transaction unless its marker line carries `transaction:false`. Either way it sends the whole section with one
 * `Exec` (pkg/dbmate/db.go: `tx.Exec(migrationSection.Up)`), so a `transaction:false` section of several
 * statements is still one implicit transaction block: CONCURRENTLY works there only alone.
 */
export const dbmate = annotatedRunner({
  id: 'dbmate',
  name: 'dbmate',
  docs: 'https://github.com/amacneil/dbmate#creating-migrations',
  packages: ['github.com/amacneil/dbmate', 'dbmate'],
  withoutTransaction: 'one-query',
  up: /^\s*migrate:up\b/i,
  down: /^\s*migrate:down\b/i,
  noTransaction: { scope: 'section', option: /\btransaction:\s*false\b/i, suffix: ' transaction:false' },
});
