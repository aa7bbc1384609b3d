import type { MigrationFile } from '../parse/migration';
import type { Span } from '../parse/text';
import type { ExecutionUnit } from './executor';

/**
 * What of a migration file runs: the `up` part (a migration is dry-run forwards; `down` is its own
 * transaction, run only when a selection asks for it) or, with a selection, every statement and call it
 * touches. The data lines of a psql `COPY ... FROM stdin` go with their COPY statement.
 */
export function executionUnits(file: MigrationFile, range?: Span): ExecutionUnit[] {
  const units: ExecutionUnit[] = [];
  file.operations.forEach((operation, i) => {
    const statement = operation.statement;
    if (statement?.kind === 'copy-data') {
      const copy = units[units.length - 1];
      if (copy?.operation === file.operations[i - 1] && copy.statement?.type === 'CopyStmt')
        copy.copyData = copyDataLines(statement.text);
      return;
    }
    // The statements a DO block runs are operations of their own for linting; here the DO statement runs them.
    if (operation.executedBy) return;
    const span = operation.fileSpan;
    const selected = range ? span.start < range.end && span.end > range.start : operation.section !== 'down';
    if (selected) units.push({ operation, statement });
  });
  return units;
}

/**
 * SQLSTATEs of a statement that names what does not exist yet: a column, table, type, function or schema that
 * an earlier statement of the same file would have created.
 */
const UNDEFINED_OBJECT = new Set(['42703', '42P01', '42704', '42883', '3F000', '42P02']);

/**
 * The hint for a statement of a selection that failed because it needs what the file's earlier statements
 * create ("Dry Run Selection" on line 9 of a migration whose line 2 adds the column), or undefined when
 * the failure is not of that kind or every earlier statement ran.
 */
export function selectionHint(file: MigrationFile, range: Span, failedCode: string): string | undefined {
  if (!UNDEFINED_OBJECT.has(failedCode)) return undefined;
  const notRun = file.operations.filter(
    (operation) => !operation.executedBy && operation.section !== 'down' && operation.fileSpan.end <= range.start,
  ).length;
  if (notRun === 0) return undefined;
  return `Only the selection ran: ${notRun} statement${notRun === 1 ? '' : 's'} above it in this file did not. Select from the top of the file, or dry-run the whole file.`;
}

/** The data lines without the `\.` line that ends them. */
function copyDataLines(text: string): string {
  return text.replace(/(^|\n)\\\.\s*$/, '$1');
}
