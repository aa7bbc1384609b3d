import { format } from 'sql-formatter';
import type { FormatSettings } from '../config';
import type { TextEdit } from '../lint/rule';
import { PgNode } from '../parse/ast';
import { FileFragment } from '../parse/fragment';
import { SqlComment, splitSql } from '../parse/splitter';
import { Statement, parseFragment } from '../parse/sql';
import { LineIndex, Span } from '../parse/text';

/**
 * Formatting of `.sql` files with sql-formatter (PostgreSQL dialect), statement by statement, so that the
 * comments and blank lines between statements, psql meta-commands and COPY data stay exactly as written.
 * Formatting must never change what a migration does: every formatted statement is parsed again by the real
 * PostgreSQL parser and must give the same parse tree (locations aside) and keep its comments; if any
 * statement does not, or does not parse at all, the file is left alone and the reason is returned.
 */
export type FormatOutcome = { edits: TextEdit[] } | { skipped: string };

export function formatSql(text: string, settings: FormatSettings, range?: Span): FormatOutcome {
  const lines = new LineIndex(text);
  const statements = parseFragment(new FileFragment(text)).statements.filter(
    (statement) => statement.kind === 'statement' && (!range || (statement.span.start < range.end && statement.span.end > range.start)),
  );
  const edits: TextEdit[] = [];
  for (const statement of statements) {
    const line = lines.positionAt(statement.span.start).line + 1;
    if (statement.syntaxError || !statement.node) return { skipped: `the statement on line ${line} does not parse` };
    let formatted: string;
    try {
      formatted = format(statement.text, {
        language: 'postgresql',
        keywordCase: settings.keywordCase,
        tabWidth: settings.indent,
        expressionWidth: settings.lineWidth,
        // psql's `:name` variables stay one token.
        paramTypes: { named: [':'] },
      });
    } catch (error) {
      return { skipped: `sql-formatter cannot format the statement on line ${line} (${(error as Error).message.split('\n')[0]})` };
    }
    formatted = indentContinuationLines(formatted, lines, statement.span.start);
    if (formatted === statement.text) continue;
    if (!sameMeaning(statement, formatted)) return { skipped: `formatting would change the statement on line ${line}` };
    edits.push({ span: statement.span, newText: formatted });
  }
  return { edits };
}

/** A statement that starts indented keeps its later lines under it. */
function indentContinuationLines(formatted: string, lines: LineIndex, start: number): string {
  const position = lines.positionAt(start);
  const before = lines.lineText(position.line).slice(0, position.character);
  if (!/^[ \t]+$/.test(before)) return formatted;
  return formatted.replace(/\n(?=[^\n])/g, `\n${before}`);
}

function sameMeaning(original: Statement, formattedText: string): boolean {
  const reparsed = parseFragment(new FileFragment(formattedText));
  const statements = reparsed.statements.filter((statement) => statement.kind === 'statement');
  if (statements.length !== 1 || !statements[0].node) return false;
  const before = commentText(splitSql(original.text, { psql: true }).comments);
  return treeText(statements[0].node) === treeText(original.node!) && commentText(reparsed.comments) === before;
}

function commentText(comments: readonly SqlComment[]): string {
  return JSON.stringify(comments.map((comment) => comment.body.replace(/\s+/g, ' ').trim()));
}

/** The parse tree without source positions, which formatting is allowed to move. */
function treeText(node: PgNode): string {
  return JSON.stringify(node, (key, value) => (key === 'location' || key === 'stmt_location' || key === 'stmt_len' ? undefined : value));
}
