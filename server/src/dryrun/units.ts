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
      if (copy?.operation === file.operations[i - 1] && copy.statement?.type === 'CopyStmt') copy.copyData = copyDataLines(statement.text);
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

/** The data lines without the `\.` line that ends them. */
function copyDataLines(text: string): string {
  return text.replace(/(^|\n)\\\.\s*$/, '$1');
}
