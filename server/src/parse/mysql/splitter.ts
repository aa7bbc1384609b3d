import type { SplitResult, SqlChunk, SqlComment } from '../splitter';
import { commentBody, readToken, skipSpace } from './scanner';

/**
 * Splits MySQL text into statements the way the `mysql` command-line client reads a script: the delimiter
 * (`;` unless a `DELIMITER` line changes it) ends a statement only outside strings, backtick-quoted names and
 * comments. Without a `DELIMITER` change, the `;`s inside a stored program's `BEGIN ... END` body (what a
 * driver sends as one query) do not end the `CREATE TRIGGER`/`PROCEDURE`/`FUNCTION`/`EVENT` around them.
 * `DELIMITER` lines are instructions to the client, not SQL: they become no statement. Never throws.
 */
export interface MySqlSplitOptions {
  /** A script for the command-line client (a `.sql` file): `DELIMITER` lines are recognised. */
  clientCommands: boolean;
}

export function splitMySql(text: string, options: MySqlSplitOptions): SplitResult {
  const chunks: SqlChunk[] = [];
  const comments: SqlComment[] = [];
  let delimiter = ';';
  let statementStart = -1;
  let lastTokenEnd = -1;
  let unterminated: SqlChunk['unterminated'];
  const program = new StoredProgramDepth();

  const endStatement = () => {
    if (statementStart >= 0)
      chunks.push({ kind: 'statement', span: { start: statementStart, end: lastTokenEnd }, unterminated });
    statementStart = -1;
    unterminated = undefined;
    program.reset();
  };

  for (let i = skipSpace(text, 0); i < text.length; i = skipSpace(text, i)) {
    if (options.clientCommands && statementStart < 0) {
      const command = delimiterCommand(text, i);
      if (command) {
        if (command.delimiter) delimiter = command.delimiter;
        i = command.end;
        continue;
      }
    }
    if (text.startsWith(delimiter, i) && (delimiter !== ';' || program.depth === 0)) {
      endStatement();
      i += delimiter.length;
      continue;
    }
    const token = readToken(text, i);
    if (token.kind === 'comment') {
      comments.push({ span: { start: token.start, end: token.end }, body: commentBody(text, token) });
      if (token.unterminated) unterminated ??= { what: token.unterminated, span: { start: i, end: i + 2 } };
      i = token.end;
      continue;
    }
    let end = token.end;
    if (token.unterminated) {
      unterminated ??= { what: token.unterminated, span: { start: i, end: i + 1 } };
    } else if (token.kind !== 'string' && token.kind !== 'quoted-identifier') {
      // `END$$`: a custom delimiter ends the statement even where it touches the last word.
      const at = text.indexOf(delimiter, i + 1);
      if (at >= 0 && at < end) end = at;
    }
    if (statementStart < 0) statementStart = i;
    lastTokenEnd = end;
    if (token.kind === 'word') program.word(text.slice(i, end).toLowerCase());
    i = end;
  }
  endStatement();
  return { chunks, comments };
}

/**
 * A `DELIMITER x` line at the start of a statement (`x` runs to the first whitespace), or undefined. The
 * client takes the command case-insensitively; a bare `DELIMITER` changes nothing.
 */
function delimiterCommand(text: string, i: number): { delimiter?: string; end: number } | undefined {
  const match = /^delimiter(?=[ \t]|\r?\n|$)[ \t]*(\S*)[^\n]*/i.exec(text.slice(i, i + 200));
  if (!match) return undefined;
  return { delimiter: match[1] || undefined, end: i + match[0].length };
}

/**
 * How deep the current statement is inside a stored program's compound statements. Only `CREATE TRIGGER`,
 * `PROCEDURE`, `FUNCTION` and `EVENT` hold one (a column named `begin` in a CREATE TABLE must not swallow the
 * rest of the file); `BEGIN` and `CASE` open a level that `END` closes, while `END IF`, `END LOOP`,
 * `END WHILE` and `END REPEAT` close constructs that never opened one.
 */
class StoredProgramDepth {
  depth = 0;
  private state: 'start' | 'create' | 'program' | 'other' = 'start';
  private previous = '';
  private closed = false;

  word(word: string): void {
    if (this.state === 'start') this.state = word === 'create' ? 'create' : 'other';
    else if (this.state === 'create') {
      if (STORED_PROGRAMS.has(word)) this.state = 'program';
      else if (OTHER_OBJECTS.has(word)) this.state = 'other';
    } else if (this.state === 'program') {
      if (this.closed && ['if', 'loop', 'while', 'repeat'].includes(word)) this.depth++;
      else if (word === 'begin' || (word === 'case' && this.depth > 0 && this.previous !== 'end')) this.depth++;
      this.closed = word === 'end' && this.depth > 0;
      if (this.closed) this.depth--;
    }
    this.previous = word;
  }

  reset(): void {
    this.depth = 0;
    this.state = 'start';
    this.previous = '';
    this.closed = false;
  }
}

const STORED_PROGRAMS = new Set(['trigger', 'procedure', 'function', 'event']);
const OTHER_OBJECTS = new Set(['table', 'index', 'view', 'database', 'schema', 'user', 'role', 'server', 'tablespace']);
