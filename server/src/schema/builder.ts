import {
  Catalog,
  ColumnInfo,
  ConstraintInfo,
  FunctionInfo,
  IndexInfo,
  SequenceInfo,
  TableInfo,
  TriggerInfo,
  ViewInfo,
  emptyCatalog,
} from './catalog';

/** A table the builder may change in place: a private copy of the table of the catalog it started from. */
export interface MutableTable extends TableInfo {
  columns: ColumnInfo[];
  indexes: IndexInfo[];
  constraints: ConstraintInfo[];
  triggers: TriggerInfo[];
}

/**
 * The names set or removed in each of a builder's maps since the last `endStep()`, when a replay keeps them (the
 * schema timeline records each operation's changes, never the whole catalog again).
 */
export interface CatalogChanges {
  schemas: Set<string>;
  tables: Set<string>;
  views: Set<string>;
  sequences: Set<string>;
  functions: Set<string>;
}

export function noCatalogChanges(): CatalogChanges {
  return { schemas: new Set(), tables: new Set(), views: new Set(), sequences: new Set(), functions: new Set() };
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

  /** `changes`: where to note each name set or removed, for a replay that records its steps. */
  constructor(base: Catalog = emptyCatalog(), changes?: CatalogChanges) {
    this.schemas = changes ? new RecordingSet(base.schemas, changes.schemas) : new Set(base.schemas);
    this.tables = changes ? new RecordingMap(base.tables, changes.tables) : new Map(base.tables);
    this.views = changes ? new RecordingMap(base.views, changes.views) : new Map(base.views);
    this.sequences = changes ? new RecordingMap(base.sequences, changes.sequences) : new Map(base.sequences);
    this.functions = changes ? new RecordingMap(base.functions, changes.functions) : new Map(base.functions);
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
    this.endStep();
    return {
      schemas: this.schemas,
      tables: this.tables,
      views: this.views,
      sequences: this.sequences,
      functions: this.functions,
    };
  }

  /**
   * Ends one step of a replay that records its steps: a table changed after this is copied again, so the tables
   * recorded for earlier steps stay as they were.
   */
  endStep(): void {
    this.owned.clear();
  }
}

/** A map that notes the key of every `set` and `delete` in `changed`. */
class RecordingMap<K, V> extends Map<K, V> {
  // Assigned after `super` has filled the map from `entries`, which are not changes.
  private readonly changed: Set<K> | undefined;

  constructor(entries: Iterable<readonly [K, V]>, changed: Set<K>) {
    super(entries);
    this.changed = changed;
  }

  override set(key: K, value: V): this {
    this.changed?.add(key);
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.changed?.add(key);
    return super.delete(key);
  }
}

/** A set that notes every value added or deleted in `changed`. */
class RecordingSet<T> extends Set<T> {
  private readonly changed: Set<T> | undefined;

  constructor(values: Iterable<T>, changed: Set<T>) {
    super(values);
    this.changed = changed;
  }

  override add(value: T): this {
    this.changed?.add(value);
    return super.add(value);
  }

  override delete(value: T): boolean {
    this.changed?.add(value);
    return super.delete(value);
  }
}

/** Replaces the column `name` (columns are shared with older catalogs, so never changed in place). */
export function updateColumn(table: MutableTable, name: string, change: Partial<ColumnInfo>): boolean {
  const index = table.columns.findIndex((column) => column.name === name);
  if (index < 0) return false;
  table.columns[index] = { ...table.columns[index], ...change };
  return true;
}
