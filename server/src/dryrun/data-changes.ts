import { escapeLiteral } from 'pg';
import type { TableChange } from '../../../shared/protocol';
import type { DryRunSession } from './session';

/**
 * Tables up to this size (on disk, inside the transaction) get sums and samples: each is read in full once inside
 * the dry-run's transaction and once outside it (measured: about a second for a 200,000-row, 25 MB table). Bigger
 * tables get their row counts only, and so does every table once the ones measured add up to MEASURED_TOTAL_BYTES.
 */
export const MEASURED_TABLE_BYTES = 64 * 1024 * 1024;
export const MEASURED_TOTAL_BYTES = 256 * 1024 * 1024;
/** Tables measured in full, the most changed first; the rest get their row counts only. */
export const MEASURED_TABLES = 20;
/** Before/after samples per table. */
export const SAMPLES = 3;
/** Deleted rows are looked for among this many committed keys (in key order), carried into the transaction. */
export const DELETED_SEARCHED_KEYS = 100_000;
/** A sample's value is cut after this many characters. */
const SAMPLE_VALUE_LENGTH = 200;

interface ChangedTable {
  name: string;
  inserted: number;
  updated: number;
  deleted: number;
  bytes: number;
  /** The transaction holds ACCESS EXCLUSIVE on it. */
  locked: boolean;
  /**
   * Columns whose sums mean an amount: numeric types, not a key (primary, unique, foreign), not an identity or
   * serial, not named like a reference to a row (`id`, `*_id`), whose sum means nothing.
   */
  amounts: string[];
  /** Primary key columns; empty when the table has none. */
  key: string[];
  /** Their types, as `format_type` spells them: a key read back as text is cast to them, so its index finds it. */
  keyTypes: string[];
}

/**
 * What a program's statements changed, per table, measured at the end inside the dry-run's transaction, just
 * before its ROLLBACK, with no cost per statement:
 *
 * - rows inserted, updated and deleted: `pg_stat_xact_user_tables`, PostgreSQL's counters for the current
 *   transaction, which every client connection of the program shares through the proxy. They count what was
 *   attempted, also rows of a statement later rolled back to a savepoint (a failed statement, a client's
 *   ROLLBACK), and writes by triggers and cascades.
 * - sums of the amount columns, inside the transaction against the same sums read on the monitor connection
 *   outside it, which sees the database as committed, as it was before the program ran (on a live server, plus
 *   what other sessions committed meanwhile). Only columns whose sum moved are reported.
 * - samples: rows this transaction wrote (their `xmin` is one of its own transaction ids, in progress) beside
 *   the same primary key read outside; an update shows the key and the columns that differ.
 */
export async function measureDataChanges(session: DryRunSession): Promise<TableChange[]> {
  const tables = await changedTables(session);
  const measured = new Set<ChangedTable>();
  let bytes = 0;
  for (const table of [...tables].sort((a, b) => changed(b) - changed(a))) {
    if (measured.size === MEASURED_TABLES || bytes + table.bytes > MEASURED_TOTAL_BYTES) break;
    if (table.bytes > MEASURED_TABLE_BYTES) continue;
    measured.add(table);
    bytes += table.bytes;
  }
  // A table the program created does not exist outside the transaction: everything in it is new.
  const committed = await committedTables(session, [...measured]);
  const changes: TableChange[] = [];
  for (const table of tables) {
    const change: TableChange = {
      table: table.name,
      inserted: table.inserted,
      updated: table.updated,
      deleted: table.deleted,
      numericSums: [],
      samples: [],
    };
    // A committed table the transaction holds ACCESS EXCLUSIVE (ALTER, TRUNCATE, LOCK) cannot be read outside
    // it before the rollback.
    const existed = committed.has(table.name);
    if (measured.has(table) && !(existed && table.locked)) {
      // One query at a time on each connection (pg queues a second and warns): the sums read inside the transaction
      // and outside it at once, on their two connections, then the samples.
      change.numericSums = await movedSums(session, table, existed).catch(() => []);
      change.samples = await samplesOf(session, table, existed).catch(() => []);
    }
    changes.push(change);
  }
  return changes;
}

function changed(table: ChangedTable): number {
  return table.inserted + table.updated + table.deleted;
}

async function changedTables(session: DryRunSession): Promise<ChangedTable[]> {
  const { rows } = await session.internal<
    Omit<ChangedTable, 'amounts' | 'key' | 'keyTypes'> & {
      amounts: string[] | null;
      key: string[] | null;
      keyTypes: string[] | null;
    }
  >(
    `SELECT pg_catalog.format('%I.%I', s.schemaname, s.relname) AS name,
            s.n_tup_ins::int AS inserted, s.n_tup_upd::int AS updated, s.n_tup_del::int AS deleted,
            pg_catalog.pg_table_size(s.relid)::float8 AS bytes,
            EXISTS (SELECT 1 FROM pg_catalog.pg_locks l
                     WHERE l.pid = pg_catalog.pg_backend_pid() AND l.relation = s.relid
                       AND l.mode = 'AccessExclusiveLock' AND l.granted) AS locked,
            (SELECT pg_catalog.array_agg(a.attname::text ORDER BY a.attnum)
               FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = s.relid AND a.attnum > 0 AND NOT a.attisdropped AND a.attidentity = ''
                AND a.attname <> 'id' AND a.attname !~ '_id$'
                AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype, 'numeric'::regtype,
                                   'float4'::regtype, 'float8'::regtype)
                AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                                 WHERE c.conrelid = s.relid AND c.contype IN ('p', 'u', 'f') AND a.attnum = ANY (c.conkey))
                AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attrdef d
                                 WHERE d.adrelid = s.relid AND d.adnum = a.attnum
                                   AND pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%')) AS amounts,
            pk.key, pk."keyTypes"
       FROM pg_catalog.pg_stat_xact_user_tables s
       CROSS JOIN LATERAL (
             SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.ord) AS key,
                    pg_catalog.array_agg(pg_catalog.format_type(a.atttypid, a.atttypmod) ORDER BY k.ord) AS "keyTypes"
               FROM pg_catalog.pg_index i
               CROSS JOIN LATERAL pg_catalog.unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              WHERE i.indrelid = s.relid AND i.indisprimary) pk
      WHERE s.n_tup_ins + s.n_tup_upd + s.n_tup_del > 0 AND s.schemaname !~ '^pg_temp'
      ORDER BY name`,
  );
  return rows.map((row) => ({ ...row, amounts: row.amounts ?? [], key: row.key ?? [], keyTypes: row.keyTypes ?? [] }));
}

async function movedSums(
  session: DryRunSession,
  table: ChangedTable,
  committed: boolean,
): Promise<TableChange['numericSums']> {
  if (table.amounts.length === 0) return [];
  const sql = `SELECT ${table.amounts.map((column, i) => `pg_catalog.sum(${ident(column)})::text AS c${i}`).join(', ')} FROM ${table.name}`;
  type Sums = Record<string, string | null>;
  const outside = committed ? session.readCommitted<Sums>(sql) : Promise.resolve<Sums[]>([{}]);
  const [[after], [before]] = await Promise.all([session.internal<Sums>(sql).then((result) => result.rows), outside]);
  const rows = changed(table);
  return table.amounts.flatMap((column, i) => {
    const delta = Number((Number(after[`c${i}`] ?? 0) - Number(before[`c${i}`] ?? 0)).toPrecision(15));
    return delta === 0 ? [] : [{ column, delta, rows }];
  });
}

/** Which of the tables exist outside the transaction, in one read on the monitor connection. */
async function committedTables(session: DryRunSession, tables: ChangedTable[]): Promise<Set<string>> {
  if (tables.length === 0) return new Set();
  const names = tables.map((table) => escapeLiteral(table.name)).join(', ');
  const rows = await session.readCommitted<{ name: string }>(
    `SELECT name FROM pg_catalog.unnest(ARRAY[${names}]::text[]) AS name WHERE pg_catalog.to_regclass(name) IS NOT NULL`,
  );
  return new Set(rows.map((row) => row.name));
}

type Row = Record<string, string | null>;

async function samplesOf(
  session: DryRunSession,
  table: ChangedTable,
  committed: boolean,
): Promise<TableChange['samples']> {
  if (table.key.length === 0) return [];
  // Rows this transaction wrote: age(xmin) <= 0 keeps the transaction's own ids (and, on a live server, those
  // of sessions that began after it), and pg_xact_status says which of them are still in progress, which only
  // the dry-run's own are among the rows it can see. Its xid8 is the transaction's own less the age.
  const { rows: written } = await session.internal<{ row: Row }>(
    `SELECT ${rowAsText('t')} AS row FROM ${table.name} t
      WHERE pg_catalog.age(t.xmin) <= 0
        AND pg_catalog.pg_xact_status(((pg_catalog.pg_current_xact_id()::text::bigint - pg_catalog.age(t.xmin))::text)::xid8) = 'in progress'
      ORDER BY ${keyColumns(table, 't')} LIMIT ${SAMPLES}`,
  );
  const samples: TableChange['samples'] = [];
  const before = new Map<string, Row>();
  if (committed && written.length > 0) {
    const keys = written.map(({ row }) =>
      keyValues(
        table,
        table.key.map((column) => escapeLiteral(row[column] ?? '')),
      ),
    );
    for (const { row } of await session.readCommitted<{ row: Row }>(
      `SELECT ${rowAsText('t')} AS row FROM ${table.name} t WHERE ${keyRow(table, 't')} IN (${keys.join(', ')})`,
    ))
      before.set(keyOf(table, row), row);
  }
  for (const { row } of written) {
    const old = before.get(keyOf(table, row));
    samples.push(old ? changedColumns(table, old, row) : { before: null, after: cut(row) });
  }
  if (samples.length < SAMPLES && table.deleted > 0 && committed)
    samples.push(...(await deletedSamples(session, table, SAMPLES - samples.length)));
  return samples;
}

/**
 * Rows the transaction deleted: committed keys that it no longer sees. Inside the transaction a deleted row is
 * gone, so the committed keys are carried in, the first DELETED_SEARCHED_KEYS of them.
 */
async function deletedSamples(
  session: DryRunSession,
  table: ChangedTable,
  count: number,
): Promise<TableChange['samples']> {
  const committed = await session.readCommitted<{ key: string[] }>(
    `SELECT ${keyArray(table, 't')} AS key FROM ${table.name} t ORDER BY ${keyColumns(table, 't')} LIMIT ${DELETED_SEARCHED_KEYS}`,
  );
  if (committed.length === 0) return [];
  const { rows: gone } = await session.internal<{ key: string[] }>(
    `SELECT k.key FROM pg_catalog.jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, ord),
            LATERAL (SELECT ARRAY(SELECT pg_catalog.jsonb_array_elements_text(e.value)) AS key) k
      WHERE NOT EXISTS (SELECT 1 FROM ${table.name} t
                         WHERE ${keyRow(table, 't')} = ${keyValues(
                           table,
                           table.key.map((_, i) => `k.key[${i + 1}]`),
                         )})
      ORDER BY e.ord LIMIT ${count}`,
    [JSON.stringify(committed.map((row) => row.key))],
  );
  if (gone.length === 0) return [];
  const keys = gone.map(({ key }) =>
    keyValues(
      table,
      key.map((value) => escapeLiteral(value)),
    ),
  );
  const rows = await session.readCommitted<{ row: Row }>(
    `SELECT ${rowAsText('t')} AS row FROM ${table.name} t WHERE ${keyRow(table, 't')} IN (${keys.join(', ')}) ORDER BY ${keyColumns(table, 't')}`,
  );
  return rows.map(({ row }) => ({ before: cut(row), after: null }));
}

/** A row with every value as PostgreSQL prints it, in column order: the same text whichever client wrote it. */
function rowAsText(alias: string): string {
  return `(SELECT pg_catalog.json_object_agg(j.key, j.value) FROM pg_catalog.json_each_text(pg_catalog.row_to_json(${alias})) j)`;
}

function keyColumns(table: ChangedTable, alias: string): string {
  return table.key.map((column) => `${alias}.${ident(column)}`).join(', ');
}

/** The primary key of a row as a text array, comparable whatever the key's types. */
function keyArray(table: ChangedTable, alias: string): string {
  return `ARRAY[${table.key.map((column) => `${alias}.${ident(column)}::text`).join(', ')}]`;
}

/** The key columns as a row, `ROW(t.a, t.b)`, to compare with `keyValues`: the primary key's index serves it. */
function keyRow(table: ChangedTable, alias: string): string {
  return `ROW(${keyColumns(table, alias)})`;
}

/** Text expressions (a key read back as text) cast to the key columns' types, as a row to compare with `keyRow`. */
function keyValues(table: ChangedTable, texts: string[]): string {
  return `ROW(${texts.map((text, i) => `(${text})::${table.keyTypes[i]}`).join(', ')})`;
}

function keyOf(table: ChangedTable, row: Row): string {
  return JSON.stringify(table.key.map((column) => row[column]));
}

/** An updated row: its key and the columns that differ. */
function changedColumns(table: ChangedTable, before: Row, after: Row): TableChange['samples'][number] {
  const shown = Object.keys(after).filter((column) => table.key.includes(column) || before[column] !== after[column]);
  const pick = (row: Row) => cut(Object.fromEntries(shown.map((column) => [column, row[column] ?? null])));
  return { before: pick(before), after: pick(after) };
}

function cut(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [
      column,
      value !== null && value.length > SAMPLE_VALUE_LENGTH ? `${value.slice(0, SAMPLE_VALUE_LENGTH)}…` : value,
    ]),
  );
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
