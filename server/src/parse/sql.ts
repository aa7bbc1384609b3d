import { loadModule } from 'libpg-query';
import { PgNode, nodeType } from './ast';
import type { Dialect } from './dialect';
import { SqlFragment } from './fragment';
import { parseSql, parseSqlUncached } from './libpg';
import { ChunkKind, SqlComment, splitSql } from './splitter';
import type { MySqlAst } from './mysql/translate';
import { STATEMENT_CACHE_CHARS } from './text-cache';
import { ByteOffsets, Span } from './text';

/**
 * One statement of a script, parsed by the real PostgreSQL grammar (libpg-query); MySQL and MariaDB
 * statements are parsed by node-sql-parser and restated in the same tree shapes (see parse/mysql/).
 */
export interface Statement {
  readonly fragment: SqlFragment;
  readonly dialect: Dialect;
  /** MySQL and MariaDB: node-sql-parser's own tree, which `node` restates as far as PostgreSQL has equivalents. */
  readonly mysql?: MySqlAst;
  readonly kind: ChunkKind;
  /** Where the statement sits in `fragment.sql`, without its `;`. */
  readonly span: Span;
  /** Where the statement sits in the source file. */
  readonly fileSpan: Span;
  readonly text: string;
  /** The parse tree (`{ UpdateStmt: {...} }`); absent for psql commands, COPY data and syntax errors. */
  readonly node?: PgNode;
  /** The node's type, e.g. `UpdateStmt`. */
  readonly type?: string;
  readonly syntaxError?: { message: string; fileSpan: Span };
  /**
   * The file span of the name or token at a parse-tree `location` (a UTF-8 byte offset into this
   * statement's text, as libpg-query reports it).
   */
  locate(byteLocation: number | undefined): Span;
}

export interface ParsedFragment {
  statements: Statement[];
  comments: SqlComment[];
}

let parserLoaded: Promise<void> | undefined;

/** libpg-query is WebAssembly: it must be loaded once before any parse. */
export function loadSqlParser(): Promise<void> {
  parserLoaded ??= loadModule();
  return parserLoaded;
}

export function parseFragment(fragment: SqlFragment): ParsedFragment {
  const { chunks, comments } = splitSql(fragment.sql, { psql: fragment.psql });
  const statements: Statement[] = [];
  const parse = fragment.sql.length > STATEMENT_CACHE_CHARS ? parseSqlUncached : parseSql;
  for (const chunk of chunks) {
    if (chunk.kind !== 'statement') {
      statements.push(makeStatement(fragment, chunk.kind, chunk.span));
      continue;
    }
    if (chunk.unterminated) {
      const where = fragment.toFile({
        start: chunk.unterminated.span.start,
        end: chunk.unterminated.span.end,
      });
      statements.push(
        makeStatement(fragment, 'statement', chunk.span, {
          syntaxError: { message: `unterminated ${chunk.unterminated.what}`, fileSpan: where },
        }),
      );
      continue;
    }
    statements.push(...parseChunk(fragment, chunk.span, parse));
  }
  return { statements, comments };
}

type ParseResult = { stmts?: { stmt?: PgNode; stmt_location?: number; stmt_len?: number }[] };

function parseChunk(fragment: SqlFragment, span: Span, parse: (text: string) => unknown): Statement[] {
  const original = fragment.sql.slice(span.start, span.end);
  let text = fragment.psql ? replacePsqlVariables(original) : original;
  let parsed: ParseResult;
  try {
    parsed = parse(text) as ParseResult;
  } catch (error) {
    // Drivers and template engines fill placeholders in before PostgreSQL sees the text. Only when the
    // text does not parse as it is (a `?` may also be a jsonb operator) try again with them filled in.
    const filled = fillClientPlaceholders(text);
    const retried = filled !== text ? tryParse(filled, parse) : undefined;
    if (!retried) return [syntaxErrorStatement(fragment, span, text, error)];
    parsed = retried;
    text = filled;
  }
  const stmts = parsed.stmts ?? [];
  if (stmts.length <= 1) {
    return [makeStatement(fragment, 'statement', span, { node: stmts[0]?.stmt, parsedText: text })];
  }
  // Rare: one chunk held several statements (e.g. a CREATE RULE action list). Use the parser's bounds.
  const bytes = new ByteOffsets(text);
  return stmts.map((stmt) => {
    const start = bytes.toChar(stmt.stmt_location ?? 0);
    const end = stmt.stmt_len ? bytes.toChar((stmt.stmt_location ?? 0) + stmt.stmt_len) : text.length;
    const trimmed = trimSpan(text, { start, end });
    const sub = { start: span.start + trimmed.start, end: span.start + trimmed.end };
    return makeStatement(fragment, 'statement', sub, {
      node: stmt.stmt,
      parsedText: text.slice(trimmed.start, trimmed.end),
    });
  });
}

function tryParse(text: string, parse: (text: string) => unknown): ParseResult | undefined {
  try {
    return parse(text) as ParseResult;
  } catch {
    return undefined;
  }
}

function syntaxErrorStatement(fragment: SqlFragment, span: Span, text: string, error: unknown): Statement {
  const cursor = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
  const at = span.start + Math.min(cursor ?? 0, text.length);
  // The parser stopped at a psql variable (`:qry;`, `EXPLAIN :qry;`): its value, maybe a whole statement, is unknown here.
  const atPsqlVariable = cursor !== undefined && cursor < text.length && fragment.sql[at] !== text[cursor];
  const touchesHole =
    fragment.holes.some((hole) => hole.start < span.end && hole.end > span.start) ||
    TEMPLATE_MARKUP.test(text) ||
    atPsqlVariable;
  return makeStatement(fragment, 'statement', span, {
    syntaxError: {
      message: cleanSyntaxMessage((error as Error).message),
      fileSpan: fragment.toFile(tokenAt(fragment.sql, at, span.end)),
    },
    unparsableTemplate: touchesHole,
  });
}

/** Go/Jinja/dbt `{{ ... }}` and Flyway `${name}` markup: what it expands to is unknown here. */
const TEMPLATE_MARKUP = /\{\{[\s\S]*?\}\}|\$\{\w+\}/;

/**
 * Replaces client-side placeholders with same-length identifiers, so offsets stay put: template markup,
 * Sequelize and Knex `:name` / `:name:` replacements, Sequelize `$name` bind parameters, and `?` / `??`
 * positional bindings.
 */
export function fillClientPlaceholders(text: string): string {
  const blank = (match: string) => '_'.repeat(match.length);
  return text
    .replace(new RegExp(TEMPLATE_MARKUP.source, 'g'), blank)
    .replace(/(?<![:\w]):[A-Za-z_]\w*(?::(?!:))?/g, blank)
    .replace(/(?<![\w$])\$[A-Za-z_]\w*(?!\$)/g, blank)
    .replace(/(?<![?\w])\?\??(?![?|&])/g, blank);
}

interface StatementExtras {
  node?: PgNode;
  parsedText?: string;
  syntaxError?: Statement['syntaxError'];
  unparsableTemplate?: boolean;
}

function makeStatement(fragment: SqlFragment, kind: ChunkKind, span: Span, extras: StatementExtras = {}): Statement {
  return new ParsedStatement(fragment, kind, span, extras);
}

/**
 * A class rather than an object literal with a `locate` closure: a script can hold 200,000 statements, and a
 * closure per statement kept its own function, context and extras alive for each.
 */
class ParsedStatement implements Statement {
  readonly dialect = 'postgresql';
  readonly fileSpan: Span;
  readonly text: string;
  readonly node?: PgNode;
  readonly type?: string;
  readonly syntaxError?: Statement['syntaxError'];
  /** The text the parser saw, when it differs from `text` (psql variables or client placeholders filled in). */
  private readonly parsedText: string | undefined;
  private bytes: ByteOffsets | undefined;

  constructor(
    readonly fragment: SqlFragment,
    readonly kind: ChunkKind,
    readonly span: Span,
    extras: StatementExtras,
  ) {
    this.fileSpan = fragment.toFile(span);
    this.text = fragment.sql.slice(span.start, span.end);
    this.node = extras.node;
    this.type = extras.unparsableTemplate ? undefined : nodeType(extras.node);
    this.syntaxError = extras.unparsableTemplate ? undefined : extras.syntaxError;
    this.parsedText = extras.parsedText === this.text ? undefined : extras.parsedText;
  }

  locate(byteLocation: number | undefined): Span {
    this.bytes ??= new ByteOffsets(this.parsedText ?? this.text);
    const at = this.span.start + this.bytes.toChar(Math.max(0, byteLocation ?? 0));
    return this.fragment.toFile(tokenAt(this.fragment.sql, at, this.span.end));
  }
}

/**
 * psql substitutes `:name`, `:'name'` and `:"name"` before the server sees the text. Replace them with a
 * same-length identifier or literal so the statement parses and every offset stays where it was.
 */
function replacePsqlVariables(text: string): string {
  if (!text.includes(':')) return text;
  return text.replace(/(?<![:\w])(:)('[A-Za-z_]\w*'|"[A-Za-z_]\w*"|[A-Za-z_]\w*)/g, (_m, _colon, name: string) => {
    const quote = name[0] === "'" || name[0] === '"' ? name[0] : '';
    return quote ? `${quote}_${name.slice(1)}` : `_${name}`;
  });
}

/** The span of the name or token starting at `at`: a possibly qualified, possibly quoted identifier. */
function tokenAt(sql: string, at: number, limit: number): Span {
  let end = at;
  const identifierChar = /[A-Za-z0-9_$\u0080-\uffff]/;
  for (;;) {
    if (sql[end] === '"') {
      const close = sql.indexOf('"', end + 1);
      end = close < 0 || close >= limit ? limit : close + 1;
    } else {
      while (end < limit && identifierChar.test(sql[end])) end++;
    }
    if (sql[end] === '.' && (identifierChar.test(sql[end + 1] ?? '') || sql[end + 1] === '"')) {
      end++;
      continue;
    }
    break;
  }
  if (end === at) end = Math.min(at + 1, Math.max(limit, at));
  return { start: at, end: Math.max(end, at) };
}

function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /[\s;]/.test(text[end - 1])) end--;
  return { start, end };
}

function cleanSyntaxMessage(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}
