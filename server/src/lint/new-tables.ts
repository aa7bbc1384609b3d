import { fieldsOf } from '../parse/ast';
import type { MigrationFile, Operation } from '../parse/migration';

/**
 * Tables this migration created before a given operation, in the same `up`/`down` section (a `.sql` file
 * is one section). Locks on such a table hurt nobody: inside the creating transaction no other session can
 * even see it, and after that it is still empty and unknown to the deployed application, so building an
 * index, adding a constraint or rewriting it is instant. The lock rules exempt them, as squawk does.
 */
export class NewTables {
  private readonly createdAt = new Map<string, number>();
  private readonly indexCreatedAt = new Map<string, number>();
  private readonly order = new Map<Operation, number>();

  constructor(file: MigrationFile) {
    file.operations.forEach((operation, index) => {
      this.order.set(operation, index);
      for (const table of operation.creates) remember(this.createdAt, sectionKey(operation, table), index);
      const created = operation.statement?.type === 'IndexStmt' ? fieldsOf(operation.statement.node) : undefined;
      if (created?.idxname) {
        // An index lives in its table's schema.
        remember(
          this.indexCreatedAt,
          sectionKey(operation, `${created.relation?.schemaname ?? 'public'}.${created.idxname}`),
          index,
        );
      }
    });
  }

  /** Whether `table` (`schema.table`) was created by an earlier operation of `operation`'s section. */
  isNew(table: string | undefined, operation: Operation): boolean {
    return this.createdBefore(this.createdAt, table, operation);
  }

  /** Whether index `index` (`schema.index`) was built by an earlier operation of `operation`'s section. */
  isNewIndex(index: string | undefined, operation: Operation): boolean {
    return this.createdBefore(this.indexCreatedAt, index, operation);
  }

  private createdBefore(createdAt: Map<string, number>, name: string | undefined, operation: Operation): boolean {
    if (!name) return false;
    const created = createdAt.get(sectionKey(operation, name));
    const at = this.order.get(operation);
    return created !== undefined && at !== undefined && created < at;
  }
}

function remember(createdAt: Map<string, number>, key: string, index: number): void {
  if (!createdAt.has(key)) createdAt.set(key, index);
}

const cache = new WeakMap<MigrationFile, NewTables>();

export function newTables(file: MigrationFile): NewTables {
  let tables = cache.get(file);
  if (!tables) cache.set(file, (tables = new NewTables(file)));
  return tables;
}

function sectionKey(operation: Operation, table: string): string {
  return `${operation.section}\u0000${table}`;
}
