import { parseSync } from 'libpg-query';
import { PgNode, fieldsOf, nameList, nodeType } from '../parse/ast';

/**
 * One canonical text for SQL expressions and type names, whichever source they come from: a migration's
 * `CREATE INDEX ... WHERE status = 'active'`, PostgreSQL's own `pg_get_expr` output
 * (`((status)::text = 'active'::text)`), or an ORM definition. Comparing texts then answers "is this the
 * same predicate / the same indexed expression?" for the rules and for the replay-versus-database tests.
 *
 * The canonical form drops what PostgreSQL adds when it stores an expression and what does not change its
 * meaning for that question: casts of literals (`'a'::text`), the implicit `::text` on varchar columns,
 * table qualifiers of columns, `pg_catalog.` on functions, and `public.` in `'seq'::regclass` literals;
 * `x = ANY (ARRAY[...])` reads as `x IN (...)` and `BETWEEN` as two comparisons, as PostgreSQL stores them.
 */

/** Reserved words that must be quoted as identifiers (the ones a table or column is likely to be named). */
const RESERVED = new Set([
  'all',
  'analyse',
  'analyze',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'both',
  'case',
  'cast',
  'check',
  'collate',
  'column',
  'constraint',
  'create',
  'current_date',
  'current_role',
  'current_time',
  'current_timestamp',
  'current_user',
  'default',
  'deferrable',
  'desc',
  'distinct',
  'do',
  'else',
  'end',
  'except',
  'false',
  'fetch',
  'for',
  'foreign',
  'from',
  'grant',
  'group',
  'having',
  'in',
  'initially',
  'intersect',
  'into',
  'lateral',
  'leading',
  'limit',
  'localtime',
  'localtimestamp',
  'not',
  'null',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'placing',
  'primary',
  'references',
  'returning',
  'select',
  'session_user',
  'some',
  'symmetric',
  'table',
  'then',
  'to',
  'trailing',
  'true',
  'union',
  'unique',
  'user',
  'using',
  'variadic',
  'when',
  'where',
  'window',
  'with',
]);

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name` from a name list, with `public` for unqualified names (as `qualifiedName` does for tables). */
export function qualify(names: string[]): string {
  return names.length >= 2 ? `${names[names.length - 2]}.${names[names.length - 1]}` : `public.${names[0] ?? ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// Type names, as `format_type()` prints them.

const TYPE_NAMES: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  varchar: 'character varying',
  bpchar: 'character',
  varbit: 'bit varying',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
  decimal: 'numeric',
  int: 'integer',
  integer: 'integer',
  smallint: 'smallint',
  bigint: 'bigint',
  real: 'real',
  boolean: 'boolean',
};

/** The `serial` pseudo-types: a column of the base type with a sequence behind its default. */
export const SERIAL_TYPES: Record<string, string> = {
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
};

export function typeNameText(typeName: PgNode | undefined): string {
  if (!typeName) return 'unknown';
  const names = nameList(typeName.names);
  const builtin = names.length === 1 || names[0] === 'pg_catalog';
  const base = names[names.length - 1] ?? 'unknown';
  let text: string;
  if (builtin && TYPE_NAMES[base]) text = TYPE_NAMES[base];
  else if (names.length >= 2 && names[0] !== 'pg_catalog' && names[0] !== 'public')
    text = names.map(quoteIdent).join('.');
  else text = quoteIdent(base);
  const mods = ((typeName.typmods as PgNode[] | undefined) ?? []).map(printExpr);
  if (mods.length > 0 && base !== 'interval') {
    // format_type puts the precision of time types before their zone: `timestamp(3) with time zone`.
    const zone = / with(out)? time zone$/.exec(text);
    text = zone ? `${text.slice(0, zone.index)}(${mods.join(',')})${zone[0]}` : `${text}(${mods.join(',')})`;
  }
  if (typeName.arrayBounds) text += '[]';
  return text;
}

// ---------------------------------------------------------------------------------------------------------
// Expressions.

const expressionCache = new Map<string, PgNode | undefined>();

/** Parses one SQL expression (a default, a predicate, `pg_get_expr` output); undefined when it does not parse. */
export function parseExpression(text: string): PgNode | undefined {
  if (!expressionCache.has(text)) {
    let node: PgNode | undefined;
    try {
      node = fieldsOf(parseSync(`SELECT ${text}`).stmts?.[0]?.stmt).targetList?.[0]?.ResTarget?.val;
    } catch {
      node = undefined;
    }
    expressionCache.set(text, node);
  }
  return expressionCache.get(text);
}

/** The canonical text of an expression written as SQL text, or the text itself when it does not parse. */
export function canonicalText(text: string): string {
  const node = parseExpression(text);
  return node ? printExpr(node) : text.trim();
}

/** Splits a predicate into its AND-ed terms, each as canonical text (`a = 1 AND b BETWEEN 1 AND 2` → 3 terms). */
export function conjuncts(node: PgNode | undefined): PgNode[] {
  if (!node) return [];
  const fields = fieldsOf(node);
  if (nodeType(node) === 'BoolExpr' && fields.boolop === 'AND_EXPR')
    return (fields.args as PgNode[]).flatMap(conjuncts);
  if (nodeType(node) === 'A_Expr' && fields.kind === 'AEXPR_BETWEEN') {
    const [low, high] = fields.rexpr?.List?.items ?? [];
    return [comparison('>=', fields.lexpr, low), comparison('<=', fields.lexpr, high)];
  }
  return [node];
}

function comparison(op: string, lexpr: PgNode, rexpr: PgNode): PgNode {
  return { A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: op } }], lexpr, rexpr } };
}

const TEXT_LIKE_TYPES = new Set(['text', 'character varying', 'character', 'name']);

const SQL_VALUE_FUNCTIONS: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'CURRENT_DATE',
  SVFOP_CURRENT_TIME: 'CURRENT_TIME',
  SVFOP_CURRENT_TIME_N: 'CURRENT_TIME',
  SVFOP_CURRENT_TIMESTAMP: 'CURRENT_TIMESTAMP',
  SVFOP_CURRENT_TIMESTAMP_N: 'CURRENT_TIMESTAMP',
  SVFOP_LOCALTIME: 'LOCALTIME',
  SVFOP_LOCALTIME_N: 'LOCALTIME',
  SVFOP_LOCALTIMESTAMP: 'LOCALTIMESTAMP',
  SVFOP_LOCALTIMESTAMP_N: 'LOCALTIMESTAMP',
  SVFOP_CURRENT_ROLE: 'CURRENT_ROLE',
  SVFOP_CURRENT_USER: 'CURRENT_USER',
  SVFOP_USER: 'USER',
  SVFOP_SESSION_USER: 'SESSION_USER',
  SVFOP_CURRENT_CATALOG: 'CURRENT_CATALOG',
  SVFOP_CURRENT_SCHEMA: 'CURRENT_SCHEMA',
};

/** Canonical SQL text of an expression node (see the module comment). Parsable again for the common cases. */
export function printExpr(expr: PgNode | undefined): string {
  const node = withoutStoredCasts(expr);
  const type = nodeType(node);
  const f = fieldsOf(node);
  switch (type) {
    case 'ColumnRef': {
      const last = (f.fields as PgNode[])[f.fields.length - 1];
      return last?.A_Star ? '*' : quoteIdent(last?.String?.sval ?? '');
    }
    case 'A_Const':
      return constantText(f);
    case 'ParamRef':
      return `$${f.number ?? 0}`;
    case 'TypeCast': {
      const target = typeNameText(f.typeName);
      // A regclass literal names a relation: `'public.users_id_seq'` and `'users_id_seq'` are the same one.
      if (target === 'regclass' && isLiteral(f.arg)) return printExpr(f.arg).replace(/^'public\./, "'");
      return `${wrap(f.arg)}::${target}`;
    }
    case 'FuncCall': {
      const names = nameList(f.funcname);
      const name = (names[0] === 'pg_catalog' ? names.slice(1) : names).map(quoteIdent).join('.');
      const args = f.agg_star ? '*' : ((f.args as PgNode[] | undefined) ?? []).map(printExpr).join(', ');
      return `${name}(${f.agg_distinct ? 'DISTINCT ' : ''}${args})`;
    }
    case 'SQLValueFunction':
      return SQL_VALUE_FUNCTIONS[f.op] ?? f.op;
    case 'A_Expr':
      return printOperator(f);
    case 'BoolExpr': {
      if (f.boolop === 'NOT_EXPR') return `NOT ${wrap(f.args[0])}`;
      const joiner = f.boolop === 'AND_EXPR' ? ' AND ' : ' OR ';
      const args = f.boolop === 'AND_EXPR' ? conjuncts(node) : (f.args as PgNode[]);
      return args.map(wrap).join(joiner);
    }
    case 'NullTest':
      return `${wrap(f.arg)} ${f.nulltesttype === 'IS_NOT_NULL' ? 'IS NOT NULL' : 'IS NULL'}`;
    case 'BooleanTest':
      return `${wrap(f.arg)} ${String(f.booltesttype).replace(/^IS_/, 'IS ').replace(/_/g, ' ')}`;
    case 'A_ArrayExpr':
      return `ARRAY[${((f.elements as PgNode[] | undefined) ?? []).map(printExpr).join(', ')}]`;
    case 'CoalesceExpr':
      return `COALESCE(${(f.args as PgNode[]).map(printExpr).join(', ')})`;
    case 'MinMaxExpr':
      return `${f.op === 'IS_GREATEST' ? 'GREATEST' : 'LEAST'}(${(f.args as PgNode[]).map(printExpr).join(', ')})`;
    case 'CaseExpr': {
      const whens = (f.args as PgNode[]).map(
        (w) => `WHEN ${printExpr(w.CaseWhen.expr)} THEN ${printExpr(w.CaseWhen.result)}`,
      );
      const subject = f.arg ? ` ${printExpr(f.arg)}` : '';
      return `CASE${subject} ${whens.join(' ')}${f.defresult ? ` ELSE ${printExpr(f.defresult)}` : ''} END`;
    }
    case 'RowExpr':
      return `ROW(${((f.args as PgNode[] | undefined) ?? []).map(printExpr).join(', ')})`;
    case 'CollateClause':
      return `${wrap(f.arg)} COLLATE ${nameList(f.collname)
        .map((n) => `"${n}"`)
        .join('.')}`;
    case 'List':
      return `(${((f.items as PgNode[] | undefined) ?? []).map(printExpr).join(', ')})`;
    default:
      // Rare in defaults, predicates and index keys (subqueries are not even allowed there): a stable,
      // location-free rendering keeps equal expressions equal, though it is not SQL.
      return `${type ?? 'unknown'}${JSON.stringify(f, (key, value) => (key === 'location' ? undefined : value))}`;
  }
}

function constantText(f: PgNode): string {
  if (f.isnull) return 'NULL';
  // libpg-query omits zero and empty values: `{ ival: {} }` is 0, `{ sval: {} }` is ''.
  if (f.ival) return String(f.ival.ival ?? 0);
  if (f.fval) return String(f.fval.fval ?? '0');
  if (f.boolval) return f.boolval.boolval ? 'true' : 'false';
  if (f.sval) return `'${String(f.sval.sval ?? '').replace(/'/g, "''")}'`;
  if (f.bsval) return `B'${String(f.bsval.bsval ?? '').replace(/^b/, '')}'`;
  return 'NULL';
}

function operatorName(f: PgNode): string {
  const names = nameList(f.name);
  return names[names.length - 1] ?? '?';
}

function printOperator(f: PgNode): string {
  const op = operatorName(f);
  switch (f.kind) {
    case 'AEXPR_OP':
      return f.lexpr ? `${wrap(f.lexpr)} ${op} ${wrap(f.rexpr)}` : `${op} ${wrap(f.rexpr)}`;
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL': {
      // PostgreSQL stores `x IN (a, b)` as `x = ANY (ARRAY[a, b])`: print both as IN.
      const array = nodeType(f.rexpr) === 'TypeCast' ? f.rexpr.TypeCast.arg : f.rexpr;
      const elements = array?.A_ArrayExpr?.elements as PgNode[] | undefined;
      if (elements && ((op === '=' && f.kind === 'AEXPR_OP_ANY') || (op === '<>' && f.kind === 'AEXPR_OP_ALL'))) {
        return `${wrap(f.lexpr)} ${op === '=' ? 'IN' : 'NOT IN'} (${elements.map(printExpr).join(', ')})`;
      }
      return `${wrap(f.lexpr)} ${op} ${f.kind === 'AEXPR_OP_ANY' ? 'ANY' : 'ALL'} (${printExpr(f.rexpr)})`;
    }
    case 'AEXPR_IN': {
      const items = (f.rexpr?.List?.items as PgNode[] | undefined) ?? [f.rexpr];
      return `${wrap(f.lexpr)} ${op === '<>' ? 'NOT IN' : 'IN'} (${items.map(printExpr).join(', ')})`;
    }
    case 'AEXPR_DISTINCT':
      return `${wrap(f.lexpr)} IS DISTINCT FROM ${wrap(f.rexpr)}`;
    case 'AEXPR_NOT_DISTINCT':
      return `${wrap(f.lexpr)} IS NOT DISTINCT FROM ${wrap(f.rexpr)}`;
    case 'AEXPR_NULLIF':
      return `NULLIF(${printExpr(f.lexpr)}, ${printExpr(f.rexpr)})`;
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
    case 'AEXPR_SIMILAR':
      // Stored as the operator (`~~`, `~~*`, `!~~`): print the operator, which both forms share.
      return `${wrap(f.lexpr)} ${op} ${wrap(f.rexpr)}`;
    case 'AEXPR_BETWEEN':
      return conjuncts({ A_Expr: f }).map(wrap).join(' AND ');
    default: {
      const [low, high] = (f.rexpr?.List?.items as PgNode[] | undefined) ?? [];
      const keyword = String(f.kind)
        .replace(/^AEXPR_/, '')
        .replace(/_/g, ' ');
      return `${wrap(f.lexpr)} ${keyword} ${printExpr(low)} AND ${printExpr(high)}`;
    }
  }
}

const ATOMS = new Set([
  'ColumnRef',
  'A_Const',
  'ParamRef',
  'FuncCall',
  'SQLValueFunction',
  'A_ArrayExpr',
  'CoalesceExpr',
  'MinMaxExpr',
  'RowExpr',
  'CaseExpr',
]);

/** A constant, or an ARRAY of constants, possibly cast: what PostgreSQL stores with a cast we drop. */
function isLiteral(node: PgNode | undefined): boolean {
  const type = nodeType(node);
  if (type === 'A_Const') return true;
  if (type === 'TypeCast') return isLiteral(node!.TypeCast.arg);
  if (type === 'A_ArrayExpr') return ((node!.A_ArrayExpr.elements as PgNode[] | undefined) ?? []).every(isLiteral);
  return false;
}

/**
 * The expression without the casts PostgreSQL adds when it stores it: casts of literals (`'a'::text`), and
 * casts to text types (the implicit `(status)::text` of a varchar column compared with text).
 */
function withoutStoredCasts(node: PgNode | undefined): PgNode | undefined {
  let current = node;
  while (nodeType(current) === 'TypeCast') {
    const cast = current!.TypeCast;
    const target = typeNameText(cast.typeName);
    if (target === 'regclass') return current;
    if (!isLiteral(cast.arg) && !TEXT_LIKE_TYPES.has(target.replace(/\(.*\)$/, ''))) return current;
    current = cast.arg;
  }
  return current;
}

/** Parentheses around everything but atoms, so the text re-parses the same. */
function wrap(node: PgNode | undefined): string {
  const text = printExpr(node);
  const inner = withoutStoredCasts(node);
  const type = nodeType(inner);
  return (type && ATOMS.has(type)) || isLiteral(inner) ? text : `(${text})`;
}
