import { touchesOnlySessionPrivate } from '../../lint/session-private';
import type { MigrationFile, Operation } from '../../parse/migration';

/**
 * What an operation is to `mixed-ddl-dml`, which the rule judges and the split divides by:
 * - `ddl`, a change of the shared schema;
 * - `dml`, a change of shared data;
 * - `seed`, data written only into tables created earlier (`createdBefore`): nobody else can see them yet, so
 *   filling them is part of creating them, not a data change;
 * - undefined for the rest: reads, settings, transaction control, and work on the session's own TEMP staging
 *   tables, which change no shared schema or data.
 */
export type MixingRole = 'ddl' | 'dml' | 'seed' | undefined;

export function mixingRole(file: MigrationFile, operation: Operation, createdBefore: ReadonlySet<string>): MixingRole {
  if (touchesOnlySessionPrivate(file, operation)) return undefined;
  if (operation.effect === 'ddl') return 'ddl';
  if (operation.effect !== 'dml') return undefined;
  return operation.tables.every((t) => createdBefore.has(t.table)) ? 'seed' : 'dml';
}
