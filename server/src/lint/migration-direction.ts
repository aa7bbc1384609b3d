import * as path from 'path';
import type { MigrationFile, Operation } from '../parse/migration';
import { isDownMigrationFile } from '../schema/directory';

/**
 * Whether an operation belongs to a rollback: a `down` function of a TS/JS migration, or a SQL file named as
 * the down half of a pair (`down.sql` in Diesel's folders, `0001_x.down.sql` in golang-migrate and pop,
 * `0001_x_down.sql`, Flyway's undo migrations `U1__x.sql`). A rollback runs after the application was rolled back: it drops what the `up` added
 * and renames back what it renamed, for code that expects exactly that, so the rules about breaking the
 * running release do not apply to it (lock and rewrite hazards still do).
 */
export function isRollback(file: MigrationFile, operation: Operation): boolean {
  if (operation.section === 'down') return true;
  if (operation.section === 'up') return false;
  return isDownMigrationFile(path.basename(file.path));
}
