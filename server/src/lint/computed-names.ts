import { isComputedName } from '../parse/fragment';
import type { MigrationFile } from '../parse/migration';
import type { Span } from '../parse/text';
import type { Diagnostic } from './rule';

/**
 * A finding on an ORM call whose names only the running code knows (`queryRunner.dropColumn(tableName, columnName)`)
 * names them by the expressions as written (`${columnName} of public.${tableName}`); this says so, once, for every
 * rule, so that no rule has to know that a statement's target can be unknown.
 */
export function withComputedNamesSaid(file: MigrationFile, diagnostics: Diagnostic[]): Diagnostic[] {
  const computed: { span: Span; names: readonly string[] }[] = [];
  for (const statement of file.statements) {
    const names = statement.fragment.computedNames;
    if (names?.length) computed.push({ span: statement.fileSpan, names });
  }
  if (computed.length === 0) return diagnostics;
  return diagnostics.map((diagnostic) => {
    const on = computed.find(({ span }) => span.start <= diagnostic.span.start && diagnostic.span.end <= span.end);
    if (!on) return diagnostic;
    const list = on.names.map((name) => `\`${name}\``).join(', ');
    const verb = on.names.length === 1 ? 'is' : 'are';
    return {
      ...diagnostic,
      message: `${diagnostic.message} (${list} ${verb} computed at run time: named here as the code writes ${on.names.length === 1 ? 'it' : 'them'}.)`,
    };
  });
}

/**
 * Whether two tables are known to be different ones: not when either is named by an ORM call's argument only the
 * running code knows (`${tableName}` and `${tableObject}` of one helper are the same table at run time), unless
 * both are written the same way.
 */
export function knownToDiffer(table: string, other: string): boolean {
  return table !== other && !isComputedName(table) && !isComputedName(other);
}
