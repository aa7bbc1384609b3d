import {
  Catalog, ColumnInfo, ConstraintInfo, FunctionInfo, IndexInfo, SequenceInfo, TableInfo, TriggerInfo, ViewInfo, emptyCatalog,
} from './catalog';

/** A table the builder may change in place: a private copy of the table of the catalog it started from. */
export interface MutableTable extends TableInfo {
  columns: ColumnInfo[];
  indexes: IndexInfo[];
  constraints: ConstraintInfo[];
  triggers: TriggerInfo[];
}

/**
 * A catalog being changed by replay. It starts from another catalog without copying its tables: a table is
 * copied the first time it changes (copy-on-write), so a snapshot per migration costs one map copy, and the
 * replay cache can keep a catalog for each of hundreds of migrations.
 */
export class CatalogBuilder implements Catalog {
  readonly schemas: Set<string>;
  readonly tables: Map<string, TableInfo>;
  readonly views: Map<string, ViewInfo>;
  readonly sequences: Map<string, SequenceInfo>;
  readonly functions: Map<string, FunctionInfo>;
  /** Tables copied since the last snapshot; everything else may be shared with earlier catalogs. */
  private readonly owned = new Set<TableInfo>();

  constructor(base: Catalog = emptyCatalog()) {
    this.schemas = new Set(base.schemas);
    this.tables = new Map(base.tables);
    this.views = new Map(base.views);
    this.sequences = new Map(base.sequences);
    this.functions = new Map(base.functions);
  }

  /** The table, ready to be changed, or undefined when the catalog has no such table. */
  table(name: string): MutableTable | undefined {
    const current = this.tables.get(name);
    if (!current) return undefined;
    if (this.owned.has(current)) return current as MutableTable;
    const copy: MutableTable = {
      ...current,
      columns: [...current.columns],
      indexes: [...current.indexes],
      constraints: [...current.constraints],
      triggers: [...current.triggers],
    };
    this.tables.set(name, copy);
    this.owned.add(copy);
    return copy;
  }

  addTable(name: string, columns: ColumnInfo[] = []): MutableTable {
    const table: MutableTable = { name, columns, indexes: [], constraints: [], triggers: [] };
    this.tables.set(name, table);
    this.owned.add(table);
    return table;
  }

  /** The table that has an index (or constraint, or trigger) of this name in `schema`. */
  tableWith(schema: string, has: (table: TableInfo) => boolean): TableInfo | undefined {
    for (const table of this.tables.values()) {
      if (table.name.startsWith(`${schema}.`) && has(table)) return table;
    }
    return undefined;
  }

  /** Whether a relation (table, view, sequence or index) of this name exists: they share one namespace. */
  hasRelation(schema: string, name: string): boolean {
    const qualified = `${schema}.${name}`;
    return (
      this.tables.has(qualified) ||
      this.views.has(qualified) ||
      this.sequences.has(qualified) ||
      this.tableWith(schema, (t) => t.indexes.some((i) => i.name === name)) !== undefined
    );
  }

  /**
   * The catalog as it stands, handing over the builder's maps rather than copying them (replay makes one
   * catalog per migration): the builder must not be changed afterwards.
   */
  snapshot(): Catalog {
    this.owned.clear();
    return { schemas: this.schemas, tables: this.tables, views: this.views, sequences: this.sequences, functions: this.functions };
  }
}

/** Replaces the column `name` (columns are shared with older catalogs, so never changed in place). */
export function updateColumn(table: MutableTable, name: string, change: Partial<ColumnInfo>): boolean {
  const index = table.columns.findIndex((column) => column.name === name);
  if (index < 0) return false;
  table.columns[index] = { ...table.columns[index], ...change };
  return true;
}
