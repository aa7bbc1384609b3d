import type * as ts from 'typescript';
import type { RunCondition } from './conditions';
import { ComputedArguments, SqlFragment } from './fragment';
import { Span } from './text';

/**
 * What the TS/JS extractor finds in a migration or script file, without executing it: the SQL it sends,
 * the schema and data calls it makes through an ORM or query builder, and where `up`/`down` begin and end.
 */
export interface HostExtraction {
  source: ts.SourceFile;
  framework: Framework;
  sections: HostSection[];
  /** In the order they run, as far as the file shows: a helper's calls where its one caller calls it. */
  calls: HostCall[];
  /**
   * The file's own say on its runner's transaction. False: it opts out (`exports.config = { transaction: false }`
   * (Knex), `transaction = false` (TypeORM), `pgm.noTransaction()`, `isTransactional() { return false }` (MikroORM)).
   * True: it opts in where the runner's config turned transactions off (Knex `config = { transaction: true }` over
   * knexfile's `disableTransactions`, TypeORM `transaction = true` under `migrationsTransactionMode: 'none'`).
   * Undefined: it says nothing.
   */
  transactionSwitch: boolean | undefined;
  /** Queries whose SQL the file does not show (`client.query(buildSql())`): not analysed, in source order. */
  opaqueQueries: Span[];
  /** Spans (file offsets) of `// preflight-...` and `/* preflight-... *\/` comments with their text. */
  comments: { span: Span; body: string }[];
}

export type Framework = 'sequelize' | 'knex' | 'typeorm' | 'mikro-orm' | 'node-pg-migrate' | 'db-migrate' | 'script';

/** The body of an `up` or `down` function; each runs as its own transaction. */
export interface HostSection {
  name: 'up' | 'down';
  span: Span;
}

export type HostCall = SqlCall | SchemaCall | TransactionCall;

interface HostCallBase {
  /** The whole call expression (or tagged template) in the file. */
  span: Span;
  node: ts.Node;
  /** The object the method is called on (`queryInterface.sequelize` in `queryInterface.sequelize.query(...)`). */
  receiver?: ts.Expression;
  /** The method name (`query`, `raw`, `sql`, `runSql`, `addColumn`), or `sql` for a tagged template. */
  method: string;
  /** The innermost `sequelize.transaction(cb)` / `knex.transaction(cb)` callback this call runs in, if any. */
  transactionScope?: ts.Node;
  /** The tests the call runs under (`if (serverType === 'central')`), outermost first; absent when it always runs. */
  conditions?: RunCondition[];
  /**
   * For a call in a helper the file calls from exactly one place: that call site, and the call sites of the
   * helpers around it, outermost first (parse/host-call-sites.ts).
   */
  calledFrom?: Span[];
  /** The innermost `try` statement whose `try` block holds this call. */
  guardedBy?: ts.Node;
  /** The innermost `try` statement whose `catch` block holds this call: the call runs when that block failed. */
  recovers?: ts.Node;
}

/** A call that sends SQL text: `sequelize.query`, `knex.raw`, `pgm.sql`, `client.query`, `sql\`...\``. */
export interface SqlCall extends HostCallBase {
  kind: 'sql';
  fragment: SqlFragment;
}

/** An ORM or query-builder call that changes the schema (ddl) or data (dml) of a table. */
export interface SchemaCall extends HostCallBase {
  kind: 'ddl' | 'dml';
  /** Normalised `schema.table`, when the call names it with a literal. */
  table?: string;
  /** Span of the table-name literal, when there is one. */
  tableSpan?: Span;
  /** For ddl: whether the call creates the table (`createTable`). */
  createsTable?: boolean;
  /** For dml: `insert`, `update`, `delete` or `truncate`. */
  dmlAction?: 'insert' | 'update' | 'delete' | 'truncate';
  /**
   * For ddl: the SQL the call sends, as its framework writes it (parse/orm/); each becomes an ordinary statement.
   * Absent when `notAnalysed` says why it cannot be known from the file.
   */
  sql?: readonly GeneratedSql[];
  /** For ddl: why the call's SQL cannot be known without running the file (an argument computed at run time). */
  notAnalysed?: string;
}

/** One statement of SQL an ORM call sends, and the part of the call it stands for. */
export interface GeneratedSql {
  sql: string;
  span: Span;
  /** Where arguments only the running code knows stand in `sql` (parse/orm/computed.ts). */
  computed?: ComputedArguments;
}

/** `queryRunner.startTransaction()`, `commitTransaction()`, `rollbackTransaction()`. */
export interface TransactionCall extends HostCallBase {
  kind: 'transaction';
  action: 'begin' | 'commit' | 'rollback';
}

/**
 * ORM schema methods whose first argument names a schema, function, type or extension, not a table: the extractor
 * reads no table from them, and the replay does not count a missing table name as unreadable.
 */
export const TABLELESS_METHODS: ReadonlySet<string> = new Set([
  'createSchema',
  'dropSchema',
  'createFunction',
  'dropFunction',
  'dropEnum',
  'createType',
  'addTypeValue',
  'createExtension',
]);
