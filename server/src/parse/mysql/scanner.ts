import { quotedEnd } from '../splitter';
import { Span } from '../text';

/**
 * MySQL's lexical rules, as far as finding statement bounds and names needs them: `#` and `-- ` comments
 * (`--` starts a comment only before whitespace or the end of a line), `/* *\/` comments, backtick-quoted
 * identifiers (a doubled backtick is one backtick), and strings in single or double quotes where a
 * backslash escapes the next character (`'it\'s'`) and a doubled quote is one quote. Offsets are UTF-16
 * indexes into the scanned text.
 */
export type MySqlTokenKind = 'comment' | 'string' | 'quoted-identifier' | 'word' | 'number' | 'variable' | 'symbol';

export interface MySqlToken {
  kind: MySqlTokenKind;
  start: number;
  end: number;
  /** A string, quoted identifier or comment that runs to the end of the text. */
  unterminated?: 'string literal' | 'quoted identifier' | 'comment';
}

const WORD_START = /[A-Za-z_$\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;
const NUMBER = /^(\d+\.?\d*|\.\d+)(e\d+)?$|^0x[0-9a-f]+$|^0b[01]+$/i;
const SPACE = /[ \t\n\r\f\v]/;

/** Operators of more than one character, longest first, so that `<=>` is one token and not `<=` and `>`. */
const OPERATORS = ['<=>', '->>', '<=', '>=', '<>', '!=', ':=', '||', '&&', '<<', '>>', '->'];

/** Whether `text[i]` starts a `-- ` comment: MySQL needs whitespace (or a control character) after the dashes. */
export function isDashComment(text: string, i: number): boolean {
  if (text[i] !== '-' || text[i + 1] !== '-') return false;
  const after = text.charCodeAt(i + 2);
  return Number.isNaN(after) || after <= 32;
}

/** The token starting at `i`, which must not be whitespace. */
export function readToken(text: string, i: number): MySqlToken {
  const ch = text[i];
  const n = text.length;
  if (ch === '#' || isDashComment(text, i)) {
    const end = text.indexOf('\n', i);
    return { kind: 'comment', start: i, end: end < 0 ? n : text[end - 1] === '\r' ? end - 1 : end };
  }
  if (ch === '/' && text[i + 1] === '*') {
    const close = text.indexOf('*/', i + 2);
    return close < 0
      ? { kind: 'comment', start: i, end: n, unterminated: 'comment' }
      : { kind: 'comment', start: i, end: close + 2 };
  }
  if (ch === "'" || ch === '"') return quoted(text, i, 'string', 'string literal');
  if (ch === '`') return quoted(text, i, 'quoted-identifier', 'quoted identifier');
  if (ch === '@') {
    let end = i + 1;
    if (text[end] === '@') end++;
    if (text[end] === '`' || text[end] === "'" || text[end] === '"')
      return { ...quoted(text, end, 'variable', 'quoted identifier'), start: i };
    while (end < n && (WORD_PART.test(text[end]) || text[end] === '.')) end++;
    return { kind: 'variable', start: i, end };
  }
  if (DIGIT.test(ch) || (ch === '.' && DIGIT.test(text[i + 1] ?? ''))) {
    let end = i + 1;
    while (end < n && /[0-9A-Za-z_.]/.test(text[end])) end++;
    // A name may start with a digit in MySQL (`1st_try`); `1e10`, `0x1F` and `.5` are numbers.
    return { kind: NUMBER.test(text.slice(i, end)) ? 'number' : 'word', start: i, end };
  }
  if (WORD_START.test(ch)) {
    let end = i + 1;
    while (end < n && WORD_PART.test(text[end])) end++;
    return { kind: 'word', start: i, end };
  }
  for (const operator of OPERATORS)
    if (text.startsWith(operator, i)) return { kind: 'symbol', start: i, end: i + operator.length };
  return { kind: 'symbol', start: i, end: i + 1 };
}

function quoted(
  text: string,
  start: number,
  kind: MySqlTokenKind,
  what: NonNullable<MySqlToken['unterminated']>,
): MySqlToken {
  const quote = text[start];
  // Backslash escapes apply in strings, not in backtick-quoted names.
  const end = quotedEnd(text, start, quote, quote !== '`');
  return end < 0 ? { kind, start, end: text.length, unterminated: what } : { kind, start, end };
}

/** The index of the first character at or after `i` that is not whitespace. */
export function skipSpace(text: string, i: number, limit = text.length): number {
  while (i < limit && SPACE.test(text[i])) i++;
  return i;
}

/** Every token of `text` (comments included), in order. */
export function scanMySql(text: string): MySqlToken[] {
  const tokens: MySqlToken[] = [];
  for (let i = skipSpace(text, 0); i < text.length; i = skipSpace(text, i)) {
    const token = readToken(text, i);
    tokens.push(token);
    i = token.end;
  }
  return tokens;
}

/** The text of a comment without its markers. */
export function commentBody(text: string, token: MySqlToken): string {
  const raw = text.slice(token.start, token.end);
  if (raw.startsWith('#')) return raw.slice(1);
  if (raw.startsWith('--')) return raw.slice(2);
  return raw.slice(2, token.unterminated ? raw.length : raw.length - 2);
}

/** An identifier's name: backticks removed and doubled backticks undone. */
export function identifierName(tokenText: string): string {
  return tokenText.startsWith('`')
    ? tokenText.slice(1, tokenText.endsWith('`') && tokenText.length > 1 ? -1 : undefined).replace(/``/g, '`')
    : tokenText;
}

/**
 * The span of the possibly qualified name (`users`, `` `app`.`users` ``) that starts at `at`, or of the token
 * there; never past `limit`.
 */
export function nameSpanAt(text: string, at: number, limit: number): Span {
  if (at >= limit) return { start: at, end: at };
  let end = readToken(text, at).end;
  while (text[end] === '.' && end + 1 < limit && (text[end + 1] === '`' || WORD_START.test(text[end + 1]))) {
    end = readToken(text, end + 1).end;
  }
  return { start: at, end: Math.min(end, limit) };
}

/**
 * MySQL's reserved words that migrations use (MySQL 8.0 reserves about 260): a word in this set is a keyword,
 * any other unquoted word may be a name.
 */
export const MYSQL_RESERVED: ReadonlySet<string> = new Set([
  'add',
  'all',
  'alter',
  'analyze',
  'and',
  'as',
  'asc',
  'before',
  'between',
  'bigint',
  'binary',
  'blob',
  'both',
  'by',
  'call',
  'cascade',
  'case',
  'change',
  'char',
  'character',
  'check',
  'collate',
  'column',
  'condition',
  'constraint',
  'convert',
  'create',
  'cross',
  'current_date',
  'current_time',
  'current_timestamp',
  'database',
  'databases',
  'decimal',
  'declare',
  'default',
  'delete',
  'desc',
  'describe',
  'distinct',
  'div',
  'double',
  'drop',
  'each',
  'else',
  'elseif',
  'enclosed',
  'escaped',
  'exists',
  'exit',
  'explain',
  'false',
  'fetch',
  'float',
  'for',
  'force',
  'foreign',
  'from',
  'fulltext',
  'generated',
  'grant',
  'group',
  'having',
  'if',
  'ignore',
  'in',
  'index',
  'inner',
  'insert',
  'int',
  'integer',
  'interval',
  'into',
  'is',
  'iterate',
  'join',
  'key',
  'keys',
  'kill',
  'leading',
  'leave',
  'left',
  'like',
  'limit',
  'lines',
  'load',
  'lock',
  'long',
  'longblob',
  'longtext',
  'loop',
  'match',
  'mediumint',
  'mediumtext',
  'mod',
  'modifies',
  'natural',
  'not',
  'null',
  'numeric',
  'on',
  'optimize',
  'option',
  'or',
  'order',
  'out',
  'outer',
  'partition',
  'primary',
  'procedure',
  'range',
  'read',
  'references',
  'regexp',
  'release',
  'rename',
  'repeat',
  'replace',
  'require',
  'restrict',
  'return',
  'revoke',
  'right',
  'rlike',
  'schema',
  'select',
  'set',
  'show',
  'smallint',
  'spatial',
  'sql',
  'stored',
  'table',
  'terminated',
  'then',
  'tinyint',
  'tinytext',
  'to',
  'trailing',
  'trigger',
  'true',
  'undo',
  'union',
  'unique',
  'unlock',
  'unsigned',
  'update',
  'usage',
  'use',
  'using',
  'values',
  'varbinary',
  'varchar',
  'virtual',
  'when',
  'where',
  'while',
  'with',
  'write',
  'xor',
  'zerofill',
]);
