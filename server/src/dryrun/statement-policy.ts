import { parseSync } from 'libpg-query';
import { PgNode, fieldsOf, walk } from '../parse/ast';
import type { Statement } from '../parse/sql';
import type { Span } from '../parse/text';
import { reindexIsConcurrent, statementLock } from '../lint/locks';
import { statementTokens } from '../lint/sql-tokens';
import { pgLockMode } from './lock-conflicts';
import type { PgLockMode } from '../../../shared/protocol';

/**
 * What a dry-run may do with one statement, decided from its parse tree before anything is sent: the
 * script's own transaction control (which must never end the dry-run's transaction), statements PostgreSQL
 * refuses inside a transaction block, and statements whose effects ROLLBACK cannot undo.
 */

export type ScriptTransactionControl =
  | { kind: 'begin' }
  | { kind: 'commit' | 'rollback'; chain: boolean }
  | { kind: 'savepoint' | 'release' | 'rollback-to' }
  | { kind: 'prepare' }
  | { kind: 'finish-prepared'; verb: 'COMMIT PREPARED' | 'ROLLBACK PREPARED' };

export function transactionControl(statement: Statement): ScriptTransactionControl | undefined {
  if (statement.type !== 'TransactionStmt') return undefined;
  const fields = fieldsOf(statement.node);
  const chain = Boolean(fields.chain);
  switch (fields.kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      return { kind: 'begin' };
    case 'TRANS_STMT_COMMIT':
      return { kind: 'commit', chain };
    case 'TRANS_STMT_ROLLBACK':
      return { kind: 'rollback', chain };
    case 'TRANS_STMT_SAVEPOINT':
      return { kind: 'savepoint' };
    case 'TRANS_STMT_RELEASE':
      return { kind: 'release' };
    case 'TRANS_STMT_ROLLBACK_TO':
      return { kind: 'rollback-to' };
    case 'TRANS_STMT_PREPARE':
      return { kind: 'prepare' };
    case 'TRANS_STMT_COMMIT_PREPARED':
      return { kind: 'finish-prepared', verb: 'COMMIT PREPARED' };
    case 'TRANS_STMT_ROLLBACK_PREPARED':
      return { kind: 'finish-prepared', verb: 'ROLLBACK PREPARED' };
    default:
      // An unknown kind from a future grammar: treat it as the most dangerous one.
      return { kind: 'commit', chain: false };
  }
}

/** `SET TRANSACTION ...` / `SET TRANSACTION SNAPSHOT`: only valid before the first query of a transaction. */
export function isSetTransaction(statement: Statement): boolean {
  const fields = fieldsOf(statement.node);
  return (
    statement.type === 'VariableSetStmt' &&
    fields.kind === 'VAR_SET_MULTI' &&
    String(fields.name).toUpperCase() === 'TRANSACTION'
  );
}

/** The statement's non-concurrent form, run in a savepoint to show its locks and errors. */
export interface Substitute {
  text: string;
  /** The part of `statement.text` left out (`CONCURRENTLY`), for mapping error positions back. */
  removed: Span;
  /** The lock the statement as written takes, when it differs from the substitute's. */
  writtenLock?: PgLockMode;
}

export interface OutsideTransaction {
  reason: string;
  substitute?: Substitute;
}

/**
 * Statements PostgreSQL refuses inside a transaction block (`PreventInTransactionBlock`). A migration
 * runner runs them outside one; the dry-run can only skip them, and for the CONCURRENTLY forms run the
 * plain form instead, which takes a stronger lock but fails the same way on bad data (a duplicate key for a
 * unique index, a missing column).
 */
export function outsideTransaction(statement: Statement): OutsideTransaction | undefined {
  const fields = fieldsOf(statement.node);
  const refuse = (what: string, substitute?: Substitute): OutsideTransaction => ({
    reason: `${what} cannot run inside a transaction block`,
    substitute,
  });
  switch (statement.type) {
    case 'IndexStmt':
      return fields.concurrent ? refuse('CREATE INDEX CONCURRENTLY', withoutConcurrently(statement)) : undefined;
    case 'DropStmt':
      return fields.concurrent ? refuse('DROP INDEX CONCURRENTLY', withoutConcurrently(statement)) : undefined;
    case 'ReindexStmt':
      if (reindexIsConcurrent(fields)) return refuse('REINDEX CONCURRENTLY', withoutConcurrently(statement));
      return ['REINDEX_OBJECT_SCHEMA', 'REINDEX_OBJECT_SYSTEM', 'REINDEX_OBJECT_DATABASE'].includes(fields.kind)
        ? refuse(`REINDEX ${String(fields.kind).replace('REINDEX_OBJECT_', '')}`)
        : undefined;
    case 'AlterTableStmt': {
      const detach = ((fields.cmds as PgNode[] | undefined) ?? []).some(
        (cmd) => cmd.AlterTableCmd?.subtype === 'AT_DetachPartition' && cmd.AlterTableCmd.def?.PartitionCmd?.concurrent,
      );
      return detach
        ? refuse('ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY', withoutConcurrently(statement))
        : undefined;
    }
    case 'VacuumStmt':
      return fields.is_vacuumcmd ? refuse('VACUUM') : undefined;
    case 'ClusterStmt':
      return fields.relation ? undefined : refuse('CLUSTER without a table');
    case 'DiscardStmt':
      return fields.target === 'DISCARD_ALL' ? refuse('DISCARD ALL') : undefined;
    case 'CreatedbStmt':
      return refuse('CREATE DATABASE');
    case 'DropdbStmt':
      return refuse('DROP DATABASE');
    case 'CreateTableSpaceStmt':
      return refuse('CREATE TABLESPACE');
    case 'DropTableSpaceStmt':
      return refuse('DROP TABLESPACE');
    case 'AlterSystemStmt':
      return refuse('ALTER SYSTEM');
    case 'AlterDatabaseStmt':
      return ((fields.options as PgNode[] | undefined) ?? []).some((o) => o.DefElem?.defname === 'tablespace')
        ? refuse('ALTER DATABASE ... SET TABLESPACE')
        : undefined;
    default:
      return undefined;
  }
}

/** The statement without its CONCURRENTLY keyword (and the parentheses or comma of `REINDEX (CONCURRENTLY)`). */
function withoutConcurrently(statement: Statement): Substitute | undefined {
  const tokens = statementTokens(statement);
  const k = tokens.findIndex((token) => token.lower === 'concurrently');
  if (k < 0) return undefined;
  let removed: Span = { start: tokens[k].start, end: tokens[k].end };
  const before = tokens[k - 1]?.text;
  const after = tokens[k + 1]?.text;
  if (before === '(' && after === ')') removed = { start: tokens[k - 1].start, end: tokens[k + 1].end };
  else if (after === ',') removed = { start: removed.start, end: tokens[k + 1].end };
  else if (before === ',') removed = { start: tokens[k - 1].start, end: removed.end };
  const lock = statementLock(statement);
  return {
    text: statement.text.slice(0, removed.start) + statement.text.slice(removed.end),
    removed,
    writtenLock: lock ? pgLockMode(lock) : undefined,
  };
}

/**
 * Statements whose plan shows how they find their rows: UPDATE, DELETE, MERGE and INSERT ... SELECT with a
 * FROM clause. Their sequential scans are the ones that crawl through big tables in production.
 */
export function isExplainable(statement: Statement): boolean {
  const fields = fieldsOf(statement.node);
  switch (statement.type) {
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      return true;
    case 'InsertStmt': {
      const select = fieldsOf(fields.selectStmt);
      return Boolean(select.fromClause?.length || select.larg || select.rarg);
    }
    default:
      return false;
  }
}

/**
 * Why the statement's text is not what the server will receive: values that a template literal, a driver
 * or psql fills in when the migration runs. Such a statement cannot be dry-run as written.
 */
export function runTimeValues(statement: Statement): string | undefined {
  const hole = statement.fragment.holes.some((h) => h.start < statement.span.end && h.end > statement.span.start);
  if (hole) return 'it is built from a `${...}` template hole whose value exists only when the migration runs';
  if (!statement.node) {
    return statement.syntaxError
      ? undefined
      : 'it contains template markup that is filled in before PostgreSQL sees it';
  }
  // The parse layer fills placeholders in only when the text does not parse as written.
  if (/[?:$]|\{\{/.test(statement.text) && !parses(statement.text)) {
    return statement.fragment.psql
      ? 'it uses psql variables (:name) that psql substitutes when the script runs'
      : 'it uses placeholders (:name, ?, $name) that the driver fills in when the migration runs';
  }
  let parameter = false;
  walk(statement.node, (type) => {
    if (type === 'ParamRef') parameter = true;
    return type === 'CreateFunctionStmt' ? 'skip' : undefined;
  });
  return parameter ? 'it uses query parameters ($1, ...) whose values are bound when the migration runs' : undefined;
}

function parses(text: string): boolean {
  try {
    parseSync(text);
    return true;
  } catch {
    return false;
  }
}

/** Roles the statements name (GRANT ... TO, OWNER TO, CREATE POLICY ... TO, ...) and roles they create. */
export function roleNames(statements: Iterable<Statement>): { used: Set<string>; created: Set<string> } {
  const used = new Set<string>();
  const created = new Set<string>();
  // Role specs are sometimes wrapped (`{ RoleSpec: {...} }` in grantees) and sometimes not (`newowner`).
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const node = value as PgNode;
      if (node.roletype === 'ROLESPEC_CSTRING' && typeof node.rolename === 'string') used.add(node.rolename);
      for (const key in node) visit(node[key]);
    }
  };
  for (const statement of statements) {
    if (statement.type === 'CreateRoleStmt') created.add(String(fieldsOf(statement.node).role));
    visit(statement.node);
  }
  return { used, created };
}
