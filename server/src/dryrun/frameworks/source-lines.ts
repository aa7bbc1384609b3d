import * as fs from 'fs';
import type { StatementReport } from '../../../../shared/protocol';
import { LineIndex } from '../../parse/text';
import { wireStatements } from '../proxy/wire-statements';
import type { SentQuery } from './job';

/** The queries the framework runner logged (one JSON line each); none when it never got to send one. */
export function readSentQueries(queryLog: string): SentQuery[] {
  if (!fs.existsSync(queryLog)) return [];
  return fs
    .readFileSync(queryLog, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SentQuery);
}

/**
 * Puts each statement the proxy reported at the line of FILE that sent it. A client connection sends its queries in
 * the order the driver was asked to, so the reports of connection N are its logged queries in order, each expanded
 * into the statements the proxy parsed from it (`SET a; SET b` is two reports). A statement the proxy never
 * reported (after a failure, the rest of a multi-statement query does not run) is recognised by its text.
 */
export function attachSourceLines(
  statements: StatementReport[],
  sent: readonly SentQuery[],
  file: string,
  text: string,
  formatSql: (sql: string) => string,
): void {
  const lines = new LineIndex(text);
  const byConnection = new Map<number, StatementReport[]>();
  for (const statement of statements) {
    if (statement.connection === undefined) continue;
    byConnection.set(statement.connection, [...(byConnection.get(statement.connection) ?? []), statement]);
  }
  const next = new Map<number, number>();
  for (const query of sent) {
    const reports = byConnection.get(query.connection) ?? [];
    for (const statement of wireStatements(query.text)) {
      if (!statement.node && !statement.syntaxError) continue;
      const at = next.get(query.connection) ?? 0;
      const report = reports[at];
      if (!report || report.sql !== formatSql(statement.text)) break;
      next.set(query.connection, at + 1);
      if (query.line !== undefined) placeAt(report, file, lines, query);
    }
  }
}

function placeAt(report: StatementReport, file: string, lines: LineIndex, query: SentQuery): void {
  const line = query.line!;
  const lineIndex = Math.min(line - 1, lines.lineCount - 1);
  const start = lines.offsetAt({ line: lineIndex, character: (query.column ?? 1) - 1 });
  const end = lines.lineEnd(lineIndex);
  const column = start - lines.offsetAt({ line: lineIndex, character: 0 }) + 1;
  const endColumn = end - lines.offsetAt({ line: lineIndex, character: 0 }) + 1;
  Object.assign(report, { line, endLine: line, column, endColumn, startOffset: start, endOffset: end });
  report.source = { file, line, ...(query.call ? { call: query.call } : {}) };
  if (report.error) Object.assign(report.error, { line, column, endLine: line, endColumn });
}
