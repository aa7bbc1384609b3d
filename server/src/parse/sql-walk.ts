import { PgNode, walk } from './ast';
import { parsePlpgsql, parseSql, scanSql } from './libpg';

/**
 * Every node of a statement's parse tree and of the SQL it carries as text that it runs: a `DO` block's
 * PL/pgSQL body (each statement and each expression in it: conditions, assignments, RAISE arguments, cursor
 * queries) and the string constant a PL/pgSQL `EXECUTE` runs. A query PL/pgSQL builds at run time
 * (`EXECUTE 'SELECT ' || x`, `format(...)`, a variable) cannot be read; the walk says so instead of guessing.
 *
 * Function bodies are not walked: they run when the function is called, not when it is created. A caller
 * that cares about them walks them with `walkSqlText` / `walkPlpgsql`.
 */
export interface SqlVisitor {
  /** Every node, depth first; `'skip'` leaves its children out. `within` is the statement holding it. */
  node(type: string, fields: PgNode, within: EnclosingStatement): void | 'skip';
  /** SQL that runs but cannot be read before it runs, and why. */
  unreadable(reason: string): void;
}

export interface EnclosingStatement {
  /** The statement's own text (what `parsePlPgSQLSync` needs for a DO block or a function). */
  text: string;
  /** How many string constants deep the statement was found (0: written in the file). */
  depth: number;
}

/**
 * SQL in a string in a string ... (`EXECUTE 'DO $a$ BEGIN EXECUTE ''...''; END $a$'`): real migrations
 * nest two or three levels; a hostile file could nest thousands, deeper than the call stack.
 */
const MAX_DEPTH = 24;

/** PL/pgSQL statements that run a query given as an expression, and the field holding it. */
const DYNAMIC_QUERIES: Readonly<Record<string, string>> = {
  PLpgSQL_stmt_dynexecute: 'query',
  PLpgSQL_stmt_dynfors: 'query',
  PLpgSQL_stmt_open: 'dynquery',
  PLpgSQL_stmt_return_query: 'dynquery',
};

/** How PL/pgSQL hands an expression to the SQL parser (`RawParseMode` in PostgreSQL's parser.h). */
const PLPGSQL_EXPRESSION = 2;
const PLPGSQL_ASSIGNMENTS = new Set([3, 4, 5]);

export function walkStatement(node: PgNode, text: string, visitor: SqlVisitor, depth = 0): void {
  walk(node, (type, fields) => {
    if (visitor.node(type, fields, { text, depth }) === 'skip') return 'skip';
    if (type === 'DoStmt') {
      const language = optionValue(fields.args, 'language')?.toLowerCase() ?? 'plpgsql';
      if (language === 'plpgsql') walkPlpgsql(text, visitor, depth + 1);
      else visitor.unreadable(`a DO block in ${language}, which cannot be read`);
    }
    return undefined;
  });
}

/** Every statement of SQL text (a function body, an EXECUTE string); unreadable when it does not parse. */
export function walkSqlText(text: string, visitor: SqlVisitor, depth: number): void {
  if (depth > MAX_DEPTH) return visitor.unreadable(`SQL nested more than ${MAX_DEPTH} strings deep`);
  let statements;
  try {
    statements = parseSql(text).stmts ?? [];
  } catch {
    return visitor.unreadable(`SQL that does not parse (${excerpt(text)})`);
  }
  const bytes = Buffer.from(text);
  for (const { stmt, stmt_location: start = 0, stmt_len: length } of statements) {
    if (!stmt) continue;
    const own = bytes.subarray(start, length ? start + length : bytes.length).toString();
    walkStatement(stmt as PgNode, own, visitor, depth);
  }
}

/** The SQL of a DO block or a PL/pgSQL function, given the whole `DO`/`CREATE FUNCTION` statement. */
export function walkPlpgsql(statementText: string, visitor: SqlVisitor, depth: number): void {
  if (depth > MAX_DEPTH) return visitor.unreadable(`SQL nested more than ${MAX_DEPTH} strings deep`);
  let tree: unknown;
  try {
    tree = parsePlpgsql(statementText);
  } catch {
    return visitor.unreadable('a PL/pgSQL body that does not parse');
  }
  walk(tree, (type, fields) => {
    if (type === 'PLpgSQL_expr') {
      walkPlpgsqlExpression(fields, visitor, depth);
      return 'skip';
    }
    const dynamic = DYNAMIC_QUERIES[type];
    const query = dynamic ? (fields[dynamic]?.PLpgSQL_expr?.query as string | undefined) : undefined;
    if (query !== undefined) {
      const constant = stringConstant(query);
      if (constant === undefined) visitor.unreadable(`EXECUTE of a query built when it runs (${excerpt(query)})`);
      else walkSqlText(constant, visitor, depth + 1);
    }
    return undefined;
  });
}

/**
 * One PL/pgSQL expression or SQL statement, as PL/pgSQL's parser left it: a statement (`SELECT ...` for
 * PERFORM), an expression (`dblink_exec(...) = 'x'`), or an assignment (`x := pg_reload_conf()`, read here
 * as `SELECT x, pg_reload_conf()`).
 */
function walkPlpgsqlExpression(expr: PgNode, visitor: SqlVisitor, depth: number): void {
  const query = expr.query as string | undefined;
  if (!query) return;
  const mode = (expr.parseMode as number | undefined) ?? 0;
  if (mode === 0) return walkSqlText(query, visitor, depth);
  if (mode === PLPGSQL_EXPRESSION) return walkSqlText(`SELECT ${query}`, visitor, depth);
  if (PLPGSQL_ASSIGNMENTS.has(mode)) return walkSqlText(`SELECT ${assignmentAsList(query)}`, visitor, depth);
}

/** `target := value` (or `target = value`) as `target , value`; the target may hold subscripts with calls. */
function assignmentAsList(query: string): string {
  let tokens;
  try {
    tokens = scanSql(query).tokens;
  } catch {
    return query;
  }
  const bytes = Buffer.from(query);
  const assign = tokens.find((t) => t.text === ':=' || t.text === '=');
  if (!assign) return query;
  return `${bytes.subarray(0, assign.start).toString()},${bytes.subarray(assign.end).toString()}`;
}

/** The value of an expression that is one string constant (`'...'`, `E'...'`, `$$...$$`), else undefined. */
function stringConstant(expression: string): string | undefined {
  try {
    const statements = parseSql(`SELECT ${expression}`).stmts ?? [];
    if (statements.length !== 1) return undefined;
    const targets = (statements[0].stmt as PgNode | undefined)?.SelectStmt?.targetList as PgNode[] | undefined;
    if (targets?.length !== 1) return undefined;
    const value = targets[0].ResTarget?.val?.A_Const;
    // libpg-query omits empty values: `''` is `{ sval: {} }`.
    return value?.sval ? (value.sval.sval ?? '') : undefined;
  } catch {
    return undefined;
  }
}

/** A `DefElem` option's string value from an option list (`LANGUAGE plpgsql`). */
export function optionValue(options: PgNode[] | undefined, name: string): string | undefined {
  const value = options?.find((o) => o.DefElem?.defname === name)?.DefElem?.arg?.String?.sval;
  return typeof value === 'string' ? value : undefined;
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
