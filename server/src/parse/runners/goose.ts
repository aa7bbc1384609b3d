import { annotatedRunner } from './annotated';

/**
 * goose runs the `-- +goose Up` section of a .sql file on `goose up` and the `-- +goose Down` section on
 * `goose down`, each in a transaction of its own, unless the file says `-- +goose NO TRANSACTION` — then both
 * sections run statement by statement outside any transaction. `StatementBegin`/`StatementEnd` only tell
 * goose's splitter where a statement with semicolons inside ends; the PostgreSQL parser reads those
 * statements whole anyway.
 */
export const goose = annotatedRunner({
  id: 'goose',
  name: 'goose',
  docs: 'https://pressly.github.io/goose/blog/2022/overview-sql-file/',
  packages: ['github.com/pressly/goose'],
  withoutTransaction: 'statements',
  up: /^\s*\+goose\s+up\b/i,
  down: /^\s*\+goose\s+down\b/i,
  noTransaction: { scope: 'file', comment: /^\s*\+goose\s+no\s+transaction\b/i, line: '-- +goose NO TRANSACTION' },
});
