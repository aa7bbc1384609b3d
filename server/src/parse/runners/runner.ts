import type { DirectiveComment, MigrationUnit } from '../migration-parts';

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
  | 'graphile-migrate';

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
  /** The file's migrations, in file order; empty for a runner that runs the whole file as one. */
  units(comments: readonly DirectiveComment[], fileLength: number, firstStatement: number): MigrationUnit[];
  /** The edit that makes the runner run `unit` outside a transaction, when it has a switch for that. */
  noTransactionSwitch(unit: MigrationUnit, units: readonly MigrationUnit[]): NoTransactionSwitch | undefined;
}

/** What every runner model states about itself, apart from how it reads a file. */
export type RunnerFacts = Pick<MigrationRunner, 'id' | 'name' | 'docs' | 'packages' | 'withoutTransaction'>;

/** A runner that opens a transaction around each migration unless the file switches it off, as most do. */
export function transactionalRunner(facts: RunnerFacts): Pick<MigrationRunner, keyof RunnerFacts | 'wrapping' | 'definiteTransaction'> {
  const { id, name, docs, packages, withoutTransaction } = facts;
  return { id, name, docs, packages, withoutTransaction, wrapping: 'transaction', definiteTransaction: true };
}
