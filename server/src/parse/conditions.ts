import { PgNode, constantValue, fieldsOf, nameList, walk } from './ast';
import { parseSql } from './libpg';
import type { Span } from './text';

/**
 * A test the migration's own code makes before it runs a statement or call: `if (serverType === 'central')`
 * around an `addIndex`, `IF current_setting('app.server_type') = 'central' THEN CREATE INDEX ...` in a DO block.
 * The analysis cannot run that code, so what the statement creates exists only on the servers where the test
 * holds (the Tamanu incident: an index on central servers only, a scan on every facility server).
 *
 * TS/JS (`host-conditions.ts`) and PL/pgSQL (`plpgsql.ts`) conditions share this one shape, so the catalog and
 * the rules treat both alike.
 */
export interface RunCondition {
  /** The test under which the statement runs, as written (negated for an `else` branch or an early return). */
  text: string;
  /** Where the test is written in the file. */
  span: Span;
  /** The test, when it compares one name with a literal: then a configured variant can decide it. */
  comparison?: VariantComparison;
  /** The test is a constant that is false (`if (false)`): the statement never runs. */
  never?: true;
}

/**
 * `subject === value` (or `!==` when `equal` is false). The subject is named by its last segment (`serverType`
 * for `config.serverType`, `SERVER_TYPE` for `process.env.SERVER_TYPE`, `server_type` for
 * `current_setting('app.server_type')`), normalised by `variantKey`.
 */
export interface VariantComparison {
  key: string;
  value: string;
  equal: boolean;
}

/**
 * The name a variant value is looked up by: lowercase, without `_` and `-`, so that the config's `serverType`
 * decides `serverType`, `process.env.SERVER_TYPE` and `current_setting('app.server_type')` alike.
 */
export function variantKey(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/** Conditions longer than this are shown cut: a message names the test, it does not reprint a function. */
const TEXT_LIMIT = 120;

export function conditionText(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > TEXT_LIMIT ? `${oneLine.slice(0, TEXT_LIMIT)}…` : oneLine;
}

/** What a test says about the statements it guards, before any variant is known. */
export type ConditionReading = RunCondition | 'always';

/**
 * Reads a PL/pgSQL condition (`IF <expr> THEN`, a CASE branch). A constant true test, and a test of the catalog
 * (`IF NOT EXISTS (SELECT 1 FROM pg_indexes ...)`, `to_regclass(...) IS NULL`), is `always`: the latter is an
 * idempotency guard, after which the object exists on every server whether it was created now or before.
 */
export function readSqlCondition(expression: string, span: Span, holds: boolean): ConditionReading {
  let node: PgNode | undefined;
  try {
    const select = (parseSql(`SELECT ${expression}`).stmts?.[0]?.stmt as PgNode | undefined)?.SelectStmt;
    node = select?.targetList?.[0]?.ResTarget?.val as PgNode | undefined;
  } catch {
    node = undefined;
  }
  if (node && testsCatalog(node)) return 'always';
  const constant = node ? sqlBoolean(node) : undefined;
  if (constant !== undefined)
    return constant === holds ? 'always' : { text: conditionText(expression), span, never: true };
  const comparison = node ? sqlComparison(node) : undefined;
  const text = holds ? expression : `NOT (${expression})`;
  if (!comparison) return { text: conditionText(text), span };
  const equal = comparison.equal === holds;
  return {
    text: conditionText(holds ? expression : `${comparison.subject} ${equal ? '=' : '<>'} ${comparison.valueText}`),
    span,
    comparison: { key: comparison.key, value: comparison.value, equal },
  };
}

function sqlBoolean(node: PgNode): boolean | undefined {
  const constant = node.A_Const;
  if (constant?.boolval) return constant.boolval.boolval === true;
  return undefined;
}

const CATALOG_SCHEMAS = new Set(['pg_catalog', 'information_schema']);

function testsCatalog(node: PgNode): boolean {
  let found = false;
  walk(node, (type, fields) => {
    if (found) return 'skip';
    if (
      type === 'RangeVar' &&
      (CATALOG_SCHEMAS.has(fields.schemaname) || String(fields.relname ?? '').startsWith('pg_'))
    )
      found = true;
    if (
      type === 'FuncCall' &&
      /^(to_reg|pg_|has_|col_description|obj_description)/.test(nameList(fields.funcname).pop() ?? '')
    )
      found = true;
    return undefined;
  });
  return found;
}

interface SqlComparison {
  key: string;
  subject: string;
  value: string;
  valueText: string;
  equal: boolean;
}

/** `current_setting('app.server_type') = 'central'`, `server_type <> 'facility'`, `x IN ('a')` (one value). */
function sqlComparison(node: PgNode): SqlComparison | undefined {
  const f = node.A_Expr;
  if (!f) return undefined;
  const operator = nameList(f.name)[0];
  let equal: boolean;
  let right: PgNode | undefined = f.rexpr;
  if (f.kind === 'AEXPR_OP' && (operator === '=' || operator === '<>' || operator === '!=')) {
    equal = operator === '=';
  } else if (f.kind === 'AEXPR_IN' && f.rexpr?.List?.items?.length === 1) {
    equal = operator === '=';
    right = f.rexpr.List.items[0];
  } else {
    return undefined;
  }
  for (const [subjectNode, valueNode] of [
    [f.lexpr, right],
    [right, f.lexpr],
  ] as [PgNode, PgNode][]) {
    const subject = sqlSubject(subjectNode);
    const value = constantValue(valueNode);
    if (subject && value !== undefined) {
      const valueText = typeof value === 'string' ? `'${value.replace(/'/g, "''")}'` : String(value);
      return { key: variantKey(subject.key), subject: subject.text, value: String(value), valueText, equal };
    }
  }
  return undefined;
}

/** A PL/pgSQL variable or column name, or a `current_setting('prefix.name')` read: its last segment is the key. */
function sqlSubject(node: PgNode | undefined): { key: string; text: string } | undefined {
  const column = node?.ColumnRef;
  if (column) {
    const names = nameList(column.fields);
    return names.length ? { key: names[names.length - 1], text: names.join('.') } : undefined;
  }
  const call = fieldsOf(node);
  if (node?.FuncCall && nameList(call.funcname).pop() === 'current_setting') {
    const setting = constantValue(call.args?.[0]);
    if (typeof setting === 'string') return { key: setting.split('.').pop()!, text: `current_setting('${setting}')` };
  }
  return undefined;
}
