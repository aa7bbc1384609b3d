import { PgNode, constantValue, fieldsOf, nameList, nodeType, qualifiedName } from '../parse/ast';
import type { Dialect } from '../parse/dialect';
import type { IndexInfo, TableInfo } from './catalog';
import { conjuncts, parseExpression, printExpr, quoteIdent, typeNameText } from './expression';

/**
 * Can an index serve the filter of an UPDATE, DELETE or SELECT ... FOR UPDATE? A btree index helps when the
 * WHERE clause has an index-usable condition (`=`, `IN (...)`, `= ANY`, ranges, `IS NULL`, equality with a
 * column of another table) on its leading column; a partial index only when the filter implies its predicate;
 * an expression index only when the same expression is filtered. `NOT IN`, `<>`, `LIKE`, and a column wrapped
 * in a function or cast cannot use a plain index on the column. Purely syntactic: no statistics, no planner.
 */

/** A table a statement filters, and the filter. */
export interface FilterTarget {
  table: string;
  /** `DELETE FROM`, `UPDATE`, `SELECT ... FOR UPDATE`. */
  verb: string;
  where: PgNode;
  /** Names that qualify the target's columns in the filter: its alias, or its name. */
  names: Set<string>;
  /** The database that runs the statement: MySQL can use an index for `LIKE 'prefix%'`, PostgreSQL's btree cannot. */
  dialect: Dialect;
}

const LOCK_STRENGTHS: Record<string, string> = {
  LCS_FORUPDATE: 'FOR UPDATE',
  LCS_FORNOKEYUPDATE: 'FOR NO KEY UPDATE',
  LCS_FORSHARE: 'FOR SHARE',
  LCS_FORKEYSHARE: 'FOR KEY SHARE',
};

/** The filtered writes and row locks of a statement, its data-modifying CTEs included. */
export function filterTargets(statement: PgNode | undefined, dialect: Dialect = 'postgresql'): FilterTarget[] {
  const type = nodeType(statement);
  const f = fieldsOf(statement);
  const targets: FilterTarget[] = [];
  for (const cte of (f.withClause?.WithClause?.ctes ?? f.withClause?.ctes ?? []) as PgNode[]) {
    targets.push(...filterTargets(cte.CommonTableExpr?.ctequery, dialect));
  }
  if ((type === 'UpdateStmt' || type === 'DeleteStmt') && f.whereClause) {
    const table = qualifiedName(f.relation);
    if (table) {
      const verb = type === 'UpdateStmt' ? 'UPDATE' : 'DELETE FROM';
      targets.push({
        table,
        verb,
        where: f.whereClause,
        names: new Set([f.relation.alias?.aliasname ?? f.relation.relname]),
        dialect,
      });
    }
  }
  if (type === 'SelectStmt' && f.lockingClause?.length) {
    const locking = f.lockingClause[0].LockingClause;
    const verb = `SELECT ... ${LOCK_STRENGTHS[locking.strength] ?? 'FOR UPDATE'} of`;
    const lockedNames = new Set(((locking.lockedRels as PgNode[] | undefined) ?? []).map((r) => r.RangeVar?.relname));
    const { relations, quals } = fromItems(f.fromClause);
    const where = [f.whereClause, ...quals].filter(Boolean) as PgNode[];
    if (where.length > 0) {
      const filter = where.length === 1 ? where[0] : { BoolExpr: { boolop: 'AND_EXPR', args: where } };
      for (const relation of relations) {
        const name = relation.alias?.aliasname ?? relation.relname;
        const table = qualifiedName(relation);
        if (table && (lockedNames.size === 0 || lockedNames.has(name)))
          targets.push({ table, verb, where: filter, names: new Set([name]), dialect });
      }
    }
  }
  return targets;
}

/** The tables of a FROM list, through joins, and the join conditions. */
function fromItems(items: PgNode[] | undefined): { relations: PgNode[]; quals: PgNode[] } {
  const relations: PgNode[] = [];
  const quals: PgNode[] = [];
  const visit = (item: PgNode | undefined) => {
    if (item?.RangeVar) relations.push(item.RangeVar);
    if (item?.JoinExpr) {
      visit(item.JoinExpr.larg);
      visit(item.JoinExpr.rarg);
      if (item.JoinExpr.quals) quals.push(item.JoinExpr.quals);
    }
  };
  (items ?? []).forEach(visit);
  return { relations, quals };
}

/** One condition of the filter, as far as indexes are concerned. */
type Term =
  | { kind: 'column'; column: string; equality: boolean }
  | { kind: 'expression'; expression: string; columns: string[] }
  | { kind: 'unusable'; column: string; why: string }
  | { kind: 'or'; branches: Term[][] }
  /** Anything else: no index of the target serves it (a condition on another table, EXISTS, a row comparison). */
  | { kind: 'other' };

export interface FilterAnalysis {
  /** Some index of the table can serve the filter. */
  served: boolean;
  /** Columns with an index-usable condition, equality ones first. */
  usableColumns: string[];
  /** Filtered expressions (`lower(email)`), which only an expression index serves. */
  expressions: string[];
  /** Conditions no index can serve, for the message: `record_id NOT IN (...)`. */
  unusable: { column: string; why: string }[];
  /** Why the index that comes closest does not serve the filter; undefined when the table has no index. */
  nearMiss?: string;
  /** The index to create: its key list (`record_type`, `lower(email)`, `(created_at::date)`) and a name. */
  proposal?: { columns: string; name: string };
}

export function analyzeFilter(target: FilterTarget, table: TableInfo): FilterAnalysis {
  const terms = conjuncts(target.where).map((node) => termOf(node, target, table));
  const implied = new Set(conjuncts(target.where).map(printExpr));
  const servable = (term: Term): boolean =>
    term.kind === 'or'
      ? term.branches.every((branch) => branch.some(servable))
      : table.indexes.some((index) => serves(index, term, implied, terms));
  const flat = terms.flatMap((t) => (t.kind === 'or' ? t.branches.flat() : [t]));
  const columnTerms = flat.filter((t): t is Extract<Term, { kind: 'column' }> => t.kind === 'column');
  const usableColumns = unique(
    [...columnTerms.filter((t) => t.equality), ...columnTerms.filter((t) => !t.equality)].map((t) => t.column),
  );
  const expressions = unique(flat.flatMap((t) => (t.kind === 'expression' ? [t.expression] : [])));
  const unusable = flat.filter((t): t is Extract<Term, { kind: 'unusable' }> => t.kind === 'unusable');
  const served = terms.some(servable);
  return {
    served,
    usableColumns,
    expressions,
    unusable,
    nearMiss: served
      ? undefined
      : nearMiss(
          table,
          usableColumns,
          expressions,
          unusable,
          terms.some((t) => t.kind === 'or'),
        ),
    proposal: proposal(table, usableColumns, expressions),
  };
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** Whether `index` can find the rows of `term` (given the whole filter, for a partial index's predicate). */
function serves(index: IndexInfo, term: Term, implied: ReadonlySet<string>, terms: Term[]): boolean {
  if (index.method !== 'btree' && !(index.method === 'hash' && term.kind === 'column' && term.equality)) return false;
  const leading = index.keys[0];
  if (!leading) return false;
  const matches =
    (term.kind === 'column' && 'column' in leading && leading.column === term.column) ||
    (term.kind === 'expression' && 'expression' in leading && leading.expression === term.expression);
  return matches && predicateImplied(index, implied, terms);
}

/**
 * A partial index serves only rows that satisfy its predicate, so the filter must imply each of the predicate's
 * terms: the same condition, or `x IS NOT NULL` when the filter compares x with a value.
 */
function predicateImplied(index: IndexInfo, implied: ReadonlySet<string>, terms: Term[]): boolean {
  if (!index.predicate) return true;
  return conjuncts(parseExpression(index.predicate)).every((term) => {
    if (implied.has(printExpr(term))) return true;
    const test = term.NullTest;
    const column = test?.nulltesttype === 'IS_NOT_NULL' ? columnOf(test.arg) : undefined;
    return column !== undefined && terms.some((t) => t.kind === 'column' && t.column === column && t.equality);
  });
}

function columnOf(node: PgNode | undefined): string | undefined {
  const fields = node?.ColumnRef?.fields as PgNode[] | undefined;
  return fields?.[fields.length - 1]?.String?.sval;
}

/** The target's column a node names, or undefined (another table's column, or not a column). */
function targetColumn(node: PgNode | undefined, target: FilterTarget, table: TableInfo): string | undefined {
  const fields = nameList(node?.ColumnRef?.fields);
  if (fields.length === 0) return undefined;
  const written = fields[fields.length - 1];
  // MySQL compares column names without regard to case: the term takes the table's spelling.
  const known =
    target.dialect === 'postgresql'
      ? undefined
      : table.columns.find((c) => c.name.toLowerCase() === written.toLowerCase())?.name;
  const column = known ?? written;
  if (fields.length >= 2) return target.names.has(fields[fields.length - 2]) ? column : undefined;
  // An unqualified name is the target's when the target has such a column.
  return table.columns.some((c) => c.name === column) ? column : undefined;
}

function mentionsTarget(node: unknown, target: FilterTarget, table: TableInfo): boolean {
  if (Array.isArray(node)) return node.some((item) => mentionsTarget(item, target, table));
  if (!node || typeof node !== 'object') return false;
  const n = node as PgNode;
  if (n.ColumnRef) return targetColumn(n, target, table) !== undefined;
  // A subquery's columns are its own tables' (a correlated reference does not make it usable either way).
  if (n.SubLink) return mentionsTarget(n.SubLink.testexpr, target, table);
  return Object.values(n).some((value) => mentionsTarget(value, target, table));
}

const RANGE_OPERATORS = new Set(['<', '>', '<=', '>=']);
const TEXT_TYPES = /^(text|character varying|character|name)\b/;

function termOf(node: PgNode, target: FilterTarget, table: TableInfo): Term {
  const type = nodeType(node);
  const f = fieldsOf(node);
  const unknown: Term = { kind: 'other' };
  switch (type) {
    case 'ColumnRef': {
      const column = targetColumn(node, target, table);
      return column ? { kind: 'column', column, equality: true } : unknown;
    }
    case 'NullTest': {
      const column = targetColumn(f.arg, target, table);
      if (!column) return unknown;
      return f.nulltesttype === 'IS_NULL'
        ? { kind: 'column', column, equality: true }
        : { kind: 'unusable', column, why: 'IS NOT NULL' };
    }
    case 'BoolExpr': {
      if (f.boolop === 'OR_EXPR')
        return {
          kind: 'or',
          branches: (f.args as PgNode[]).map((arg) => conjuncts(arg).map((c) => termOf(c, target, table))),
        };
      if (f.boolop === 'NOT_EXPR') {
        const inner = f.args[0];
        const column = targetColumn(inner, target, table) ?? targetColumn(inner?.SubLink?.testexpr, target, table);
        if (inner?.ColumnRef && column) return { kind: 'column', column, equality: true };
        return column ? { kind: 'unusable', column, why: 'NOT IN' } : unknown;
      }
      return unknown;
    }
    case 'SubLink': {
      const column = f.subLinkType === 'ANY_SUBLINK' ? targetColumn(f.testexpr, target, table) : undefined;
      return column ? { kind: 'column', column, equality: true } : unknown;
    }
    case 'A_Expr':
      return operatorTerm(f, target, table) ?? unknown;
    default:
      return unknown;
  }
}

/** `col op value` (either way round); `value` must not read the target itself. */
function operatorTerm(f: PgNode, target: FilterTarget, table: TableInfo): Term | undefined {
  const op = nameList(f.name).pop() ?? '';
  const sides: [PgNode, PgNode][] =
    f.kind === 'AEXPR_OP'
      ? [
          [f.lexpr, f.rexpr],
          [f.rexpr, f.lexpr],
        ]
      : [[f.lexpr, f.rexpr]];
  for (const [subject, value] of sides) {
    if (!subject || mentionsTarget(value, target, table)) continue;
    const column = targetColumn(subject, target, table) ?? textCastColumn(subject, target, table);
    if (column) {
      if (f.kind === 'AEXPR_IN')
        return op === '=' ? { kind: 'column', column, equality: true } : { kind: 'unusable', column, why: 'NOT IN' };
      if (f.kind === 'AEXPR_OP_ANY' && op === '=') return { kind: 'column', column, equality: true };
      if (f.kind === 'AEXPR_BETWEEN') return { kind: 'column', column, equality: false };
      if (f.kind === 'AEXPR_OP' && op === '=') return { kind: 'column', column, equality: true };
      if (f.kind === 'AEXPR_OP' && RANGE_OPERATORS.has(op)) return { kind: 'column', column, equality: false };
      if (f.kind === 'AEXPR_OP' && (op === '<>' || op === '!=')) return { kind: 'unusable', column, why: '<>' };
      if (f.kind === 'AEXPR_LIKE' && op === '~~' && target.dialect !== 'postgresql' && isPrefixPattern(value))
        return { kind: 'column', column, equality: false };
      if (f.kind === 'AEXPR_LIKE' || f.kind === 'AEXPR_ILIKE')
        return { kind: 'unusable', column, why: op.includes('*') ? 'ILIKE' : 'LIKE' };
      return { kind: 'unusable', column, why: op };
    }
    const columns = subjectColumns(subject, target, table);
    if (
      columns.length > 0 &&
      (f.kind === 'AEXPR_OP' || f.kind === 'AEXPR_IN' || f.kind === 'AEXPR_OP_ANY' || f.kind === 'AEXPR_BETWEEN')
    ) {
      // `lower(email) = $1`, `created_at::date = '2024-01-01'`: only an index on that expression serves it.
      const usable =
        f.kind === 'AEXPR_OP' ? op === '=' || RANGE_OPERATORS.has(op) : op === '=' || f.kind === 'AEXPR_BETWEEN';
      return usable
        ? { kind: 'expression', expression: printExpr(subject), columns }
        : { kind: 'unusable', column: columns[0], why: op };
    }
  }
  return undefined;
}

/** A constant LIKE pattern that does not start with a wildcard: MySQL scans the index range of its prefix. */
function isPrefixPattern(pattern: PgNode): boolean {
  const value = constantValue(pattern);
  return typeof value === 'string' && value !== '' && !/^[%_]/.test(value);
}

/** `col::text` on a text column is the column itself (PostgreSQL adds that cast to varchar comparisons). */
function textCastColumn(node: PgNode, target: FilterTarget, table: TableInfo): string | undefined {
  const cast = node.TypeCast;
  if (!cast || !TEXT_TYPES.test(typeNameText(cast.typeName))) return undefined;
  const column = targetColumn(cast.arg, target, table);
  const type = table.columns.find((c) => c.name === column)?.type ?? '';
  return column && TEXT_TYPES.test(type) ? column : undefined;
}

function subjectColumns(node: unknown, target: FilterTarget, table: TableInfo): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const column = (value as PgNode).ColumnRef ? targetColumn(value as PgNode, target, table) : undefined;
    if (column) found.push(column);
    Object.values(value).forEach(visit);
  };
  visit(node);
  return unique(found);
}

function ordinal(n: number): string {
  return n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}

function leadingText(index: IndexInfo): string {
  const leading = index.keys[0];
  return !leading ? '(nothing)' : 'column' in leading ? leading.column : leading.expression;
}

/** Why the index that comes closest to serving the filter does not; undefined when there is no index at all. */
function nearMiss(
  table: TableInfo,
  usableColumns: string[],
  expressions: string[],
  unusable: { column: string; why: string }[],
  hasOr: boolean,
): string | undefined {
  const indexes = table.indexes;
  if (indexes.length === 0) return undefined;
  const orNote = hasOr ? ' (an OR needs an index for each of its branches)' : '';
  const uses =
    usableColumns.length > 0
      ? `this filter uses ${usableColumns.join(', ')} only`
      : expressions.length > 0
        ? `this filter only compares ${expressions.join(', ')}, which only an index on that expression can serve`
        : 'this filter has no condition an index can use';
  return nearestIndex(indexes, usableColumns, expressions, unusable, uses + orNote);
}

function nearestIndex(
  indexes: readonly IndexInfo[],
  usableColumns: string[],
  expressions: string[],
  unusable: { column: string; why: string }[],
  uses: string,
): string {
  const which = (index: IndexInfo) =>
    indexes.length === 1 ? `the only index, ${index.name},` : `the closest index, ${index.name},`;
  // A partial index on a filtered column whose predicate the filter does not imply.
  for (const index of indexes) {
    const leading = index.keys[0];
    if (index.predicate && leading && 'column' in leading && usableColumns.includes(leading.column)) {
      return `${index.name} starts with ${leading.column} but only covers rows where ${index.predicate}, which this filter does not imply`;
    }
  }
  // An expression index on a filtered column, or a filtered expression next to an index on the plain column.
  for (const index of indexes) {
    const leading = index.keys[0];
    if (
      leading &&
      'expression' in leading &&
      usableColumns.some((c) => new RegExp(`\\b${c}\\b`).test(leading.expression))
    ) {
      return `${which(index)} indexes ${leading.expression}; ${uses}, which that expression index cannot serve`;
    }
    if (leading && 'column' in leading && expressions.some((e) => new RegExp(`\\b${leading.column}\\b`).test(e))) {
      const expression = expressions.find((e) => new RegExp(`\\b${leading.column}\\b`).test(e));
      return `${which(index)} is on ${leading.column}, but this filter compares ${expression}, which an index on the plain column cannot serve`;
    }
  }
  // A filtered column further back in a composite index.
  let best: { index: IndexInfo; position: number } | undefined;
  for (const index of indexes) {
    const position = index.keys.findIndex((k) => 'column' in k && usableColumns.includes(k.column));
    if (position > 0 && (!best || position < best.position)) best = { index, position };
  }
  if (best) {
    const starts = `starts with ${leadingText(best.index)}`;
    if (indexes.length === 1) return `the only index, ${best.index.name}, ${starts}; ${uses}`;
    const column = (best.index.keys[best.position] as { column: string }).column;
    return `no index starts with a filtered column; the closest, ${best.index.name}, ${starts} and has ${column} only as its ${ordinal(best.position + 1)} column; ${uses}`;
  }
  // An index on a column the filter only tests with NOT IN, <>, LIKE...
  for (const index of indexes) {
    const condition = unusable.find((u) => leadingText(index) === u.column);
    if (condition)
      return `${which(index)} starts with ${condition.column}, but ${condition.column} is only tested with ${condition.why}, which an index cannot serve`;
  }
  const first = indexes[0];
  return indexes.length === 1
    ? `the only index, ${first.name}, starts with ${leadingText(first)}; ${uses}`
    : `none of its ${indexes.length} indexes starts with a filtered column; ${uses}`;
}

/** The index to create: equality columns first, then one range column; or the filtered expression. */
function proposal(table: TableInfo, usableColumns: string[], expressions: string[]): FilterAnalysis['proposal'] {
  const relname = table.name.slice(table.name.indexOf('.') + 1);
  if (usableColumns.length > 0) {
    const columns = usableColumns.slice(0, 3);
    return { columns: columns.map(quoteIdent).join(', '), name: `${relname}_${columns.join('_')}_idx`.slice(0, 63) };
  }
  if (expressions.length > 0) {
    const column = /^[a-z_]+\(([a-z_0-9]+)/.exec(expressions[0]);
    // A function call is a valid index key as it is; any other expression needs its own parentheses.
    const key = /^[a-z_]+\(.*\)$/.test(expressions[0]) ? expressions[0] : `(${expressions[0]})`;
    return { columns: key, name: `${relname}_${column ? column[1] : 'expr'}_idx`.slice(0, 63) };
  }
  return undefined;
}
