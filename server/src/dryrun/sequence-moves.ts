import { PgNode, functionName } from '../parse/ast';
import { walkStatement } from '../parse/sql-walk';
import type { Statement } from '../parse/sql';
import type { DryRunSession } from './session';
import type { SequencePositions } from './side-effects';

/**
 * `setval` is not transactional: a dry-run's ROLLBACK leaves the sequence where the script put it. Forward,
 * that only skips values; backwards, the next real INSERT takes an id that is already used and fails with a
 * duplicate key. (`ALTER SEQUENCE ... RESTART` gives the sequence a new relation file, which ROLLBACK
 * discards: it is undone like any other DDL.) On a connected database such a statement is refused.
 */

/** A `setval(sequence, value[, is_called])` call as written; undefined where the argument is not a constant. */
interface SetvalCall {
  sequence: string | undefined;
  value: bigint | undefined;
  isCalled: boolean | undefined;
}

/**
 * The `setval` calls of a statement: anywhere in its tree and in the SQL it runs as text (a DO block's body,
 * a constant EXECUTE), read by the same walk as the escape check. SQL built at run time is that check's to refuse.
 */
function setvalCalls(statement: Statement): SetvalCall[] {
  const calls: SetvalCall[] = [];
  if (!statement.node) return calls;
  walkStatement(statement.node, statement.text, {
    node: (type, fields) => {
      // A function body runs when the function is called, not now.
      if (type === 'CreateFunctionStmt') return 'skip';
      if (type === 'FuncCall' && functionName(fields) === 'setval') calls.push(readSetval(fields));
      return undefined;
    },
    unreadable: () => undefined,
  });
  return calls;
}

function readSetval(call: PgNode): SetvalCall {
  const [sequence, value, isCalled] = (call.args as PgNode[] | undefined) ?? [];
  const constant = (node: PgNode | undefined) => node?.A_Const ?? node?.TypeCast?.arg?.A_Const;
  const name = constant(sequence)?.sval;
  const number = constant(value);
  // libpg-query omits zero values: `{ ival: {} }` is 0; integers beyond int4 come as `fval` text.
  const digits = number?.ival ? String(number.ival.ival ?? 0) : number?.fval?.fval;
  const flag =
    isCalled === undefined ? true : isCalled.A_Const?.boolval ? Boolean(isCalled.A_Const.boolval.boolval) : undefined;
  return {
    sequence: name ? String(name.sval ?? '') : undefined,
    value: digits !== undefined && /^-?\d+$/.test(digits) ? BigInt(digits) : undefined,
    isCalled: flag,
  };
}

/**
 * Why running the statement would move a sequence of the database backwards: empty when it calls no
 * `setval`, or only moves sequences forward or ones the script created (ROLLBACK drops those). `before` are
 * the positions read before the dry-run began; a call whose arguments are not constants cannot be judged.
 */
export async function backwardSequenceMoves(
  statement: Statement,
  session: DryRunSession,
  before: SequencePositions | undefined,
): Promise<string[]> {
  const reasons = new Set<string>();
  for (const call of setvalCalls(statement)) {
    if (call.sequence === undefined || call.value === undefined || call.isCalled === undefined) {
      reasons.add(
        'it calls setval() with a sequence, value or is_called that is not a constant, so the dry-run cannot tell whether it moves a sequence backwards',
      );
      continue;
    }
    const name = await sequenceName(session, call.sequence);
    if (!name) continue; // setval fails on its own: no such sequence.
    if (!before) {
      reasons.add(`it calls setval() on ${name}, and the dry-run could not read where the sequences were`);
      continue;
    }
    const was = before.get(name);
    if (!was) continue; // Created by the script: ROLLBACK drops it.
    const nextBefore = nextValue(was);
    const nextAfter = call.isCalled ? call.value + was.increment : call.value;
    if (was.increment > 0n ? nextAfter < nextBefore : nextAfter > nextBefore) {
      reasons.add(
        `setval() moves sequence ${name} back (its next value would be ${nextAfter} instead of ${nextBefore}); ROLLBACK does not undo it, so the next real INSERT would reuse an id and can fail with a duplicate key`,
      );
    }
  }
  return [...reasons];
}

/**
 * The sequence a `regclass` text names, resolved as setval would (search_path, quoting), as `schema.name`;
 * undefined when there is none. In a savepoint: before PostgreSQL 16, `to_regclass` raises an error for a
 * malformed name, which would abort the dry-run's transaction. Operators are qualified, so that a script's
 * own operators earlier in search_path cannot change the answer.
 */
async function sequenceName(session: DryRunSession, text: string): Promise<string | undefined> {
  await session.internal('SAVEPOINT preflight_sequence_name');
  try {
    const { rows } = await session.internal<{ name: string }>(
      `SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) AS name
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
        WHERE c.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass($1)`,
      [text],
    );
    await session.internal('RELEASE SAVEPOINT preflight_sequence_name');
    return rows[0]?.name;
  } catch {
    await session.internal('ROLLBACK TO SAVEPOINT preflight_sequence_name; RELEASE SAVEPOINT preflight_sequence_name');
    return undefined;
  }
}

/**
 * After ROLLBACK, on a connected database: sets forward again the sequences that ended up behind where they
 * were before the run — moved back by what no parse tree shows (a function or trigger calling setval, SQL
 * built at run time). Only ever forward, and only while the sequence is still behind: a real INSERT that
 * took a value meanwhile is never undone. Returns the sequences set forward.
 */
export async function setForwardAgain(
  session: DryRunSession,
  before: SequencePositions,
  after: SequencePositions,
): Promise<Set<string>> {
  const restored = new Set<string>();
  for (const [name, now] of after) {
    const was = before.get(name);
    if (
      !was ||
      nextValue(now) === nextValue(was) ||
      (was.increment > 0n ? nextValue(now) > nextValue(was) : nextValue(now) < nextValue(was))
    )
      continue;
    // The session is outside the dry-run's transaction here: the script's search_path and objects are gone.
    const { rowCount } = await session.internal(
      `SELECT pg_catalog.setval($1::pg_catalog.text::pg_catalog.regclass, $2::pg_catalog.int8, $3::pg_catalog.bool)
         FROM pg_catalog.pg_sequences
        WHERE pg_catalog.format('%I.%I', schemaname, sequencename) = $1::pg_catalog.text
          AND (last_value IS NULL OR CASE WHEN increment_by > 0 THEN last_value < $4::pg_catalog.int8 ELSE last_value > $4::pg_catalog.int8 END)`,
      [name, String(was.last ?? was.start), was.last !== null, String(nextValue(was) - was.increment)],
    );
    if (rowCount) restored.add(name);
  }
  return restored;
}

/** The value the next nextval returns (a sequence never called returns its start). */
function nextValue(position: { last: bigint | null; start: bigint; increment: bigint }): bigint {
  return position.last === null ? position.start : position.last + position.increment;
}
