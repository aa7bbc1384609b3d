import type { DirectiveComment, SectionName } from '../migration';
import type { Span } from '../text';
import type { TransactionMode } from '../transactions';

/** The SQL-file migration runners Preflight models; `psql` is a plain script run by psql without `-1`. */
export type RunnerId = 'psql' | 'goose' | 'dbmate' | 'sql-migrate' | 'golang-migrate';

/**
 * One migration of a file as its runner runs it: the Up or the Down section of a runner that keeps both
 * directions in one file. Each runs on its own (`goose up` never runs the Down section), so each is its own
 * transaction and only the Down section undoes the migration.
 */
export interface MigrationUnit {
  section: Extract<SectionName, 'up' | 'down'>;
  /** From the end of the marker comment that opens the section to the start of the next marker (or the file's end). */
  span: Span;
  /** The marker comment that opens the section. */
  marker: DirectiveComment;
  /** The file or the marker says the runner must not open a transaction for this section. */
  noTransaction: boolean;
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
  /** The Go modules and npm packages a project that runs it depends on (`github.com/pressly/goose/v3`). */
  packages: readonly string[];
  /** How the runner wraps a section that does not switch transactions off. */
  defaultTransaction: TransactionMode;
  /** Whether that is known for certain: psql's depends on `-1`, which the file does not show. */
  definiteTransaction: boolean;
  /**
   * Whether a wrapped section of one statement runs in a transaction block too. A runner that opens a
   * transaction does; one that sends the file as a single query (golang-migrate) does not: PostgreSQL runs a
   * query of one statement on its own, and only a query of several as one implicit transaction block.
   */
  wrapsSingleStatement: boolean;
  /** The comment that shows a file is one of this runner's migrations, if any. */
  recognise(comments: readonly DirectiveComment[]): DirectiveComment | undefined;
  /**
   * Whether the file's name is in the runner's naming scheme. Weaker than an annotation: other runners name
   * files the same way (sqlx's reversible `.up.sql`/`.down.sql` pairs), so it does not make the wrapping definite.
   */
  recogniseName?(fileName: string): boolean;
  /** The file's migrations, in file order; empty for a runner that runs the whole file as one. */
  units(comments: readonly DirectiveComment[], fileLength: number): MigrationUnit[];
  /** The edit that makes the runner run `unit` outside a transaction, when it has a switch for that. */
  noTransactionSwitch(unit: MigrationUnit, units: readonly MigrationUnit[]): NoTransactionSwitch | undefined;
}
