import type { FormatOptionsWithLanguage } from 'sql-formatter';
import type { FormatSettings } from '../resolved-config';
import type { TextEdit } from '../lint/rule';
import type { PgNode } from '../parse/ast';
import type { Dialect } from '../parse/dialect';
import { FileFragment, SqlFragment } from '../parse/fragment';
import { parseSqlFragment } from '../parse/migration';
import type { MySqlAst } from '../parse/mysql/translate';
import type { SqlComment } from '../parse/splitter';
import type { Statement } from '../parse/sql';
import { LineIndex, Span, lineBreakOf } from '../parse/text';

/**
 * Formatting of SQL with sql-formatter in the file's dialect, statement by statement, so that the comments and
 * blank lines between statements, psql meta-commands, `DELIMITER` lines and COPY data stay exactly as written.
 * Formatting must never change what a migration does: every formatted statement is parsed again by the
 * dialect's parser and must give the same parse tree (positions aside) and keep its comments; if one does not,
 * the file is left alone and the reason is returned.
 */
export type FormatOutcome = { edits: TextEdit[]; notes: string[] } | { skipped: string };

export function formatSql(text: string, settings: FormatSettings, dialect: Dialect, range?: Span): FormatOutcome {
  const lines = new LineIndex(text);
  const eol = lineBreakOf(text);
  const statements = parseSqlFragment(new FileFragment(text), dialect).statements.filter(
    (statement) =>
      statement.kind === 'statement' &&
      (!range || (statement.span.start < range.end && statement.span.end > range.start)),
  );
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  for (const statement of statements) {
    const line = lines.positionAt(statement.span.start).line + 1;
    if (!meaningOf(statement)) {
      // PostgreSQL's own grammar rejects it: the file is broken. node-sql-parser's rejecting a MySQL statement
      // proves nothing, so that statement stays as written and the others are formatted.
      if (dialect === 'postgresql') return { skipped: `the statement on line ${line} does not parse` };
      notes.push(
        `the statement on line ${line} was left as written: Preflight's parser cannot read it, so it cannot check that formatting keeps its meaning`,
      );
      continue;
    }
    let formatted: string;
    try {
      formatted = formatStatements(statement.text, settings, dialect, { psql: true });
    } catch (error) {
      return {
        skipped: `sql-formatter cannot format the statement on line ${line} (${(error as Error).message.split('\n')[0]})`,
      };
    }
    formatted = indentContinuationLines(formatted, lines, statement.span.start).replace(/\r?\n/g, eol);
    if (formatted === statement.text) continue;
    if (!sameMeaning(statement.text, formatted, dialect, true))
      return { skipped: `formatting would change the statement on line ${line}` };
    edits.push({ span: statement.span, newText: formatted });
  }
  return { edits, notes };
}

/** sql-formatter in the dialect's language with the project's settings; throws on text it cannot tokenize. */
export function formatStatements(
  sql: string,
  settings: FormatSettings,
  dialect: Dialect,
  { psql }: { psql: boolean },
): string {
  // Loaded on first use: it takes a few hundred milliseconds, which linting never needs to spend.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { format } = require('sql-formatter') as typeof import('sql-formatter');
  const options: FormatOptionsWithLanguage = {
    language: dialect === 'postgresql' ? 'postgresql' : dialect,
    keywordCase: settings.keywordCase,
    tabWidth: settings.indent,
    expressionWidth: settings.lineWidth,
    // psql's `:name` variables, and the `?`, `??` and `:name` placeholders MySQL drivers and knex fill in, stay one token.
    paramTypes:
      dialect === 'postgresql'
        ? psql
          ? { named: [':'] }
          : undefined
        : { positional: true, named: [':'], custom: [{ regex: String.raw`\?\?` }] },
  };
  return format(sql, options);
}

/** A statement that starts indented keeps its later lines under it. */
function indentContinuationLines(formatted: string, lines: LineIndex, start: number): string {
  const position = lines.positionAt(start);
  const before = lines.lineText(position.line).slice(0, position.character);
  if (!/^[ \t]+$/.test(before)) return formatted;
  return formatted.replace(/\n(?=[^\n])/g, `\n${before}`);
}

/**
 * Whether two texts hold the same statements: the same parse trees, positions aside, and the same comments.
 * `psql` is true for `.sql` files (meta-commands and `:variables`), false for SQL embedded in TS/JS.
 */
export function sameMeaning(before: string, after: string, dialect: Dialect, psql: boolean): boolean {
  const meaning = textMeaning(before, dialect, psql);
  return meaning !== undefined && meaning === textMeaning(after, dialect, psql);
}

/** What a text's statements and comments mean, as text to compare; undefined when a statement does not parse. */
export function textMeaning(sql: string, dialect: Dialect, psql: boolean): string | undefined {
  const parsed = parseSqlFragment(psql ? new FileFragment(sql) : embeddedText(sql), dialect);
  const meanings = parsed.statements.filter((s) => s.kind === 'statement').map(meaningOf);
  return meanings.every((m) => m !== undefined) ? JSON.stringify([meanings, commentText(parsed.comments)]) : undefined;
}

/** SQL sent by a driver: no psql meta-commands or client-side `DELIMITER`, no map to a file needed. */
function embeddedText(sql: string): SqlFragment {
  return { sql, psql: false, holes: [], toFile: (span) => span };
}

/**
 * What a statement means, as text to compare: libpg-query's tree for PostgreSQL, node-sql-parser's for MySQL,
 * without positions; undefined when it does not parse.
 */
export function meaningOf(statement: Statement): string | undefined {
  if (statement.syntaxError) return undefined;
  if (statement.dialect === 'postgresql') return statement.node ? treeText(statement.node) : undefined;
  return statement.mysql ? JSON.stringify(mysqlTree(statement.mysql)) : undefined;
}

function commentText(comments: readonly SqlComment[]): string {
  return JSON.stringify(comments.map((comment) => comment.body.replace(/\s+/g, ' ').trim()));
}

/** libpg-query's source positions: a statement's, a node's, and where an `IN (...)` or `ARRAY[...]` list starts and ends. */
const POSITION_KEY = /^(location|stmt_location|stmt_len|(rexpr_)?list_(start|end))$/;

/** The parse tree without source positions, which formatting is allowed to move. */
function treeText(node: PgNode): string {
  return JSON.stringify(node, (key, value) => (POSITION_KEY.test(key) ? undefined : value));
}

/** Names whose case is the meaning in MySQL: tables and databases are files on Linux; literals are data. */
const CASE_SENSITIVE_KEYS = new Set(['table', 'db', 'schema', 'as', 'view', 'trigger', 'index', 'constraint']);

/**
 * node-sql-parser's tree without positions, with the case of keywords and case-insensitive names (columns,
 * functions, types) folded: `keywordCase` may change those, never string literals or table names.
 */
function mysqlTree(node: unknown, key = ''): unknown {
  if (Array.isArray(node)) return node.map((item) => mysqlTree(item, key));
  if (typeof node === 'string') return CASE_SENSITIVE_KEYS.has(key) ? node : node.toLowerCase();
  if (!node || typeof node !== 'object') return node;
  const ast = node as MySqlAst;
  const literal = typeof ast.type === 'string' && /string$|^(date|datetime|time|timestamp)$/.test(ast.type);
  const folded: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(ast)) {
    if (field === 'loc') continue;
    folded[field] = literal && field === 'value' ? value : mysqlTree(value, field);
  }
  return folded;
}
