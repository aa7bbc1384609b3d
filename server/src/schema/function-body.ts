import { PgNode, qualifiedName, walk } from '../parse/ast';
import { FileFragment } from '../parse/fragment';
import { routineBody } from '../parse/plpgsql';
import { Statement, parseFragment } from '../parse/sql';
import type { TableWrite } from './catalog';

/**
 * What a function does to tables when it runs: the trigger function behind an audit log inserts into it. The
 * body's statements come from parse/plpgsql.ts (PL/pgSQL and SQL bodies, `EXECUTE` of a string constant
 * included); an `EXECUTE` of a computed string is dynamic SQL whose targets cannot be known without running it.
 */
export interface FunctionWrites {
  writes: TableWrite[];
  dynamicSql: boolean;
}

const WRITES: Record<string, TableWrite['action']> = {
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'merge',
};

/** The writes of a `CREATE FUNCTION` statement's body. */
export function functionWrites(statement: Statement): FunctionWrites {
  const body = routineBody(statement);
  return {
    writes: body.statements.flatMap((s) => (s.statement.node ? statementWrites(s.statement.node) : [])),
    dynamicSql: body.dynamicExecutes.length > 0,
  };
}

/** The same for a body known only as text, as `pg_proc.prosrc` holds it. */
export function bodyTextWrites(language: string, body: string, returnsTrigger: boolean): FunctionWrites {
  if (language !== 'plpgsql' && language !== 'sql') return { writes: [], dynamicSql: false };
  let tag = '$preflight$';
  for (let n = 1; body.includes(tag); n++) tag = `$preflight${n}$`;
  const text = `CREATE FUNCTION pg_temp.preflight_body() RETURNS ${returnsTrigger ? 'trigger' : 'void'} LANGUAGE ${language} AS ${tag}${body}${tag}`;
  const statement = parseFragment(new FileFragment(text)).statements[0];
  return statement?.node ? functionWrites(statement) : { writes: [], dynamicSql: false };
}

/** The tables a statement writes and how, data-modifying CTEs and `INSERT ... ON CONFLICT DO UPDATE` included. */
export function statementWrites(statement: PgNode): TableWrite[] {
  const writes: TableWrite[] = [];
  walk(statement, (type, fields) => {
    const action = WRITES[type];
    const table = action && qualifiedName(fields.relation);
    if (table) writes.push({ table, action });
    if (table && type === 'InsertStmt' && fields.onConflictClause?.action === 'ONCONFLICT_UPDATE')
      writes.push({ table, action: 'update' });
    if (type === 'TruncateStmt') {
      for (const relation of (fields.relations as PgNode[] | undefined) ?? []) {
        const truncated = qualifiedName(relation.RangeVar);
        if (truncated) writes.push({ table: truncated, action: 'truncate' });
      }
    }
  });
  return writes;
}
