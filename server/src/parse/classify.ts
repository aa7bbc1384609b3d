import { PgNode, fieldsOf, nodeType, qualifiedName, walk } from './ast';
import { Statement } from './sql';
import { Span } from './text';

/**
 * What a statement does, for the transaction-level rules: change the schema (ddl), change data (dml),
 * control the transaction, or neither. Only statements that execute count: DML inside a function body or a
 * trigger's event list is part of a DDL statement.
 */
export type StatementEffect = 'ddl' | 'dml' | 'transaction' | 'none';

export type TransactionAction = 'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollback-to' | 'prepare';

export interface TableTouch {
  table: string;
  /** Where the table is named in the file. */
  span: Span;
}

export interface StatementFacts {
  effect: StatementEffect;
  /** Tables whose rows (dml) or definition (ddl) the statement changes. */
  tables: TableTouch[];
  /** Tables the statement creates. */
  creates: string[];
  transactionAction?: TransactionAction;
}

const DML_STATEMENTS = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'TruncateStmt']);

// Statements that neither define schema nor write data, whatever they are called. A DO block runs its body
// now, but each statement the body runs is an operation of its own, classified like any other (see
// plpgsql.ts and migration.ts), so the block itself is neutral.
const NEUTRAL_STATEMENTS = new Set([
  'SelectStmt',
  'VariableSetStmt',
  'VariableShowStmt',
  'ExplainStmt',
  'NotifyStmt',
  'ListenStmt',
  'UnlistenStmt',
  'LockStmt',
  'VacuumStmt',
  'CheckPointStmt',
  'DiscardStmt',
  'PrepareStmt',
  'ExecuteStmt',
  'DeallocateStmt',
  'DeclareCursorStmt',
  'FetchStmt',
  'ClosePortalStmt',
  'DoStmt',
  'CallStmt',
  'LoadStmt',
  'ConstraintsSetStmt',
]);

const TRANSACTION_KINDS: Record<string, TransactionAction> = {
  TRANS_STMT_BEGIN: 'begin',
  TRANS_STMT_START: 'begin',
  TRANS_STMT_COMMIT: 'commit',
  TRANS_STMT_ROLLBACK: 'rollback',
  TRANS_STMT_SAVEPOINT: 'savepoint',
  TRANS_STMT_RELEASE: 'release',
  TRANS_STMT_ROLLBACK_TO: 'rollback-to',
  TRANS_STMT_PREPARE: 'prepare',
  TRANS_STMT_COMMIT_PREPARED: 'commit',
  TRANS_STMT_ROLLBACK_PREPARED: 'rollback',
};

export function classifyStatement(statement: Statement): StatementFacts {
  const type = statement.type;
  const fields = fieldsOf(statement.node);
  if (!type) return { effect: 'none', tables: [], creates: [] };
  if (type === 'TransactionStmt') {
    return { effect: 'transaction', tables: [], creates: [], transactionAction: TRANSACTION_KINDS[fields.kind] };
  }
  if (DML_STATEMENTS.has(type)) return { effect: 'dml', tables: dmlTargets(statement, type, fields), creates: [] };
  if (type === 'CopyStmt') {
    return fields.is_from ? { effect: 'dml', tables: relationTouch(statement, fields.relation), creates: [] } : none();
  }
  if (NEUTRAL_STATEMENTS.has(type)) {
    const cteTargets = dataModifyingCteTargets(statement, fields);
    return cteTargets.length > 0 ? { effect: 'dml', tables: cteTargets, creates: [] } : none();
  }
  return ddlFacts(statement, type, fields);
}

function none(): StatementFacts {
  return { effect: 'none', tables: [], creates: [] };
}

function relationTouch(statement: Statement, rangeVar: PgNode | undefined): TableTouch[] {
  const table = qualifiedName(rangeVar);
  return table ? [{ table, span: statement.locate(rangeVar!.location) }] : [];
}

/** The tables a DML statement writes, including those written by data-modifying CTEs. */
export function dmlTargets(statement: Statement, type: string, fields: PgNode): TableTouch[] {
  const targets =
    type === 'TruncateStmt'
      ? ((fields.relations as PgNode[] | undefined)?.flatMap((r) => relationTouch(statement, r.RangeVar)) ?? [])
      : relationTouch(statement, fields.relation);
  return [...targets, ...dataModifyingCteTargets(statement, fields)];
}

function dataModifyingCteTargets(statement: Statement, fields: PgNode): TableTouch[] {
  const ctes = fields.withClause?.ctes as PgNode[] | undefined;
  if (!ctes) return [];
  const targets: TableTouch[] = [];
  for (const cte of ctes) {
    const query = cte.CommonTableExpr?.ctequery;
    const queryType = nodeType(query);
    if (queryType && DML_STATEMENTS.has(queryType)) targets.push(...dmlTargets(statement, queryType, query[queryType]));
  }
  return targets;
}

function ddlFacts(statement: Statement, type: string, fields: PgNode): StatementFacts {
  const tables: TableTouch[] = [];
  const creates: string[] = [];
  switch (type) {
    case 'CreateStmt':
    case 'CreateTableAsStmt': {
      // libpg-query gives the IntoClause's fields directly under `into` (no `IntoClause` wrapper).
      const relation = type === 'CreateStmt' ? fields.relation : fields.into?.rel;
      tables.push(...relationTouch(statement, relation));
      const name = qualifiedName(relation);
      if (name) creates.push(name);
      break;
    }
    case 'AlterTableStmt':
    case 'IndexStmt':
    case 'CreateTrigStmt':
    case 'RuleStmt':
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      tables.push(...relationTouch(statement, fields.relation));
      break;
    case 'RenameStmt':
      tables.push(...relationTouch(statement, fields.relation));
      break;
    case 'DropStmt':
      if (['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_VIEW', 'OBJECT_MATVIEW'].includes(fields.removeType)) {
        for (const object of (fields.objects as PgNode[] | undefined) ?? []) {
          const names = (object.List?.items as PgNode[] | undefined)?.map((item) => item.String?.sval) ?? [];
          if (names.length > 0) {
            const table = names.length === 1 ? `public.${names[0]}` : names.slice(-2).join('.');
            tables.push({ table, span: statement.fileSpan });
          }
        }
      }
      break;
    default:
      walk(statement.node, (nodeKind, nodeFields) => {
        if (nodeKind === 'RangeVar' && tables.length === 0) tables.push(...relationTouch(statement, nodeFields));
        return nodeKind === 'SelectStmt' ? 'skip' : undefined;
      });
  }
  return { effect: 'ddl', tables, creates };
}
