import * as path from 'path';
import type { MigrationFile, Operation } from '../parse/migration';
import type { Span } from '../parse/text';
import { isDownMigrationFile } from '../schema/directory';

/**
 * The parts of a migration file that undo it: `down()` in TS/JS, a whole down file (`0001_x.down.sql`, diesel's
 * `down.sql`, Flyway's `U1__x.sql`), or the Down sections of a runner that keeps both directions in one SQL file
 * (dbmate's `-- migrate:down`, goose's `-- +goose Down`, sql-migrate's `-- +migrate Down`: see parse/runners).
 */
export function downSpans(file: MigrationFile): Span[] {
  if (file.host) return file.host.sections.filter((s) => s.name === 'down').map((s) => s.span);
  if (isDownMigrationFile(path.basename(file.path))) return [{ start: 0, end: file.text.length }];
  return file.units.filter((unit) => unit.section === 'down').map((unit) => unit.span);
}

export function isInDown(spans: readonly Span[], operation: Operation): boolean {
  return spans.some((span) => span.start <= operation.fileSpan.start && operation.fileSpan.start < span.end);
}
