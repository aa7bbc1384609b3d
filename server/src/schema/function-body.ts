import { parsePlPgSQLSync, parseSync } from 'libpg-query';
import { PgNode, nodeType, qualifiedName, walk } from '../parse/ast';
import type { TableWrite } from './catalog';

/**
 * What a PL/pgSQL or SQL body does when it runs: the tables its static SQL writes (the trigger function behind
 * an audit log inserts into it), its statements (a DO block's DDL is replayed), and whether it also runs
 * dynamic SQL (`EXECUTE`) whose targets cannot be known without running it.
 */
export interface BodyAnalysis {
  writes: TableWrite[];
  /** The body's static SQL statements, parsed, in body order. */
  statements: PgNode[];
  dynamicSql: boolean;
  /** The body could not be parsed. */
  unreadable?: boolean;
}

const WRITES: Record<string, TableWrite['action']> = {
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'merge',
};

/** Analyses a function or DO body in `language`; languages other than plpgsql and sql are opaque. */
export function analyzeBody(language: string, body: string, returnsTrigger: boolean): BodyAnalysis {
  if (language === 'sql') return analyzeStatements(() => (parseSync(body).stmts ?? []).map((s) => s.stmt as PgNode), false);
  if (language !== 'plpgsql') return { writes: [], statements: [], dynamicSql: false };
  let tree: unknown;
  try {
    tree = parsePlPgSQLSync(plpgsqlFunction(body, returnsTrigger));
  } catch {
    return { writes: [], statements: [], dynamicSql: false, unreadable: true };
  }
  let dynamicSql = false;
  const queries: string[] = [];
  visitObjects(tree, (key, value) => {
    if (key === 'PLpgSQL_stmt_execsql') queries.push(value.sqlstmt?.PLpgSQL_expr?.query ?? '');
    if (key === 'PLpgSQL_stmt_dynexecute' || key === 'PLpgSQL_stmt_dynfors' || value?.dynquery) dynamicSql = true;
  });
  return analyzeStatements(() => queries.flatMap((query) => (parseSync(query).stmts ?? []).map((s) => s.stmt as PgNode)), dynamicSql);
}

function analyzeStatements(parse: () => PgNode[], dynamicSql: boolean): BodyAnalysis {
  let statements: PgNode[];
  try {
    statements = parse();
  } catch {
    return { writes: [], statements: [], dynamicSql, unreadable: true };
  }
  return { writes: statements.flatMap(statementWrites), statements: statements.filter((s) => nodeType(s) !== undefined), dynamicSql };
}

/** The tables a statement writes and how, data-modifying CTEs and `INSERT ... ON CONFLICT DO UPDATE` included. */
export function statementWrites(statement: PgNode): TableWrite[] {
  const writes: TableWrite[] = [];
  walk(statement, (type, fields) => {
    const action = WRITES[type];
    const table = action && qualifiedName(fields.relation);
    if (table) writes.push({ table, action });
    if (table && type === 'InsertStmt' && fields.onConflictClause?.action === 'ONCONFLICT_UPDATE') writes.push({ table, action: 'update' });
    if (type === 'TruncateStmt') {
      for (const relation of (fields.relations as PgNode[] | undefined) ?? []) {
        const truncated = qualifiedName(relation.RangeVar);
        if (truncated) writes.push({ table: truncated, action: 'truncate' });
      }
    }
  });
  return writes;
}

/** libpg-query parses PL/pgSQL only as a whole CREATE FUNCTION; the body is wrapped in a dollar quote it cannot contain. */
function plpgsqlFunction(body: string, returnsTrigger: boolean): string {
  let tag = '$preflight$';
  for (let n = 1; body.includes(tag); n++) tag = `$preflight${n}$`;
  return `CREATE FUNCTION pg_temp.preflight_body() RETURNS ${returnsTrigger ? 'trigger' : 'void'} LANGUAGE plpgsql AS ${tag}${body}${tag}`;
}

function visitObjects(value: unknown, visit: (key: string, value: PgNode) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item) => visitObjects(item, visit));
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (child && typeof child === 'object' && !Array.isArray(child)) visit(key, child as PgNode);
    visitObjects(child, visit);
  }
}
