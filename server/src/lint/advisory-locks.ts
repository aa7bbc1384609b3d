import { scanSync } from 'libpg-query';
import * as ts from 'typescript';
import { PgNode, constantValue, functionName, nameList, walk } from '../parse/ast';
import { runsNow } from '../parse/execution';
import { propertyValue } from '../parse/host-syntax';
import type { Operation } from '../parse/migration';
import type { Statement } from '../parse/sql';
import { ByteOffsets, Span } from '../parse/text';

/**
 * Calls of PostgreSQL's advisory lock functions in the statements a migration runs. A session-level lock
 * (`pg_advisory_lock`) is held by the connection until `pg_advisory_unlock` runs on that same connection or the
 * connection closes; COMMIT and ROLLBACK do not release it. A transaction-level lock (`pg_advisory_xact_lock`)
 * is released at COMMIT or ROLLBACK.
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
  statement: Statement;
}

const ADVISORY_FUNCTION = /^pg_(try_)?advisory_(xact_)?(lock|unlock|unlock_all)(_shared)?$/;

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
  let locator: CallLocator | undefined;
  walk(statement.node, (type, node) => {
    if (type !== 'FuncCall') return;
    const name = functionName(node);
    const match = ADVISORY_FUNCTION.exec(name);
    if (!match) return;
    locator ??= new CallLocator(statement);
    const span = locator.callSpan(node.location);
    const text = fileText.slice(span.start, span.end);
    const args = (node.args as PgNode[] | undefined) ?? [];
    calls.push({
      name,
      action: match[3] === 'lock' ? 'lock' : match[3] === 'unlock' ? 'unlock' : 'unlock-all',
      level: match[2] ? 'transaction' : 'session',
      shared: match[4] !== undefined,
      tries: match[1] !== undefined,
      key: JSON.stringify(args.map((arg) => keyOf(arg, { locator: locator!, fileText, values }))),
      argumentsText: text.includes('(') ? text.slice(text.indexOf('(')) : '()',
      span,
      statement,
    });
  });
  return calls;
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
 * The session-level locks still held after `calls` ran in order. PostgreSQL counts acquisitions of one lock, and
 * each unlock releases one: pair it with the latest acquisition still held, as nested lock/unlock pairs are
 * written. `pg_advisory_unlock_all()` releases everything.
 */
export function unreleasedLocks(calls: readonly AdvisoryLockCall[]): AdvisoryLockCall[] {
  let held: AdvisoryLockCall[] = [];
  for (const call of calls) {
    if (call.action === 'lock' && call.level === 'session') held.push(call);
    else if (call.action === 'unlock-all') held = [];
    else if (call.action === 'unlock') {
      for (let i = held.length - 1; i >= 0; i--) {
        if (releases(call, held[i])) {
          held.splice(i, 1);
          break;
        }
      }
    }
  }
  return held;
}

interface KeyContext {
  locator: CallLocator;
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
  if (constant !== undefined) return typeof constant === 'string' && !/^-?\d+$/.test(constant) ? constant : Number(constant);
  if (wrapped.ColumnRef) {
    const location = wrapped.ColumnRef.location;
    const hole = ctx.locator.holeAt(location);
    if (hole) return { value: ctx.fileText.slice(hole.start, hole.end).replace(/^\$\{\s*|\s*\}$/g, '') };
    // A client placeholder (`:key`, `?`, `{{ key }}`) is parsed as a same-length run of underscores.
    const name = nameList(wrapped.ColumnRef.fields).join('.');
    if (/^_+$/.test(name)) return { placeholder: ctx.locator.sourceText(location, name.length) };
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
 * The values sent with the SQL as source text: `query(text, [a, b])` (pg, TypeORM)
 * or pg's `query({ text, values: [a, b] })`. Empty when there are none.
 */
function queryValues(operation: Operation, fileText: string): string[] {
  const node = operation.call?.node;
  if (!node || !ts.isCallExpression(node)) return [];
  const [first, second] = node.arguments;
  const values = second ?? (first && ts.isObjectLiteralExpression(first) ? propertyValue(first, 'values') : undefined);
  if (!values || !ts.isArrayLiteralExpression(values)) return [];
  return values.elements.map((element) => fileText.slice(element.getStart(), element.end));
}

/** Maps a statement's parse-tree byte locations to call spans and template holes in the file. */
class CallLocator {
  private readonly bytes: ByteOffsets;
  private tokens: { start: number; end: number; text: string }[] | undefined;

  constructor(private readonly statement: Statement) {
    // psql variables are replaced by same-length names before parsing, so the original text has the same offsets.
    this.bytes = new ByteOffsets(statement.text);
  }

  /** The file span of a function call from its name (at `location`) to its matching closing parenthesis. */
  callSpan(location: number | undefined): Span {
    const start = location ?? 0;
    this.tokens ??= scanTokens(this.statement.text);
    const open = this.tokens.findIndex((token) => token.start >= start && token.text === '(');
    let end = this.statement.text.length;
    for (let i = open, depth = 0; open >= 0 && i < this.tokens.length; i++) {
      if (this.tokens[i].text === '(') depth++;
      if (this.tokens[i].text === ')' && --depth === 0) {
        end = this.bytes.toChar(this.tokens[i].end);
        break;
      }
    }
    const offset = this.statement.span.start;
    return this.statement.fragment.toFile({ start: offset + this.bytes.toChar(start), end: offset + end });
  }

  /** The statement's original text of `length` characters at `location`. */
  sourceText(location: number | undefined, length: number): string {
    const start = this.bytes.toChar(location ?? 0);
    return this.statement.text.slice(start, start + length);
  }

  /** The file span of the template hole (`${...}`) at `location`, if the name there stands for one. */
  holeAt(location: number | undefined): Span | undefined {
    const at = this.statement.span.start + this.bytes.toChar(location ?? 0);
    const hole = this.statement.fragment.holes.find((h) => h.start <= at && at < h.end);
    return hole && this.statement.fragment.toFile(hole);
  }
}

function scanTokens(text: string): { start: number; end: number; text: string }[] {
  try {
    return scanSync(text).tokens;
  } catch {
    return [];
  }
}
