import { annotatedRunner } from './annotated';

/**
 * A Liquibase formatted SQL changelog (`--liquibase formatted sql`) is a list of changesets, each opened by
 * `--changeset author:id [attributes]` and run in a transaction of its own unless it says
 * `runInTransaction:false`; its statements are split on `;` and sent one by one (`splitStatements`, default true).
 * The `--rollback` lines are comments to the SQL parser: the rollback SQL is not linted.
 */
export const liquibase = annotatedRunner({
  id: 'liquibase',
  name: 'Liquibase',
  docs: 'https://docs.liquibase.com/concepts/changelogs/sql-format.html',
  packages: ['org.liquibase', 'liquibase'],
  withoutTransaction: 'statements',
  up: /^\s*changeset\s+\S+:\S+/i,
  noTransaction: { scope: 'section', option: /\brunInTransaction:\s*false\b/i, suffix: ' runInTransaction:false' },
});
