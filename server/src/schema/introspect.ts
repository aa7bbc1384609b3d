import { Client } from 'pg';
import type {
  Catalog,
  ColumnInfo,
  ConstraintInfo,
  ConstraintType,
  IndexInfo,
  IndexKey,
  TableInfo,
  TriggerInfo,
} from './catalog';
import { canonicalText, parseExpression, printExpr } from './expression';
import { bodyTextWrites } from './function-body';
import { triggerShape } from './replay-sql';

/**
 * Reads the schema of a live database from `pg_catalog`, into the same model replay builds: expressions pass
 * through the same canonical printer (PostgreSQL's `pg_get_expr` output parses back into the same form), and
 * objects that belong to extensions are left out, as pg_dump leaves them out. Adds what only a database knows:
 * row estimates (`reltuples`). Runs in a READ ONLY transaction that is rolled back.
 */
export async function introspectDatabase(client: Client): Promise<Catalog> {
  await client.query('BEGIN READ ONLY');
  try {
    // format_type and pg_get_expr qualify names outside the search path: print them as the model does, with
    // `public` implied, whatever the role's own search_path is.
    await client.query('SET LOCAL search_path TO public');
    return await readCatalog(client);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}

const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;

function notExtensionMember(catalogTable: string, oid: string): string {
  return `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalogTable}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;
}

const CONSTRAINT_TYPES: Record<string, ConstraintType> = {
  p: 'primary-key',
  u: 'unique',
  f: 'foreign-key',
  c: 'check',
  x: 'exclusion',
};

interface MutableTableInfo extends TableInfo {
  columns: ColumnInfo[];
  indexes: IndexInfo[];
  constraints: ConstraintInfo[];
  triggers: TriggerInfo[];
}

async function readCatalog(client: Client): Promise<Catalog> {
  const query = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];

  const schemas = await query<{ nspname: string }>(
    `SELECT n.nspname FROM pg_namespace n WHERE ${USER_SCHEMA} ORDER BY n.oid`,
  );
  const relations = await query<{
    oid: number;
    nspname: string;
    relname: string;
    relkind: string;
    reltuples: number;
    owner: string | null;
  }>(`
    SELECT c.oid, n.nspname, c.relname, c.relkind, c.reltuples,
           (SELECT tn.nspname || '.' || t.relname || '.' || a.attname
              FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
              JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
             WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
               AND d.deptype IN ('a', 'i') LIMIT 1) AS owner
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND ${USER_SCHEMA} AND ${notExtensionMember('pg_class', 'c.oid')}
     ORDER BY c.oid`);

  const tables = new Map<string, MutableTableInfo>();
  const byOid = new Map<number, MutableTableInfo>();
  const catalog: Catalog = {
    schemas: new Set(schemas.map((s) => s.nspname)),
    tables,
    views: new Map(),
    sequences: new Map(),
    functions: new Map(),
  };
  for (const r of relations) {
    const name = `${r.nspname}.${r.relname}`;
    if (r.relkind === 'r' || r.relkind === 'p') {
      // reltuples is -1 until the table is first vacuumed or analyzed: then the size is unknown.
      const table: MutableTableInfo = {
        name,
        columns: [],
        indexes: [],
        constraints: [],
        triggers: [],
        ...(r.reltuples >= 0 ? { rowEstimate: Math.round(r.reltuples) } : {}),
      };
      tables.set(name, table);
      byOid.set(r.oid, table);
    } else if (r.relkind === 'S') {
      (catalog.sequences as Map<string, unknown>).set(name, { name, ...(r.owner ? { ownedBy: r.owner } : {}) });
    } else {
      (catalog.views as Map<string, unknown>).set(name, { name, materialized: r.relkind === 'm' });
    }
  }
  const oids = [...byOid.keys()];

  const columns = await query<{
    attrelid: number;
    attname: string;
    type: string;
    attnotnull: boolean;
    def: string | null;
    attidentity: string;
  }>(
    `
    SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
           pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity
      FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  for (const c of columns) {
    const column: ColumnInfo = { name: c.attname, type: c.type, nullable: !c.attnotnull };
    if (c.def !== null) column.default = canonicalText(c.def);
    if (c.attidentity) column.identity = c.attidentity === 'a' ? 'always' : 'by default';
    byOid.get(c.attrelid)?.columns.push(column);
  }

  const indexes = await query<{
    indrelid: number;
    relname: string;
    amname: string;
    indisunique: boolean;
    indisprimary: boolean;
    nkeys: number;
    keys: number[];
    options: number[];
    defs: string[];
    pred: string | null;
    conname: string | null;
  }>(
    `
    SELECT i.indrelid, ic.relname, am.amname, i.indisunique, i.indisprimary, i.indnkeyatts AS nkeys,
           string_to_array(i.indkey::text, ' ')::int[] AS keys, string_to_array(i.indoption::text, ' ')::int[] AS options,
           ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnatts) k) AS defs,
           pg_get_expr(i.indpred, i.indrelid) AS pred,
           (SELECT con.conname FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')) AS conname
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
     WHERE i.indrelid = ANY($1)
     ORDER BY i.indrelid, i.indexrelid`,
    [oids],
  );
  for (const i of indexes) {
    const keys: IndexKey[] = [];
    for (let k = 0; k < i.nkeys; k++) {
      const descending = (i.options[k] & 1) === 1 ? { descending: true } : {};
      keys.push(
        i.keys[k] === 0
          ? { expression: canonicalText(i.defs[k]), ...descending }
          : { column: unquote(i.defs[k]), ...descending },
      );
    }
    const index: IndexInfo = {
      name: i.relname,
      method: i.amname,
      unique: i.indisunique,
      primary: i.indisprimary,
      keys,
      include: i.defs.slice(i.nkeys).map(unquote),
    };
    if (i.pred !== null) index.predicate = canonicalText(i.pred);
    if (i.conname !== null) index.constraint = i.conname;
    byOid.get(i.indrelid)?.indexes.push(index);
  }

  const constraints = await query<{
    conrelid: number;
    conname: string;
    contype: string;
    condeferrable: boolean;
    condeferred: boolean;
    columns: string[];
    reftable: string | null;
    refcolumns: string[];
    expr: string | null;
  }>(
    `
    SELECT con.conrelid, con.conname, con.contype, con.condeferrable, con.condeferred,
           ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS columns,
           (SELECT fn.nspname || '.' || fc.relname FROM pg_class fc JOIN pg_namespace fn ON fn.oid = fc.relnamespace WHERE fc.oid = con.confrelid) AS reftable,
           ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
                   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) AS refcolumns,
           pg_get_expr(con.conbin, con.conrelid) AS expr
      FROM pg_constraint con
     WHERE con.conrelid = ANY($1) AND con.contype IN ('p', 'u', 'f', 'c', 'x')
     ORDER BY con.conrelid, con.conname`,
    [oids],
  );
  for (const c of constraints) {
    const constraint: ConstraintInfo = {
      name: c.conname,
      type: CONSTRAINT_TYPES[c.contype],
      columns: c.columns,
      deferrable: c.condeferrable,
      initiallyDeferred: c.condeferred,
    };
    if (c.contype === 'f') constraint.references = { table: c.reftable ?? '', columns: c.refcolumns };
    if (c.contype === 'c' && c.expr !== null) constraint.expression = canonicalText(c.expr);
    byOid.get(c.conrelid)?.constraints.push(constraint);
  }

  const triggers = await query<{
    tgrelid: number;
    tgname: string;
    tgtype: number;
    tgenabled: string;
    isconstraint: boolean;
    tgdeferrable: boolean;
    tginitdeferred: boolean;
    fn: string;
  }>(
    `
    SELECT t.tgrelid, t.tgname, t.tgtype, t.tgenabled, t.tgconstraint <> 0 AS isconstraint, t.tgdeferrable, t.tginitdeferred,
           pn.nspname || '.' || p.proname AS fn
      FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
     WHERE t.tgrelid = ANY($1) AND NOT t.tgisinternal
     ORDER BY t.tgrelid, t.oid`,
    [oids],
  );
  for (const t of triggers) {
    byOid.get(t.tgrelid)?.triggers.push({
      name: t.tgname,
      ...triggerShape(t.tgtype, t.tgtype),
      forEachRow: (t.tgtype & 1) === 1,
      function: t.fn,
      constraint: t.isconstraint,
      deferrable: t.tgdeferrable,
      initiallyDeferred: t.tginitdeferred,
      enabled: t.tgenabled !== 'D',
    });
  }

  const functions = await query<{
    nspname: string;
    proname: string;
    lanname: string;
    returns: string;
    prosrc: string;
  }>(`
    SELECT n.nspname, p.proname, l.lanname, format_type(p.prorettype, NULL) AS returns, p.prosrc
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
     WHERE ${USER_SCHEMA} AND p.prokind IN ('f', 'p') AND ${notExtensionMember('pg_proc', 'p.oid')}
     ORDER BY p.oid`);
  for (const f of functions) {
    const name = `${f.nspname}.${f.proname}`;
    (catalog.functions as Map<string, unknown>).set(name, {
      name,
      language: f.lanname,
      returns: f.returns,
      ...bodyTextWrites(f.lanname, f.prosrc, f.returns === 'trigger'),
    });
  }
  return catalog;
}

/** `pg_get_indexdef` quotes column names that need it; the model keeps names as they are. */
function unquote(name: string): string {
  const expr = parseExpression(name);
  return expr?.ColumnRef
    ? printExpr(expr)
        .replace(/^"(.*)"$/, '$1')
        .replace(/""/g, '"')
    : name;
}
