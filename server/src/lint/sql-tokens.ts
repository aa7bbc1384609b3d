import { scanSync } from 'libpg-query';
import { MYSQL_RESERVED, scanMySql } from '../parse/mysql/scanner';
import { type Statement, fillClientPlaceholders } from '../parse/sql';
import { ByteOffsets, Span } from '../parse/text';
import { STATEMENT_CACHE_CHARS, TextCache } from '../parse/text-cache';

/**
 * The tokens of a parsed statement, from PostgreSQL's own scanner. Parse trees say where a node starts but
 * not where it ends, nor where keywords such as `INDEX`, `CASCADE` or `NOT VALID` are; rules that point at
 * a keyword or rewrite a clause read the tokens. Offsets are UTF-16 indexes into `statement.text`. MySQL and
 * MariaDB statements are read with MySQL's lexical rules (backtick names, `#` comments).
 */
export interface SqlToken {
  /** As written, quotes included. */
  text: string;
  /** Lowercased text, for comparing keywords and unquoted names. */
  lower: string;
  start: number;
  end: number;
  keyword: boolean;
  /** An identifier, quoted or not (keywords used as names are `keyword`). */
  identifier: boolean;
}

const cache = new WeakMap<Statement, SqlToken[]>();
const byteCache = new WeakMap<Statement, ByteOffsets>();

function byteOffsets(statement: Statement): ByteOffsets {
  let bytes = byteCache.get(statement);
  if (!bytes) byteCache.set(statement, (bytes = new ByteOffsets(statement.text)));
  return bytes;
}

/** The statement's tokens without comments; empty for statements that did not parse. */
export function statementTokens(statement: Statement): SqlToken[] {
  let tokens = cache.get(statement);
  if (tokens) return tokens;
  tokens = [];
  if (statement.node && statement.dialect !== 'postgresql') {
    tokens = mysqlTokens(statement.text);
  } else if (statement.node) {
    tokens = postgresTokens.get(statement.text, (text) => scanPostgres(text, byteOffsets(statement)));
  }
  cache.set(statement, tokens);
  return tokens;
}

const identifierRuns = new Map<number, RegExp>();

/**
 * Whether the statement can hold an identifier longer than `bytes` UTF-8 bytes, answered without scanning it:
 * an unquoted identifier is a run of letters, digits, `_`, `$` and non-ASCII characters (at most 3 bytes per
 * UTF-16 unit), and a quoted one has a `"`. Scanning every statement of a 200,000-statement file only to find no
 * long name took a fifth of its lint, and kept its tokens in memory.
 */
export function mayHoldIdentifierLongerThan(statement: Statement, bytes: number): boolean {
  if (!statement.node) return false;
  if (statement.dialect !== 'postgresql') return true;
  let run = identifierRuns.get(bytes);
  if (!run) identifierRuns.set(bytes, (run = new RegExp(`["]|[\\w$\\u0080-\\uffff]{${Math.floor(bytes / 3) + 1},}`)));
  return run.test(scannableText(statement.text));
}

/** Tokens by statement text: a statement an edit did not change is not scanned again (see TextCache). */
const postgresTokens = new TextCache<SqlToken[]>(STATEMENT_CACHE_CHARS);

function scanPostgres(text: string, bytes: ByteOffsets): SqlToken[] {
  const tokens: SqlToken[] = [];
  try {
    for (const token of scanSync(scannableText(text)).tokens) {
      if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT') continue;
      tokens.push({
        text: token.text,
        lower: token.text.toLowerCase(),
        start: bytes.toChar(token.start),
        end: bytes.toChar(token.end),
        keyword: token.keywordName !== 'NO_KEYWORD',
        identifier: token.tokenName === 'IDENT',
      });
    }
  } catch {
    // The scanner only fails on text the parser rejected; such statements carry no parse tree.
    return [];
  }
  return tokens;
}

function mysqlTokens(text: string): SqlToken[] {
  return scanMySql(text)
    .filter((token) => token.kind !== 'comment')
    .map(({ kind, start, end }) => {
      const lower = text.slice(start, end).toLowerCase();
      const keyword = kind === 'word' && MYSQL_RESERVED.has(lower);
      return {
        text: text.slice(start, end),
        lower,
        start,
        end,
        keyword,
        identifier: kind === 'quoted-identifier' || (kind === 'word' && !keyword),
      };
    });
}

/**
 * Go/Jinja `{{ ... }}` and Flyway `${name}` markup never parses as SQL: the parser read the statement with it
 * filled in by same-length identifiers (parse/sql.ts), so the scanner must too, or token offsets drift.
 */
function scannableText(text: string): string {
  return /\{\{|\$\{\w/.test(text) ? fillClientPlaceholders(text) : text;
}

/** The index of the token that starts at a parse-tree `location` (UTF-8 bytes), or -1. */
export function tokenIndexAt(statement: Statement, byteLocation: number | undefined): number {
  if (byteLocation === undefined || byteLocation < 0) return -1;
  const at = charOffset(statement, byteLocation);
  return statementTokens(statement).findIndex((token) => token.start === at);
}

/** A parse-tree `location` (UTF-8 bytes into the statement) as a UTF-16 offset into `statement.text`. */
export function charOffset(statement: Statement, byteLocation: number): number {
  return byteOffsets(statement).toChar(byteLocation);
}

/** The first token at or after `from` whose lowercased text is `word` (or one of `words`), or -1. */
export function findToken(tokens: readonly SqlToken[], word: string | readonly string[], from = 0): number {
  const words = typeof word === 'string' ? [word] : word;
  for (let i = Math.max(0, from); i < tokens.length; i++) if (words.includes(tokens[i].lower)) return i;
  return -1;
}

/**
 * The index just past the clause that starts at token `from`: the next `,` or `)` at the clause's own
 * parenthesis depth, or the end of the statement. An ALTER TABLE action or a column definition is a clause.
 */
export function clauseEnd(tokens: readonly SqlToken[], from: number): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const text = tokens[i].text;
    if (text === '(' || text === '[') depth++;
    else if (text === ')' || text === ']') {
      if (depth === 0) return i;
      depth--;
    } else if (text === ',' && depth === 0) return i;
    else if (text === ';' && depth === 0) return i;
  }
  return tokens.length;
}

/** The index of the `)` closing the `(` at `open`, or -1. */
export function closingParen(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].text === '(') depth++;
    else if (tokens[i].text === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The span (in `statement.text`) from the start of token `first` to the end of token `last`. */
export function tokenRange(tokens: readonly SqlToken[], first: number, last: number): Span {
  return { start: tokens[first].start, end: tokens[last].end };
}

/** A span of `statement.text` as a span of the source file (SQL embedded in TS/JS maps through its fragment). */
export function fileSpanIn(statement: Statement, span: Span): Span {
  return statement.fragment.toFile({ start: statement.span.start + span.start, end: statement.span.start + span.end });
}

/** The file span of tokens `first..last`. */
export function tokenFileSpan(statement: Statement, first: number, last = first): Span {
  return fileSpanIn(statement, tokenRange(statementTokens(statement), first, last));
}

/** The last token of the possibly qualified name (`a`, `s.a`, `"S"."a"`) that starts at token `first`. */
export function nameEnd(tokens: readonly SqlToken[], first: number): number {
  let last = first;
  while (tokens[last + 1]?.text === '.' && tokens[last + 2]) last += 2;
  return last;
}

/** A name as written in the statement (quotes kept), starting at a parse-tree location; undefined if not found. */
export function writtenName(statement: Statement, byteLocation: number | undefined): string | undefined {
  const tokens = statementTokens(statement);
  const first = tokenIndexAt(statement, byteLocation);
  if (first < 0) return undefined;
  const range = tokenRange(tokens, first, nameEnd(tokens, first));
  return statement.text.slice(range.start, range.end);
}
