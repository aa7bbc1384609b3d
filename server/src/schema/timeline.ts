import type { MigrationFile, Operation } from '../parse/migration';
import { CatalogBuilder, CatalogChanges, noCatalogChanges } from './builder';
import { Catalog, FunctionInfo, SequenceInfo, TableInfo, ViewInfo, emptyCatalog } from './catalog';
import { replayOperation } from './replay';

/**
 * The catalog before each operation of one migration file and after the file, replayed once per lint and read by
 * every rule (`RuleContext.catalogAt`), hover and the split refactor: an index created later in the file does not
 * serve a statement before it; one created earlier does. Operations run in the order a runner runs them: the
 * forward ones (`up`), then `down`, which starts from the state after `up`.
 *
 * A snapshot per operation would copy the table map each time (a 1,500-statement baseline holds hundreds of
 * tables); the timeline keeps only what each operation changed, per name, and answers a lookup at an operation
 * by finding the newest change at or before it.
 *
 * Built on first use. Given the timeline of the document's previous text, it reuses the states before the
 * first operation whose text changed — a statement of a `.sql` file changes the catalog by its own text alone,
 * so the states before it cannot differ — and replays from there: an edit near the end of a long file replays
 * one statement.
 */
export class CatalogTimeline {
  private replayed?: Replayed;

  private previous?: CatalogTimeline;

  constructor(
    readonly file: MigrationFile,
    /** The catalog before the file: the schema source's, or an empty one. */
    readonly before: Catalog,
    /** The timeline of the same document's previous text; one never replayed has nothing to give (and is not kept). */
    previous?: CatalogTimeline,
  ) {
    this.previous = previous?.replayed ? previous : undefined;
  }

  /** The catalog just before `operation`, one of this file's operations, runs. */
  catalogAt(operation: Operation): Catalog {
    const replayed = this.replay();
    const step = replayed.steps.get(operation);
    if (step === undefined) throw new Error('catalogAt: the operation is not one of the linted file');
    return replayed.catalogAt(step);
  }

  /** The catalog after the file's forward operations: what the next migration starts from. */
  catalogAfterFile(): Catalog {
    const replayed = this.replay();
    return replayed.catalogAt(replayed.forwardCount);
  }

  /** How many operations this timeline replayed itself (the others' states came from the previous text's): 0 until first used. */
  get replayedOperations(): number {
    return this.replayed?.count ?? 0;
  }

  private replay(): Replayed {
    if (!this.replayed) {
      const previous = this.previous;
      const steps = previous ? unchangedSteps(previous, this.file, this.before) : 0;
      // Reused, the previous history also brings its catalog before the file: only when that is this one (steps > 0).
      this.replayed = new Replayed(
        this.file,
        this.before,
        steps > 0 ? { history: previous!.replayed!.history, steps } : undefined,
      );
      // The previous text's timeline is not needed again: letting it go keeps one timeline per document alive.
      this.previous = undefined;
    }
    return this.replayed;
  }
}

/** The operations in the order they run: forward ones, then the down section from the state after them. */
function runOrder(file: MigrationFile): Operation[] {
  return [
    ...file.operations.filter((o) => o.section !== 'down'),
    ...file.operations.filter((o) => o.section === 'down'),
  ];
}

/** How many of the previous timeline's first states hold for `file` too: the operations before the first that changed. */
function unchangedSteps(previous: CatalogTimeline, file: MigrationFile, before: Catalog): number {
  const old = previous.file;
  // In TS/JS, what a call does can depend on code elsewhere in the file (a constant it names): replayed in full.
  if (
    file.language !== 'sql' ||
    old.language !== 'sql' ||
    old.path !== file.path ||
    old.dialect !== file.dialect ||
    previous.before !== before
  )
    return 0;
  const was = runOrder(old);
  const now = runOrder(file);
  let same = 0;
  while (same < was.length && same < now.length && sameReplay(old, was[same], file, now[same])) same++;
  return same;
}

/** Whether two operations change the catalog alike: same section, same place, same text, same conditions. */
function sameReplay(oldFile: MigrationFile, was: Operation, file: MigrationFile, now: Operation): boolean {
  const { start, end } = now.fileSpan;
  return (
    was.section === now.section &&
    was.fileSpan.start === start &&
    was.fileSpan.end === end &&
    oldFile.text.slice(start, end) === file.text.slice(start, end) &&
    JSON.stringify(was.conditions) === JSON.stringify(now.conditions)
  );
}

/** A replayed timeline: step `i` is the state before the i-th operation in run order. */
class Replayed {
  readonly steps = new Map<Operation, number>();
  readonly forwardCount: number;
  readonly history: CatalogHistory;
  /** Operations replayed here rather than reused. */
  readonly count: number;
  private readonly catalogs = new Map<number, Catalog>();

  constructor(file: MigrationFile, before: Catalog, reuse: { history: CatalogHistory; steps: number } | undefined) {
    const order = runOrder(file);
    order.forEach((operation, step) => this.steps.set(operation, step));
    this.forwardCount = order.filter((o) => o.section !== 'down').length;
    const from = reuse?.steps ?? 0;
    this.history = reuse ? reuse.history.upTo(from) : new CatalogHistory(before);
    const changes = noCatalogChanges();
    const builder = new CatalogBuilder(from === 0 ? before : this.history.catalogAt(from), changes);
    for (let step = from; step < order.length; step++) {
      replayOperation(builder, file, order[step], () => undefined);
      this.history.record(step + 1, builder, changes);
      builder.endStep();
    }
    this.count = order.length - from;
  }

  /** One catalog object per state: steps that changed nothing share their predecessor's (and its cached facts). */
  catalogAt(step: number): Catalog {
    const changed = this.history.lastChangeAtOrBefore(step);
    let catalog = this.catalogs.get(changed);
    if (!catalog) {
      catalog = this.history.catalogAt(changed);
      this.catalogs.set(changed, catalog);
    }
    return catalog;
  }
}

/** What each step changed, per kind of object: the catalog at any step is the base plus the changes up to it. */
class CatalogHistory {
  constructor(
    private readonly base: Catalog,
    private readonly schemas = new NameHistory<string, true>(),
    private readonly tables = new NameHistory<string, TableInfo>(),
    private readonly views = new NameHistory<string, ViewInfo>(),
    private readonly sequences = new NameHistory<string, SequenceInfo>(),
    private readonly functions = new NameHistory<string, FunctionInfo>(),
    /** The steps at which anything changed, ascending. */
    private readonly changedSteps: number[] = [],
  ) {}

  /** Notes the builder's state of every name `changes` lists as the state from `step` on, and empties `changes`. */
  record(step: number, builder: CatalogBuilder, changes: CatalogChanges): void {
    const kinds = [
      [this.schemas, changes.schemas, (name: string) => (builder.schemas.has(name) ? true : undefined)],
      [this.tables, changes.tables, (name: string) => builder.tables.get(name)],
      [this.views, changes.views, (name: string) => builder.views.get(name)],
      [this.sequences, changes.sequences, (name: string) => builder.sequences.get(name)],
      [this.functions, changes.functions, (name: string) => builder.functions.get(name)],
    ] as const;
    let changed = false;
    for (const [history, names, current] of kinds) {
      for (const name of names) (history as NameHistory<string, unknown>).record(name, step, current(name));
      changed ||= names.size > 0;
      names.clear();
    }
    if (changed) this.changedSteps.push(step);
  }

  /** The newest step at or before `step` that changed something (0, the base, when none did). */
  lastChangeAtOrBefore(step: number): number {
    const at = lastAtOrBefore(this.changedSteps, step);
    return at < 0 ? 0 : this.changedSteps[at];
  }

  catalogAt(step: number): Catalog {
    const base = this.base;
    return {
      schemas: new SetAt(
        new MapAt(new Map([...base.schemas].map((name) => [name, true as const])), this.schemas, step),
      ),
      tables: new MapAt(base.tables, this.tables, step),
      views: new MapAt(base.views, this.views, step),
      sequences: new MapAt(base.sequences, this.sequences, step),
      functions: new MapAt(base.functions, this.functions, step),
    };
  }

  /** A copy holding the changes of steps up to `step` only (the timeline of the previous text may still be read). */
  upTo(step: number): CatalogHistory {
    return new CatalogHistory(
      this.base,
      this.schemas.upTo(step),
      this.tables.upTo(step),
      this.views.upTo(step),
      this.sequences.upTo(step),
      this.functions.upTo(step),
      this.changedSteps.filter((changed) => changed <= step),
    );
  }
}

/** The value of each name at the steps where it changed; undefined: removed from that step on. */
class NameHistory<K, V> {
  constructor(readonly changes = new Map<K, { steps: number[]; values: (V | undefined)[] }>()) {}

  record(name: K, step: number, value: V | undefined): void {
    let entry = this.changes.get(name);
    if (!entry) {
      entry = { steps: [], values: [] };
      this.changes.set(name, entry);
    }
    entry.steps.push(step);
    entry.values.push(value);
  }

  /** The name's value at `step`, or UNCHANGED when no step up to it changed the name. */
  at(name: K, step: number): V | undefined | typeof UNCHANGED {
    const entry = this.changes.get(name);
    if (!entry) return UNCHANGED;
    const at = lastAtOrBefore(entry.steps, step);
    return at < 0 ? UNCHANGED : entry.values[at];
  }

  upTo(step: number): NameHistory<K, V> {
    const kept = new Map<K, { steps: number[]; values: (V | undefined)[] }>();
    for (const [name, entry] of this.changes) {
      const count = lastAtOrBefore(entry.steps, step) + 1;
      if (count > 0) kept.set(name, { steps: entry.steps.slice(0, count), values: entry.values.slice(0, count) });
    }
    return new NameHistory(kept);
  }
}

const UNCHANGED = Symbol('unchanged');

/** The index of the last entry of ascending `steps` that is at most `step`, or -1. */
function lastAtOrBefore(steps: readonly number[], step: number): number {
  let low = 0;
  let high = steps.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (steps[middle] <= step) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/**
 * A map as it stood at one step: lookups search the name's history; iterating builds the whole map once (the
 * names the base had, in its order, then the names the file created, in the order it first created them).
 */
class MapAt<K, V> implements ReadonlyMap<K, V> {
  private whole?: Map<K, V>;

  constructor(
    private readonly base: ReadonlyMap<K, V>,
    private readonly history: NameHistory<K, V>,
    private readonly step: number,
  ) {}

  get(name: K): V | undefined {
    const value = this.history.at(name, this.step);
    return value === UNCHANGED ? this.base.get(name) : value;
  }

  has(name: K): boolean {
    return this.get(name) !== undefined;
  }

  get size(): number {
    return this.materialized().size;
  }

  forEach(visit: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    this.materialized().forEach((value, key) => visit(value, key, this));
  }

  entries(): MapIterator<[K, V]> {
    return this.materialized().entries();
  }

  keys(): MapIterator<K> {
    return this.materialized().keys();
  }

  values(): MapIterator<V> {
    return this.materialized().values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  private materialized(): Map<K, V> {
    if (!this.whole) {
      const whole = new Map(this.base);
      for (const name of this.history.changes.keys()) {
        const value = this.history.at(name, this.step);
        if (value === UNCHANGED) continue;
        if (value === undefined) whole.delete(name);
        else whole.set(name, value);
      }
      this.whole = whole;
    }
    return this.whole;
  }
}

/** The schemas at one step: a set over a map of names. */
class SetAt implements ReadonlySet<string> {
  constructor(private readonly names: MapAt<string, true>) {}

  has(name: string): boolean {
    return this.names.has(name);
  }

  get size(): number {
    return this.names.size;
  }

  forEach(visit: (value: string, key: string, set: ReadonlySet<string>) => void): void {
    this.names.forEach((_value, name) => visit(name, name, this));
  }

  entries(): SetIterator<[string, string]> {
    return new Set(this.names.keys()).entries();
  }

  keys(): SetIterator<string> {
    return this.names.keys();
  }

  values(): SetIterator<string> {
    return this.names.keys();
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.names.keys();
  }
}

/** The catalog a file is replayed on when no schema source is available: one object, so its timelines can be reused. */
export const NO_SCHEMA: Catalog = emptyCatalog();
