import { PgNode, fieldsOf } from './ast';
import { Statement } from './sql';

/**
 * Statements that evaluate their expressions and run their data changes (including data-modifying CTEs)
 * when the migration runs. CREATE FUNCTION, VIEW, RULE, TRIGGER and POLICY, column defaults and PREPARE
 * store SQL that runs later, if ever; EXPLAIN without ANALYZE only plans. A rule asking "does this write or
 * this function call happen now?" walks only these statements.
 */
const RUNS_NOW = new Set([
  'SelectStmt',
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'MergeStmt',
  'TruncateStmt',
  'CopyStmt',
  'CallStmt',
  'ExecuteStmt',
]);

export function runsNow(statement: Statement): boolean {
  const fields = fieldsOf(statement.node);
  switch (statement.type) {
    case 'ExplainStmt':
      return isExplainAnalyze(fields.options);
    case 'CreateTableAsStmt':
      // CREATE TABLE AS / CREATE MATERIALIZED VIEW run their query now, unless WITH NO DATA.
      return !fields.into?.skipData;
    default:
      return statement.type !== undefined && RUNS_NOW.has(statement.type);
  }
}

/** `EXPLAIN ANALYZE` and `EXPLAIN (ANALYZE [true|on|1])` execute the statement they explain. */
function isExplainAnalyze(options: PgNode[] | undefined): boolean {
  const analyze = options?.find((option) => option.DefElem?.defname === 'analyze')?.DefElem;
  if (!analyze) return false;
  if (!analyze.arg) return true;
  // libpg-query omits zero values: `(ANALYZE 0)` is `{ Integer: {} }`.
  if (analyze.arg.Integer) return Boolean(analyze.arg.Integer.ival);
  if (analyze.arg.Boolean) return Boolean(analyze.arg.Boolean.boolval);
  return !['false', 'off', 'no', '0'].includes(String(analyze.arg.String?.sval ?? '').toLowerCase());
}
