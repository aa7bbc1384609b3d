import { Span } from './text';

/**
 * Splits SQL text into statements the way psql reads a script: `;` ends a statement only outside quotes,
 * dollar quotes, comments, parentheses and `BEGIN ATOMIC ... END` bodies. psql meta-commands (`\set`,
 * `\i`, `\c`) and the data lines of `COPY ... FROM stdin` become chunks of their own, so they never break
 * the statements around them. The splitter never throws: an unterminated quote or comment is reported on
 * the chunk that contains it.
 */

export type ChunkKind = 'statement' | 'psql-command' | 'copy-data';

export interface SqlChunk {
  kind: ChunkKind;
  /** From the first character of the statement to its last, without the terminating `;`. */
  span: Span;
  /** An unterminated quote, dollar quote or comment that runs to the end of the text. */
  unterminated?: { what: string; span: Span };
}

export interface SqlComment {
  span: Span;
  /** The comment's content without `--` or the slash-star delimiters. */
  body: string;
}

export interface SplitResult {
  chunks: SqlChunk[];
  comments: SqlComment[];
}

export interface SplitOptions {
  /** Recognise psql meta-commands and COPY FROM stdin data (true for .sql files). */
  psql: boolean;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const COPY_FROM_STDIN = /^copy\b[\s\S]*\bfrom\s+stdin\b/i;

/**
 * psql recognises a backslash anywhere outside quotes. These meta-commands send the query buffer (psql's
 * PSQL_CMD_SEND), so `SELECT ... \gset` ends the statement on its line; `\bind` and `\parse` give the buffer
 * parameters or a name and come before the `\g` that sends it. Other meta-commands leave the buffer as it is.
 */
const ENDS_STATEMENT = new Set([
  'g',
  'gx',
  'gset',
  'gexec',
  'gdesc',
  'crosstabview',
  'watch',
  'bind',
  'bind_named',
  'parse',
  'sendpipeline',
]);
/** `\r` empties the query buffer: psql never sends what came before it. */
const DISCARDS_STATEMENT = new Set(['r', 'reset']);

/** The name of the psql meta-command whose backslash is at `at` (`gset` for `\gset x_`). */
function metaCommandName(text: string, at: number): string {
  let end = at + 1;
  while (end < text.length && /[A-Za-z_]/.test(text[end])) end++;
  return text.slice(at + 1, end);
}

export function splitSql(text: string, options: SplitOptions): SplitResult {
  const chunks: SqlChunk[] = [];
  const comments: SqlComment[] = [];
  let statementStart = -1;
  let lastTokenEnd = -1;
  let parenDepth = 0;
  let atomicDepth = 0;
  let previousWord = '';
  let unterminated: SqlChunk['unterminated'];

  const endStatement = () => {
    if (statementStart >= 0) {
      chunks.push({ kind: 'statement', span: { start: statementStart, end: lastTokenEnd }, unterminated });
    }
    statementStart = -1;
    parenDepth = 0;
    atomicDepth = 0;
    previousWord = '';
    unterminated = undefined;
  };
  const markToken = (start: number, end: number) => {
    if (statementStart < 0) statementStart = start;
    lastTokenEnd = end;
  };

  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    const next = text[i + 1];

    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f') {
      i++;
      continue;
    }
    if (ch === '-' && next === '-') {
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      const bodyEnd = text[end - 1] === '\r' ? end - 1 : end;
      comments.push({ span: { start: i, end: bodyEnd }, body: text.slice(i + 2, bodyEnd) });
      i = end;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = blockCommentEnd(text, i);
      if (end < 0) {
        unterminated ??= { what: 'comment', span: { start: i, end: i + 2 } };
        markToken(i, n);
        i = n;
        continue;
      }
      comments.push({ span: { start: i, end }, body: text.slice(i + 2, end - 2) });
      i = end;
      continue;
    }
    if (options.psql && ch === '\\' && statementStart >= 0) {
      // `\;` puts a `;` into psql's query buffer without sending it: the statement ends, the next begins.
      if (next === ';') {
        endStatement();
        i += 2;
        continue;
      }
      const command = metaCommandName(text, i);
      if (ENDS_STATEMENT.has(command)) endStatement();
      else if (DISCARDS_STATEMENT.has(command)) {
        statementStart = -1;
        endStatement();
      }
    }
    if (options.psql && ch === '\\' && statementStart < 0) {
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      const commandEnd = text[end - 1] === '\r' ? end - 1 : end;
      chunks.push({ kind: 'psql-command', span: { start: i, end: commandEnd } });
      i = end;
      continue;
    }
    if (ch === ';' && parenDepth <= 0 && atomicDepth === 0) {
      const start = statementStart;
      endStatement();
      i++;
      if (options.psql && start >= 0 && COPY_FROM_STDIN.test(text.slice(start, i))) i = skipCopyData(text, i, chunks);
      continue;
    }
    if (ch === "'" || ((ch === 'E' || ch === 'e') && next === "'" && !IDENT_PART.test(text[i - 1] ?? ' '))) {
      const quoteStart = i;
      const backslashEscapes = ch !== "'";
      const end = quotedEnd(text, backslashEscapes ? i + 1 : i, "'", backslashEscapes);
      markToken(quoteStart, end < 0 ? n : end);
      if (end < 0) {
        unterminated ??= { what: 'string literal', span: { start: quoteStart, end: quoteStart + 1 } };
        i = n;
      } else i = end;
      previousWord = '';
      continue;
    }
    if (ch === '"') {
      const end = quotedEnd(text, i, '"', false);
      markToken(i, end < 0 ? n : end);
      if (end < 0) {
        unterminated ??= { what: 'quoted identifier', span: { start: i, end: i + 1 } };
        i = n;
      } else i = end;
      previousWord = '';
      continue;
    }
    if (ch === '$' && !IDENT_PART.test(text[i - 1] ?? ' ')) {
      const tag = dollarTagAt(text, i);
      if (tag !== null) {
        const close = text.indexOf(tag, i + tag.length);
        const end = close < 0 ? n : close + tag.length;
        markToken(i, end);
        if (close < 0) unterminated ??= { what: `dollar quote ${tag}`, span: { start: i, end: i + tag.length } };
        i = end;
        previousWord = '';
        continue;
      }
    }
    if (IDENT_START.test(ch)) {
      let end = i + 1;
      while (end < n && IDENT_PART.test(text[end])) end++;
      const word = text.slice(i, end).toLowerCase();
      if (atomicDepth > 0) {
        if (word === 'case') atomicDepth++;
        else if (word === 'end') atomicDepth--;
      } else if (word === 'atomic' && previousWord === 'begin' && statementStart >= 0) {
        atomicDepth = 1;
      }
      previousWord = word;
      markToken(i, end);
      i = end;
      continue;
    }
    if (ch === '(') parenDepth++;
    else if (ch === ')') parenDepth--;
    markToken(i, i + 1);
    previousWord = '';
    i++;
  }
  endStatement();
  return { chunks, comments };
}

function blockCommentEnd(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return -1;
}

/** End offset (after the closing quote) of a quoted token opening at `start`, or -1 when unterminated. */
export function quotedEnd(text: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (backslashEscapes && ch === '\\') i += 2;
    else if (ch === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return -1;
}

/** The dollar-quote tag (`$$` or `$name$`) opening at `start`, or null when `$` starts something else. */
export function dollarTagAt(text: string, start: number): string | null {
  let i = start + 1;
  if (text[i] === '$') return '$$';
  if (!/[A-Za-z_\u0080-\uffff]/.test(text[i] ?? '')) return null;
  while (i < text.length && /[A-Za-z0-9_\u0080-\uffff]/.test(text[i])) i++;
  return text[i] === '$' ? text.slice(start, i + 1) : null;
}

/** COPY ... FROM stdin in a psql script is followed by data lines up to a line holding only `\.`. */
function skipCopyData(text: string, from: number, chunks: SqlChunk[]): number {
  let dataStart = text.indexOf('\n', from);
  if (dataStart < 0) return text.length;
  dataStart++;
  const terminator = /^\\\.\r?$/m;
  const rest = text.slice(dataStart);
  const match = terminator.exec(rest);
  const dataEnd = match ? dataStart + match.index + 2 : text.length;
  chunks.push({ kind: 'copy-data', span: { start: dataStart, end: dataEnd } });
  return dataEnd;
}
