import { statementTokens } from '../lint/sql-tokens';
import { executedStatements } from '../parse/plpgsql';
import type { Statement } from '../parse/sql';
import { LineIndex, Span } from '../parse/text';

/** A span of FILE as 1-based lines and columns (UTF-16 columns, as editors count) plus its offsets. */
export interface FileRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  startOffset: number;
  endOffset: number;
}

export function fileRange(lines: LineIndex, span: Span): FileRange {
  const start = lines.positionAt(span.start);
  const end = lines.positionAt(span.end);
  return {
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    startOffset: span.start,
    endOffset: span.end,
  };
}

/**
 * Where PostgreSQL's error `position` points in FILE. The position is 1-based and counts characters
 * (code points) of the text that was sent; that text is the statement itself, or its substitute with a
 * part (`CONCURRENTLY`) left out. The statement's fragment maps it to the file, also for SQL embedded in a
 * TS/JS string. Without a position the error points at the whole statement.
 */
export function errorSpan(statement: Statement, position: string | undefined, removed?: Span): Span {
  const characters = Number(position);
  if (!position || !Number.isInteger(characters) || characters < 1) return statement.fileSpan;
  const sent = removed ? statement.text.slice(0, removed.start) + statement.text.slice(removed.end) : statement.text;
  let index = utf16Index(sent, characters - 1);
  if (removed && index >= removed.start) index += removed.end - removed.start;
  return statement.locate(Buffer.byteLength(statement.text.slice(0, Math.min(index, statement.text.length)), 'utf8'));
}

/**
 * An error inside a DO block has no position, only a CONTEXT line `PL/pgSQL function inline_code_block
 * line N at ...`, N counting from the line the body's opening quote is on. Point at the body statement
 * on that line, or else at the line itself.
 */
export function doBlockErrorSpan(
  statement: Statement,
  context: string | undefined,
  lines: LineIndex,
): Span | undefined {
  const match = /inline_code_block line (\d+)/.exec(context ?? '');
  if (statement.type !== 'DoStmt' || !match) return undefined;
  const quote = statementTokens(statement).find((token) => /^(\$|'|[eE]')/.test(token.text));
  if (!quote) return undefined;
  const bodyStart = statement.fragment.toFile({
    start: statement.span.start + quote.start,
    end: statement.span.start + quote.end,
  });
  const line = lines.positionAt(bodyStart.start).line + Number(match[1]) - 1;
  const onLine = executedStatements(statement).find(
    (body) => lines.positionAt(body.statement.fileSpan.start).line === line,
  );
  if (onLine) return onLine.statement.fileSpan;
  const text = lines.lineText(line);
  const start = lines.offsetAt({ line, character: text.length - text.trimStart().length });
  return { start, end: lines.lineEnd(line) };
}

/** The UTF-16 index of the `codePoints`-th code point of `text`. */
function utf16Index(text: string, codePoints: number): number {
  let index = 0;
  for (let counted = 0; counted < codePoints && index < text.length; counted++) {
    index += (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
  }
  return index;
}
