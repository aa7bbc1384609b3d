import type { DirectiveComment, MigrationUnit } from '../migration-parts';
import type { Statement } from '../sql';

/**
 * How a runner sends a section to PostgreSQL. `transaction`: it opens a transaction around the section's
 * statements. `one-query`: it sends the whole section as one simple-protocol query, which PostgreSQL runs as one
 * implicit transaction block when it holds several statements and on its own when it holds one (so CONCURRENTLY
 * works only alone). `statements`: it sends each statement on its own.
 */
export type SectionWrapping = 'transaction' | 'one-query' | 'statements';

/** The SQL-file migration runners Preflight models; `psql` is a plain script run by psql without `-1`. */
export type RunnerId =
  | 'psql'
  | 'goose'
  | 'dbmate'
  | 'sql-migrate'
  | 'node-pg-migrate'
  | 'liquibase'
  | 'golang-migrate'
  | 'sqlx'
  | 'atlas'
  | 'graphile-migrate'
  | 'flyway'
  | 'drizzle'
  | 'prisma'
  | 'diesel'
  | 'supabase';

/**
 * What the files around a migration say about its runner (parse/runners/directory.ts): Prisma's
 * `migration_lock.toml`, Drizzle's `meta/_journal.json`, Diesel's `up.sql`/`down.sql` folders, Flyway's `V1__x.sql`
 * names, the `supabase/migrations` folder.
 */
export interface DirectoryEvidence {
  runner: RunnerId;
  /** Where, as `--explain-runner` prints it: `migration_lock.toml in prisma/migrations`. */
  evidence: string;
  /**
   * A file beside the migration that decides whether the runner wraps it in a transaction (Flyway's
   * `V3__x.sql.conf` with `executeInTransaction`, Diesel's `metadata.toml` with `run_in_transaction`).
   */
  transactionSetting?: { file: string; inTransaction: boolean };
}

/** What a runner reads to cut a file into migration units. */
export interface UnitContext {
  comments: readonly DirectiveComment[];
  fileLength: number;
  /** The offset of the file's first statement (its length when it has none). */
  firstStatement: number;
  statements: readonly Statement[];
  directory?: DirectoryEvidence;
}

/** The edit that turns the runner's transaction off for a section: its no-transaction switch. */
export interface NoTransactionSwitch {
  /** Where the text goes, as an offset into the file. */
  offset: number;
  text: string;
  /** The sections the switch takes out of a transaction (goose's applies to the whole file). */
  affects: readonly MigrationUnit[];
}

export interface MigrationRunner {
  id: RunnerId;
  /** As its authors write it. */
  name: string;
  /** Where its transaction behaviour is documented (also cited in docs/transactions.md). */
  docs: string;
  /** The Go modules, npm packages and crates a project that runs it depends on (`github.com/pressly/goose`). */
  packages: readonly string[];
  /** How the runner sends a section that does not switch transactions off. */
  wrapping: SectionWrapping;
  /** How it sends a section that does (its no-transaction switch). */
  withoutTransaction: Exclude<SectionWrapping, 'transaction'>;
  /** Whether `wrapping` is known for certain: psql's depends on `-1`, which the file does not show. */
  definiteTransaction: boolean;
  /**
   * The comment that shows a file is one of this runner's migrations, if any. `firstStatement` is the offset of
   * the file's first statement (its length when it has none): file-level directives only count before it.
   */
  recognise(comments: readonly DirectiveComment[], firstStatement: number): DirectiveComment | undefined;
  /**
   * Whether the file's name is in the runner's naming scheme. Weaker than an annotation: other runners name
   * files the same way (sqlx's reversible `.up.sql`/`.down.sql` pairs), so it does not make the wrapping definite.
   */
  recogniseName?(fileName: string): boolean;
  /**
   * The runner runs a .sql file without annotations its own way, so that a project depending on it (and on no other
   * such runner) makes its files the runner's (sqlx, Atlas, Graphile Migrate; golang-migrate for its `.up.sql` names).
   */
  recognisedByDependency?: true;
  /** The file's migrations, in file order; empty for a runner that runs the whole file as one. */
  units(context: UnitContext): MigrationUnit[];
  /** The edit that makes the runner run `unit` outside a transaction, when it has an in-file switch for that. */
  noTransactionSwitch(unit: MigrationUnit, units: readonly MigrationUnit[]): NoTransactionSwitch | undefined;
  /**
   * What to do instead when a statement cannot run in the runner's transaction and the runner has no in-file switch:
   * the file to create beside the migration (Flyway, Diesel), or that there is no switch at all (Drizzle, Prisma).
   */
  noSwitchAdvice?(filePath: string, directory: DirectoryEvidence | undefined): string;
  /**
   * Set for a runner that runs all pending migrations in ONE transaction (drizzle-orm's migrator): what that means
   * for splitting a migration, since separate migrations then share the transaction unless applied in separate runs.
   */
  pendingMigrationsShareTransaction?: string;
  /**
   * The statements the runner itself sends around each migration, as its source shows them (an advisory lock, a
   * `RESET ALL`, its history insert). None of the modelled runners sets `lock_timeout` or `statement_timeout`.
   */
  sends?: readonly string[];
}

/** What every runner model states about itself, apart from how it reads a file. */
export type RunnerFacts = Pick<
  MigrationRunner,
  | 'id'
  | 'name'
  | 'docs'
  | 'packages'
  | 'withoutTransaction'
  | 'noSwitchAdvice'
  | 'sends'
  | 'pendingMigrationsShareTransaction'
>;

/** A runner that opens a transaction around each migration unless the file switches it off, as most do. */
export function transactionalRunner(
  facts: RunnerFacts,
): Pick<MigrationRunner, keyof RunnerFacts | 'wrapping' | 'definiteTransaction'> {
  const { id, name, docs, packages, withoutTransaction, noSwitchAdvice, sends, pendingMigrationsShareTransaction } =
    facts;
  return {
    id,
    name,
    docs,
    packages,
    withoutTransaction,
    noSwitchAdvice,
    sends,
    pendingMigrationsShareTransaction,
    wrapping: 'transaction',
    definiteTransaction: true,
  };
}

/**
 * A runner that opens no transaction and sends each migration file as one query (or one batch), so that PostgreSQL
 * runs it as one implicit transaction block when it holds several statements; it has no switch (Prisma, Supabase).
 */
export function oneQueryRunner(facts: Omit<RunnerFacts, 'withoutTransaction'>): MigrationRunner {
  const { id, name, docs, packages, noSwitchAdvice, sends } = facts;
  return {
    id,
    name,
    docs,
    packages,
    noSwitchAdvice,
    sends,
    wrapping: 'one-query',
    withoutTransaction: 'one-query',
    definiteTransaction: true,
    recognise: () => undefined,
    units: ({ fileLength }) => [wholeFileUnit(fileLength, false)],
    noTransactionSwitch: () => undefined,
  };
}

/** The whole file as one migration unit, with the runner's transaction switched off or not. */
export function wholeFileUnit(fileLength: number, noTransaction: boolean): MigrationUnit {
  return { section: 'script', span: { start: 0, end: fileLength }, noTransaction };
}
