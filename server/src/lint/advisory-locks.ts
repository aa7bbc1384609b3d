import type * as ts from 'typescript';
import { PgNode, constantValue, functionName, nameList, walk } from '../parse/ast';
import { runsNow } from '../parse/execution';
import type { MigrationFile, Operation, SectionName } from '../parse/migration';
import type { Statement } from '../parse/sql';
import type { Span } from '../parse/text';
import { typescript } from '../parse/typescript';
import { charOffset, closingParen, findToken, statementTokens, tokenFileSpan, tokenIndexAt } from './sql-tokens';

/**
 * Calls of PostgreSQL's advisory lock functions in the statements a migration runs. A session-level lock
 * (`pg_advisory_lock`) is held by the connection until `pg_advisory_unlock` runs on that same connection or the
 * connection closes; COMMIT and ROLLBACK do not release it. A transaction-level lock (`pg_advisory_xact_lock`)
 * is released at COMMIT or ROLLBACK. MySQL's named locks (`GET_LOCK`) are always session-level, the same way.
 */
export interface AdvisoryLockCall {
  /** `pg_advisory_lock`, `pg_try_advisory_xact_lock_shared`, `pg_advisory_unlock_all`, ... */
  name: string;
  action: 'lock' | 'unlock' | 'unlock-all';
  /** For locks: held by the session or by the transaction. */
  level: 'session' | 'transaction';
  shared: boolean;
  /** `pg_try_...`: returns false instead of waiting when the lock is taken. */
  tries: boolean;
  /** Equal for calls on the same lock: the same number of arguments with the same values. */
  key: string;
  /** The arguments as written in the file, with their parentheses: `(42)`, `(${LOCK_ID})`. */
  argumentsText: string;
  /** From the function name to the closing parenthesis, in the file. */
  span: Span;
  /** The statement (and, in TS/JS, the query call) the lock function is called in. */
  operation: Operation;
}

const ADVISORY_FUNCTION = /^pg_(try_)?advisory_(xact_)?(lock|unlock|unlock_all)(_shared)?$/;

type LockFunction = Pick<AdvisoryLockCall, 'action' | 'level' | 'shared' | 'tries'>;

/** A PostgreSQL advisory lock function by name, or undefined. */
function postgresLockFunction(name: string): LockFunction | undefined {
  const match = ADVISORY_FUNCTION.exec(name);
  if (!match) return undefined;
  return {
    action: match[3] === 'lock' ? 'lock' : match[3] === 'unlock' ? 'unlock' : 'unlock-all',
    level: match[2] ? 'transaction' : 'session',
    shared: match[4] !== undefined,
    tries: match[1] !== undefined,
  };
}

/**
 * MySQL's and MariaDB's named locks: `GET_LOCK(name, timeout)` waits up to `timeout` seconds and is held by the
 * session until `RELEASE_LOCK(name)` on the same connection, `RELEASE_ALL_LOCKS()`, or the connection closes.
 */
const MYSQL_LOCK_FUNCTIONS: Record<string, LockFunction> = {
  get_lock: { action: 'lock', level: 'session', shared: false, tries: false },
  release_lock: { action: 'unlock', level: 'session', shared: false, tries: false },
  release_all_locks: { action: 'unlock-all', level: 'session', shared: false, tries: false },
};

/**
 * The advisory lock calls of an operation's statement, in source order; none for statements that only store SQL
 * for later. For SQL sent with a values array (`client.query('SELECT pg_advisory_lock($1)', [KEY])`), `$1`
 * stands for the value as written (`KEY`), so that locks and unlocks of different keys do not match.
 */
export function advisoryLockCalls(operation: Operation, fileText: string): AdvisoryLockCall[] {
  const statement = operation.statement;
  if (!statement || !runsNow(statement)) return [];
  const values = queryValues(operation, fileText);
  const calls: AdvisoryLockCall[] = [];
  walk(statement.node, (type, node) => {
    if (type !== 'FuncCall') return;
    const name = functionName(node);
    const mysql = statement.dialect !== 'postgresql';
    const lock = mysql ? MYSQL_LOCK_FUNCTIONS[name] : postgresLockFunction(name);
    if (!lock) return;
    const span = callSpan(statement, node.location);
    const text = fileText.slice(span.start, span.end);
    // A named lock is its name: GET_LOCK's second argument is how long to wait for it.
    const args = ((node.args as PgNode[] | undefined) ?? []).slice(0, mysql ? 1 : undefined);
    calls.push({
      name,
      ...lock,
      key: JSON.stringify(args.map((arg) => keyOf(arg, { statement, fileText, values }))),
      argumentsText: text.includes('(') ? text.slice(text.indexOf('(')) : '()',
      span,
      operation,
    });
  });
  return calls;
}

/** The file span of a function call from its name (at `location`) to its closing parenthesis. */
function callSpan(statement: Statement, location: number | undefined): Span {
  const tokens = statementTokens(statement);
  const name = tokenIndexAt(statement, location);
  const close = name < 0 ? -1 : closingParen(tokens, findToken(tokens, '(', name));
  return close < 0 ? statement.locate(location) : tokenFileSpan(statement, name, close);
}

/** How a message names the call: `pg_advisory_lock(42)`, with long or multi-line arguments shortened. */
export function describeLockCall(call: AdvisoryLockCall, name = call.name): string {
  const text = call.argumentsText.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')');
  return `${name}${text.length <= 40 ? text : '(...)'}`;
}

/** The function that takes the same lock as `call` at transaction level: `pg_advisory_lock` → `pg_advisory_xact_lock`. */
export function transactionLevelName(call: AdvisoryLockCall): string {
  return `pg_${call.tries ? 'try_' : ''}advisory_xact_lock${call.shared ? '_shared' : ''}`;
}

/** The function that releases a session-level lock taken by `call`. */
export function unlockName(call: AdvisoryLockCall): string {
  return call.shared ? 'pg_advisory_unlock_shared' : 'pg_advisory_unlock';
}

/** Whether `unlock` releases (one acquisition of) the session-level lock taken by `lock`. */
export function releases(unlock: AdvisoryLockCall, lock: AdvisoryLockCall): boolean {
  if (unlock.action === 'unlock-all') return true;
  return unlock.action === 'unlock' && unlock.shared === lock.shared && unlock.key === lock.key;
}

/**
 * The file's advisory lock calls, one list per section in source order: `up` and `down` run separately, so an
 * unlock in one does not release a lock taken in the other.
 */
export function advisoryLockCallsBySection(file: MigrationFile): AdvisoryLockCall[][] {
  const sections = new Map<SectionName, AdvisoryLockCall[]>();
  for (const operation of file.operations) {
    const calls = advisoryLockCalls(operation, file.text);
    if (calls.length === 0) continue;
    const list = sections.get(operation.section) ?? [];
    list.push(...calls);
    sections.set(operation.section, list);
  }
  return [...sections.values()];
}

/**
 * Each session-level lock of `calls` (in the order they run) with the unlock that releases it, or undefined when
 * none does. PostgreSQL counts acquisitions of one lock and each unlock releases one: pair it with the latest
 * acquisition still held, as nested lock/unlock pairs are written. `pg_advisory_unlock_all()` releases
 * everything.
 */
export function pairLocksWithUnlocks(
  calls: readonly AdvisoryLockCall[],
): Map<AdvisoryLockCall, AdvisoryLockCall | undefined> {
  const pairs = new Map<AdvisoryLockCall, AdvisoryLockCall | undefined>();
  let held: AdvisoryLockCall[] = [];
  for (const call of calls) {
    if (call.action === 'lock' && call.level === 'session') {
      pairs.set(call, undefined);
      held.push(call);
    } else if (call.action === 'unlock-all') {
      held.forEach((lock) => pairs.set(lock, call));
      held = [];
    } else if (call.action === 'unlock') {
      for (let i = held.length - 1; i >= 0; i--) {
        if (releases(call, held[i])) {
          pairs.set(held[i], call);
          held.splice(i, 1);
          break;
        }
      }
    }
  }
  return pairs;
}

interface KeyContext {
  statement: Statement;
  fileText: string;
  /** The source text of each value sent with the query, for `$1`, `$2`, ... */
  values: string[];
}

/**
 * A lock key argument, normalised so that `42`, `'42'` and `42::bigint` compare equal, locations are ignored,
 * and a template hole or a `$n` parameter stands for the source text of its value (`${LOCK_ID}`, `RESET_LOCK`).
 */
function keyOf(node: unknown, ctx: KeyContext): unknown {
  if (Array.isArray(node)) return node.map((item) => keyOf(item, ctx));
  if (!node || typeof node !== 'object') return node;
  const wrapped = node as PgNode;
  if (wrapped.TypeCast) return keyOf(wrapped.TypeCast.arg, ctx);
  const constant = constantValue(wrapped);
  if (constant !== undefined)
    return typeof constant === 'string' && !/^-?\d+$/.test(constant) ? constant : Number(constant);
  if (wrapped.ColumnRef) {
    const { statement, fileText } = ctx;
    const at = charOffset(statement, wrapped.ColumnRef.location ?? 0);
    const inFragment = statement.span.start + at;
    const hole = statement.fragment.holes.find((h) => h.start <= inFragment && inFragment < h.end);
    if (hole) {
      const written = statement.fragment.toFile(hole);
      return { value: fileText.slice(written.start, written.end).replace(/^\$\{\s*|\s*\}$/g, '') };
    }
    // A client placeholder (`:key`, `?`, `{{ key }}`) is parsed as a same-length run of underscores.
    const name = nameList(wrapped.ColumnRef.fields).join('.');
    if (/^_+$/.test(name)) return { placeholder: statement.text.slice(at, at + name.length) };
  }
  const parameter = wrapped.ParamRef ? ctx.values[(wrapped.ParamRef.number ?? 0) - 1] : undefined;
  if (parameter !== undefined) return { value: parameter };
  const normalised: PgNode = {};
  for (const [field, value] of Object.entries(wrapped)) {
    if (field !== 'location') normalised[field] = keyOf(value, ctx);
  }
  return normalised;
}

/**
 * The values sent with the SQL as source text: `query(text, [a, b])` (pg, TypeORM) or pg's
 * `query({ text, values: [a, b] })`. Empty when there are none.
 */
function queryValues(operation: Operation, fileText: string): string[] {
  const node = operation.call?.node;
  if (!node) return [];
  const ts = typescript();
  if (!ts.isCallExpression(node)) return [];
  const [first, second] = node.arguments;
  const valuesProperty =
    first && ts.isObjectLiteralExpression(first)
      ? first.properties.find((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'values')
      : undefined;
  const values = second ?? (valuesProperty as ts.PropertyAssignment | undefined)?.initializer;
  if (!values || !ts.isArrayLiteralExpression(values)) return [];
  return values.elements.map((element) => fileText.slice(element.getStart(), element.end));
}
