import type { Statement } from '../parse/sql';
import type { Span } from '../parse/text';
import type { Fix, TextEdit } from './rule';
import { fileSpanIn } from './sql-tokens';

/**
 * Quick-fix edits are computed in a statement's own text and mapped to the file. SQL embedded in TS/JS
 * sits inside a string or template literal, so an edit there must not touch a `${}` hole and its text must
 * not need escaping in the host literal (quotes, backslashes, `$`, backticks, line breaks): such a fix is
 * not offered rather than risk breaking the file.
 */
export function replaceText(statement: Statement, span: Span, newText: string): TextEdit | undefined {
  if (!isEmbeddable(statement, span, newText)) return undefined;
  return { span: fileSpanIn(statement, span), newText };
}

/**
 * Inserts `text` right after the character before `offset` (`after`, for text that follows a token) or
 * right before the character at `offset` (`before`). In a `.sql` file both are the same place; in a TS/JS
 * literal the two characters can be apart (an escape sequence, the end of the literal).
 */
export function insertText(
  statement: Statement,
  offset: number,
  text: string,
  side: 'after' | 'before' = 'after',
): TextEdit | undefined {
  if (!isEmbeddable(statement, { start: offset, end: offset }, text)) return undefined;
  const at =
    side === 'after' && offset > 0
      ? fileSpanIn(statement, { start: offset - 1, end: offset }).end
      : fileSpanIn(statement, { start: offset, end: offset + 1 }).start;
  return { span: { start: at, end: at }, newText: text };
}

/** Whether the statement is part of a `.sql` file (rather than a literal in TS/JS). */
export function inSqlFile(statement: Statement): boolean {
  return statement.fragment.psql;
}

/** A fix, or undefined when one of its edits could not be made. */
export function makeFix(title: string, edits: readonly (TextEdit | undefined)[], safe: boolean): Fix | undefined {
  if (edits.length === 0 || edits.some((edit) => edit === undefined)) return undefined;
  return { title, edits: edits as TextEdit[], safe };
}

/** Keeps the writing style of the replaced text: `INTEGER` becomes `BIGINT`, `integer` becomes `bigint`. */
export function matchCase(written: string, replacement: string): string {
  const letters = written.replace(/[^A-Za-z]/g, '');
  return letters.length > 0 && letters === letters.toUpperCase()
    ? replacement.toUpperCase()
    : replacement.toLowerCase();
}

const NEEDS_HOST_ESCAPING = /['"`\\$\r\n]/;

function isEmbeddable(statement: Statement, span: Span, newText: string): boolean {
  const fragment = statement.fragment;
  if (fragment.psql) return true;
  // The SQL an ORM call sends is not text of the file (parse/orm/): an edit there would write SQL into the call.
  if (fragment.generated) return false;
  if (NEEDS_HOST_ESCAPING.test(newText)) return false;
  const start = statement.span.start + span.start;
  const end = statement.span.start + span.end;
  // An edit next to or inside a hole could land in the interpolated expression instead of the SQL.
  return !fragment.holes.some((hole) => hole.start <= end && hole.end >= start);
}

/** An edit that deletes a statement of a `.sql` file with its `;`, and its whole line when nothing else is on it. */
export function removeStatement(fileText: string, statement: Statement): TextEdit | undefined {
  if (!inSqlFile(statement)) return undefined;
  let { start, end } = statement.fileSpan;
  const after = /^[ \t]*;?[ \t]*(\r?\n)?/.exec(fileText.slice(end))![0];
  end += after.length;
  const lineStart = fileText.lastIndexOf('\n', start - 1) + 1;
  const lineBreak = /\r?\n$/.exec(after)?.[0] ?? '';
  if (/\S/.test(fileText.slice(lineStart, start))) end -= lineBreak.length;
  else if (lineBreak || end === fileText.length) start = lineStart;
  return { span: { start, end }, newText: '' };
}
