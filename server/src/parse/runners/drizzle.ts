import { MigrationRunner, transactionalRunner, wholeFileUnit } from './runner';

/**
 * Drizzle Kit writes `NNNN_name.sql` files with `--> statement-breakpoint` between statements and records each in
 * `meta/_journal.json`. drizzle-orm's PostgreSQL migrator (`PgDialect.migrate`, which `drizzle-kit migrate` runs too)
 * opens ONE transaction for every pending migration together and sends the statements between breakpoints one by
 * one inside it, then its history insert: CONCURRENTLY can never work, and a migration's DDL shares its transaction
 * with the DML of the migrations applied with it. There is no switch.
 */
export const drizzle: MigrationRunner = {
  ...transactionalRunner({
    id: 'drizzle',
    name: 'Drizzle Kit',
    docs: 'https://github.com/drizzle-team/drizzle-orm/blob/main/drizzle-orm/src/pg-core/dialect.ts',
    packages: ['drizzle-kit', 'drizzle-orm'],
    withoutTransaction: 'statements',
    noSwitchAdvice: () =>
      "drizzle-orm's migrator runs every pending migration in one transaction and has no switch to leave it: run this statement outside `drizzle-kit migrate` (a script of its own after it), not in a migration.",
    pendingMigrationsShareTransaction:
      "drizzle-orm's migrator runs every pending migration in one transaction: migrations split apart still share it when they are applied by the same `drizzle-kit migrate` run, so deploy the schema change and the data change in separate releases (or runs).",
    sends: [
      'CREATE SCHEMA IF NOT EXISTS drizzle and CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations, before the transaction',
      'INSERT INTO drizzle.__drizzle_migrations ... after each migration, in the same transaction',
    ],
  }),
  recognise: (comments) => comments.find((comment) => /^>\s*statement-breakpoint\b/i.test(comment.body)),
  units: ({ fileLength }) => [wholeFileUnit(fileLength, false)],
  noTransactionSwitch: () => undefined,
};
