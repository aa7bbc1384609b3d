import * as path from 'path';
import type { MigrationFile, Operation } from '../parse/migration';
import type { Span } from '../parse/text';
import { isDownMigrationFile } from '../schema/directory';

/**
 * The parts of a migration file that undo it: `down()` in TS/JS, a whole down file (`0001_x.down.sql`, diesel's
 * `down.sql`, Flyway's `U1__x.sql`), or the part after a down marker in tools that keep both directions in one
 * SQL file (dbmate's `-- migrate:down`, goose's `-- +goose Down`, sql-migrate's `-- +migrate Down`).
 */
const DOWN_MARKER = /^\s*(migrate:down|\+goose\s+down|\+migrate\s+down)\b/i;
const UP_MARKER = /^\s*(migrate:up|\+goose\s+up|\+migrate\s+up)\b/i;

export function downSpans(file: MigrationFile): Span[] {
  if (file.host) return file.host.sections.filter((s) => s.name === 'down').map((s) => s.span);
  if (isDownMigrationFile(path.basename(file.path))) return [{ start: 0, end: file.text.length }];
  const spans: Span[] = [];
  let start: number | undefined;
  for (const comment of file.comments) {
    if (DOWN_MARKER.test(comment.body)) start ??= comment.span.end;
    else if (UP_MARKER.test(comment.body) && start !== undefined) {
      spans.push({ start, end: comment.span.start });
      start = undefined;
    }
  }
  if (start !== undefined) spans.push({ start, end: file.text.length });
  return spans;
}

export function isInDown(spans: readonly Span[], operation: Operation): boolean {
  return spans.some((span) => span.start <= operation.fileSpan.start && operation.fileSpan.start < span.end);
}
