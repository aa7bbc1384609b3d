import type { StatementFacts } from './classify';
import type { RunCondition } from './conditions';
import type { HostCall } from './host-types';
import type { Statement } from './sql';
import type { Span } from './text';

/*
 * The pieces a parsed migration is made of, in a module of their own so that what builds a MigrationFile
 * (runners/, transactions.ts, migration.ts) can share them without importing each other in a loop.
 * migration.ts re-exports them: it is the parse layer's model of a migration.
 */

/**
 * `up` and `down` run as separate transactions; a file without them (a script, a .sql file without a runner's
 * Up/Down markers) is `script`. In a .sql file of a runner that keeps both in one file (goose, dbmate, ...: see
 * parse/runners) they are its marked sections.
 */
export type SectionName = 'up' | 'down' | 'script';

/** One thing the migration does, in file order: a SQL statement or an ORM/query-builder call. */
export interface Operation extends StatementFacts {
  fileSpan: Span;
  section: SectionName;
  statement?: Statement;
  call?: HostCall;
  /** For operations inside a `sequelize.transaction(cb)`-style callback: that callback. */
  scope?: unknown;
  /** For a TS/JS call in a `try` block: that try statement. */
  guardedBy?: unknown;
  /** For a TS/JS call in a `catch` block: its try statement (the call runs when the `try` block failed). */
  recovers?: unknown;
  /** For a .sql file of a runner with several migrations in one file: the one it belongs to. */
  unit?: MigrationUnit;
  /**
   * For a statement in a `DO` block's body: that DO statement. The block runs its statements when the
   * migration runs, in the migration's transaction, so they are operations of their own, right after it.
   */
  executedBy?: Statement;
  /**
   * The tests of the migration's own code the operation runs under (a TS/JS `if`, a PL/pgSQL `IF` in a DO
   * block), outermost first: what it creates exists only on the servers where they hold. Absent when it always runs.
   */
  conditions?: readonly RunCondition[];
}

export interface DirectiveComment {
  span: Span;
  /** The comment's text without its markers. */
  body: string;
}

/**
 * One migration of a file as its runner runs it: the Up or the Down section of a runner that keeps both
 * directions in one file (each runs on its own — `goose up` never runs the Down section — so each is its own
 * transaction and only the Down section undoes the migration), or the whole file (`script`) of a runner whose
 * file-level directive says how it runs.
 */
export interface MigrationUnit {
  section: SectionName;
  /** From the end of the marker comment that opens the section to the start of the next marker (or the file's end). */
  span: Span;
  /** The marker comment that opens the section, or the file's directive; absent for a whole file without one. */
  marker?: DirectiveComment;
  /** The file or the marker says the runner must not open a transaction for this section. */
  noTransaction: boolean;
}
