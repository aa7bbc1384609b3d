import { SideEffect } from '../../../shared/protocol';
import type { Statement } from '../parse/sql';
import { notifiedChannels } from './escaping-effects';
import type { DryRunSession } from './session';

/**
 * Effects of a dry-run that ROLLBACK does not undo. Sequences are non-transactional by design: `nextval`
 * (a serial column's default, an identity column) and `setval` stay advanced after ROLLBACK, so the next
 * real insert gets a higher id. Positions are read outside the dry-run's transaction, before and after,
 * because reading a sequence locks it until the transaction ends.
 */
export type SequencePositions = Map<string, { last: bigint | null; start: bigint; increment: bigint }>;

export async function sequencePositions(session: DryRunSession): Promise<SequencePositions> {
  const { rows } = await session.internal<{ name: string; last: string | null; start: string; increment: string }>(
    `SELECT pg_catalog.format('%I.%I', schemaname, sequencename) AS name, last_value::pg_catalog.text AS last,
            start_value::pg_catalog.text AS start, increment_by::pg_catalog.text AS increment
       FROM pg_catalog.pg_sequences`,
  );
  return new Map(
    rows.map((row) => [
      row.name,
      { last: row.last === null ? null : BigInt(row.last), start: BigInt(row.start), increment: BigInt(row.increment) },
    ]),
  );
}

/** `setForward`: the sequences moved back that the dry-run set forward again after ROLLBACK (`setForwardAgain`). */
export function sequenceSideEffects(
  before: SequencePositions,
  after: SequencePositions,
  setForward: ReadonlySet<string> = new Set(),
): SideEffect[] {
  const effects: SideEffect[] = [];
  for (const [name, now] of after) {
    const was = before.get(name);
    if (!was || now.last === null || now.last === was.last) continue;
    // Never called before: the first nextval returns start_value, so it counts as one call too.
    const from = was.last ?? now.start - now.increment;
    const calls = now.increment === 0n ? 0n : (now.last - from) / now.increment;
    effects.push({
      kind: 'sequence',
      object: name,
      detail:
        calls > 0n
          ? `advanced by ${calls} (to ${now.last}); ROLLBACK does not reset sequences, so later inserts on this database skip these values`
          : setForward.has(name)
            ? `moved back from ${was.last ?? 'unused'} to ${now.last} by a setval the dry-run could not see (in a function, a trigger or SQL built at run time); the dry-run set it forward again after ROLLBACK, but a real INSERT meanwhile could have reused an id`
            : `moved from ${was.last ?? 'unused'} to ${now.last} (setval); ROLLBACK does not reset sequences`,
    });
  }
  return effects;
}

/** The foreign data wrapper behind each foreign table the statement writes, if any. */
export async function foreignTableTargets(
  session: DryRunSession,
  tables: readonly string[],
): Promise<{ relation: string; wrapper: string; server: string }[]> {
  if (tables.length === 0) return [];
  const { rows } = await session.internal<{ relation: string; wrapper: string; server: string }>(
    `SELECT t.name AS relation, w.fdwname AS wrapper, s.srvname AS server
       FROM pg_catalog.unnest($1::pg_catalog.text[]) AS t(name)
       JOIN pg_catalog.pg_foreign_table f ON f.ftrelid = pg_catalog.to_regclass(t.name)
       JOIN pg_catalog.pg_foreign_server s ON s.oid = f.ftserver
       JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw`,
    [tables],
  );
  return rows;
}

/** Whether the database has any foreign table (most have none: then writes need no lookup). */
export async function hasForeignTables(session: DryRunSession): Promise<boolean> {
  const { rows } = await session.internal<{ any: boolean }>(
    'SELECT EXISTS (SELECT FROM pg_catalog.pg_foreign_table) AS any',
  );
  return rows[0]?.any === true;
}

/** The notifications a statement sends, which the rollback never delivers. */
export function notifySideEffects(statement: Statement, statementIndex: number): SideEffect[] {
  return notifiedChannels(statement).map((channel) => ({
    kind: 'notify',
    object: channel === '?' ? 'a channel named at run time' : channel,
    detail:
      'NOTIFY is delivered at COMMIT; the dry-run rolls back, so listeners never receive it (a real run notifies them)',
    statementIndex,
  }));
}
