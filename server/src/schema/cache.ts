import * as crypto from 'crypto';
import * as fs from 'fs';
import type { Dialect } from '../parse/dialect';
import { parseMigration } from '../parse/migration';
import { readUserText } from '../source-files';
import { CatalogBuilder } from './builder';
import { Catalog, SkippedStatement, emptyCatalog } from './catalog';
import { replayMigration } from './replay';

/** What replay produced up to some migration: the catalog after it and everything skipped on the way. */
export interface ReplayState {
  readonly catalog: Catalog;
  /** Skipped statements of every file replayed so far, in order (a new array on each read). */
  readonly skipped: readonly SkippedStatement[];
}

interface ReplayStep {
  file: string;
  contentHash: string;
  /** Replayed from an unsaved editor buffer rather than the disk. */
  fromBuffer: boolean;
  /**
   * The state after this step. A CLI run keeps it only for the newest step and every `CHECKPOINT_INTERVAL`-th
   * one: it lints a directory in migration order, so an older state is asked for only when a file sorts earlier
   * than one already linted (`10_x.sql` before `9_x.sql`), and is then replayed again from the checkpoint before it.
   */
  after: ReplayState | undefined;
}

/** How many steps of a CLI run's chain share one kept state: each kept state holds its own copy of the table map. */
const CHECKPOINT_INTERVAL = 16;

/**
 * The state before the first migration of a directory without a schema file: one object, so that the first
 * migration's catalog is the same from one lint to the next (the timeline of its last lint is reused only then).
 */
const EMPTY_STATE: ReplayState = { catalog: emptyCatalog(), skipped: [] };

/** The signature of a file's version that comes from an unsaved editor buffer (`readText`), not from the disk. */
const BUFFER_SIGNATURE = 'overlay';

interface FileVersion {
  signature: string;
  contentHash: string;
  /**
   * Undefined when the file cannot be read (`problem` says why), or once replayed in a CLI run
   * (`assumeUnchanged`): keeping the text of every migration would grow with the number of files, and a file
   * replayed again is read again.
   */
  text: string | undefined;
  /** Why the file cannot be read: unreadable, binary, not UTF-8, too large. */
  problem?: string;
}

export interface ReplayCacheOptions {
  /**
   * The text of a file when it differs from the disk (an unsaved editor buffer), else undefined. The language
   * server passes its open documents, so editing migration N re-replays from N without a save.
   */
  readText?: (file: string) => string | undefined;
  /**
   * Files do not change while this cache lives (one CLI run): each is read and hashed once. Otherwise every
   * lookup checks each file's size and mtime, and re-hashes a file whose stat changed.
   */
  assumeUnchanged?: boolean;
}

/**
 * Replay state per migration, so that editing migration N replays only from N, and a change to an earlier
 * migration invalidates everything after it. Keyed by a chain: a starting state (empty, or a schema file) and
 * the ordered list of files, each identified by path and content hash. The language server holds one cache for
 * its lifetime; the CLI one per run.
 */
export class SchemaReplayCache {
  private readonly chains = new Map<string, ReplayStep[]>();
  private readonly versions = new Map<string, FileVersion>();
  /** Per chain, the one step whose let-go state was replayed again and is kept for the next file (see `stateAfter`). */
  private readonly revived = new WeakMap<ReplayStep[], { step: ReplayStep; index: number }>();
  private readonly baselines = new Map<string, { contentHash: string; dialect: Dialect; state: ReplayState }>();

  constructor(private readonly options: ReplayCacheOptions = {}) {}

  /**
   * The state after replaying `files` in order, on top of `schemaFile` (a pg_dump, or mysqldump --no-data) when
   * given, all of them written for `dialect`. Requires the SQL parser to be loaded (`loadSqlParser()`); never
   * throws on the files' content.
   */
  replay(
    chainKey: string,
    files: readonly string[],
    schemaFile?: string,
    dialect: Dialect = 'postgresql',
  ): ReplayState {
    const start = schemaFile ? this.baseline(schemaFile, dialect) : { contentHash: 'empty', state: EMPTY_STATE };
    const key = `${chainKey}\0${schemaFile ?? ''}\0${start.contentHash}\0${dialect}`;
    let steps = this.chains.get(key);
    if (!steps) {
      steps = [];
      this.chains.set(key, steps);
    }
    // Every lookup compares the chain so far: with files that do not change on disk (one CLI run, or a language
    // server told of every change), comparing paths is enough, where looking up each earlier file's hash made a
    // run over thousands of migrations quadratic. An unsaved editor buffer changes without the disk: its hash counts.
    const unchanged = this.options.assumeUnchanged === true;
    let valid = 0;
    while (valid < files.length && valid < steps.length) {
      const step = steps[valid];
      if (step.file !== files[valid]) break;
      const mayHaveChanged = !unchanged || step.fromBuffer || this.options.readText?.(step.file) !== undefined;
      if (mayHaveChanged && step.contentHash !== this.version(step.file).contentHash) break;
      valid++;
    }
    // A shorter chain that matches (an earlier migration of the same directory, linted after a later one) keeps
    // the later steps: only a file that changed or moved invalidates what follows it.
    if (valid < files.length) steps.length = valid;
    let state = this.stateAfter(steps, valid, start.state, dialect);
    for (const file of files.slice(valid)) {
      const version = this.version(file);
      state = replayFile(state, file, this.readable(file, version), dialect);
      if (unchanged && version.signature !== BUFFER_SIGNATURE) version.text = undefined;
      const previous = steps[steps.length - 1];
      if (unchanged && previous && steps.length % CHECKPOINT_INTERVAL !== 0) previous.after = undefined;
      steps.push({
        file,
        contentHash: version.contentHash,
        fromBuffer: version.signature === BUFFER_SIGNATURE,
        after: state,
      });
    }
    return state;
  }

  /**
   * The state after the first `count` steps, replayed again from the nearest kept state when it was let go. That
   * state is kept until another one is replayed again: the files after an out-of-order one (a worker thread taking
   * an earlier part of a directory after a later one) then each replay one migration, not up to a checkpoint's worth.
   */
  private stateAfter(steps: ReplayStep[], count: number, start: ReplayState, dialect: Dialect): ReplayState {
    let kept = count;
    while (kept > 0 && steps[kept - 1].after === undefined) kept--;
    let state = kept > 0 ? steps[kept - 1].after! : start;
    if (kept === count) return state;
    for (const step of steps.slice(kept, count))
      state = replayFile(state, step.file, this.readable(step.file, this.version(step.file)), dialect);
    const previous = this.revived.get(steps);
    if (
      previous &&
      steps[previous.index] === previous.step &&
      previous.index < steps.length - 1 &&
      (previous.index + 1) % CHECKPOINT_INTERVAL !== 0
    ) {
      previous.step.after = undefined;
    }
    steps[count - 1].after = state;
    this.revived.set(steps, { step: steps[count - 1], index: count - 1 });
    return state;
  }

  /** Why a file cannot be replayed (not a regular file, unreadable, binary, too large), or undefined. */
  problemOf(file: string): string | undefined {
    return this.version(file).problem;
  }

  /** Forgets what is known of a file (the language server calls this when a file changes on disk). */
  invalidate(file: string): void {
    this.versions.delete(file);
    this.baselines.delete(file);
  }

  clear(): void {
    this.chains.clear();
    this.versions.clear();
    this.baselines.clear();
  }

  private baseline(schemaFile: string, dialect: Dialect): { contentHash: string; state: ReplayState } {
    const version = this.version(schemaFile);
    let cached = this.baselines.get(schemaFile);
    if (!cached || cached.contentHash !== version.contentHash || cached.dialect !== dialect) {
      // A schema file that cannot be read replays as empty, with the reason among the skipped statements.
      const state = replayFile({ catalog: emptyCatalog(), skipped: [] }, schemaFile, version, dialect);
      cached = { contentHash: version.contentHash, dialect, state };
      this.baselines.set(schemaFile, cached);
    }
    return cached;
  }

  /** `version` with its text, read again when a CLI run let it go after replaying the file once. */
  private readable(file: string, version: FileVersion): FileVersion {
    if (version.text !== undefined || version.problem !== undefined) return version;
    const decoded = readUserText(file);
    return 'text' in decoded ? { ...version, text: decoded.text } : { ...version, problem: decoded.problem };
  }

  /** The file's current text and its hash; a stat that did not change means the text did not either. */
  private version(file: string): FileVersion {
    const overlay = this.options.readText?.(file);
    if (overlay !== undefined) return { signature: BUFFER_SIGNATURE, contentHash: hash(overlay), text: overlay };
    const known = this.versions.get(file);
    if (known && this.options.assumeUnchanged) return known;
    let signature = 'missing';
    try {
      const stat = fs.statSync(file);
      signature = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    } catch {
      // A file deleted since it was listed replays as empty.
    }
    if (known && known.signature === signature) return known;
    // The same reading and limits as linting: a sibling that is not a regular file, or binary, non-UTF-8 or
    // oversized, is skipped with its reason, never read forever or replayed for minutes.
    const decoded = readUserText(file);
    const text = 'text' in decoded ? decoded.text : undefined;
    const version = {
      signature,
      contentHash: text === undefined ? 'unreadable' : hash(text),
      text,
      problem: 'problem' in decoded ? decoded.problem : undefined,
    };
    this.versions.set(file, version);
    return version;
  }
}

function hash(text: string): string {
  return crypto.createHash('sha1').update(text).digest('hex');
}

function replayFile(before: ReplayState, file: string, { text, problem }: FileVersion, dialect: Dialect): ReplayState {
  const builder = new CatalogBuilder(before.catalog);
  const skipped: SkippedStatement[] = [];
  if (text === undefined) skipped.push({ file, line: 1, reason: problem ?? 'cannot be read' });
  else replayMigration(builder, parseMigration(file, text, { dialect }), skipped);
  const chained =
    before instanceof ChainedState
      ? before
      : new ChainedState(before.catalog, [...before.skipped], before.skipped.length);
  return chained.then(builder.snapshot(), skipped);
}

/**
 * A replay state whose skipped statements are the first `count` entries of a log shared along its chain: each
 * migration appends to the log instead of copying it. Copying kept one list per migration, each as long as
 * everything skipped before it — memory that grew as the square of the number of files (a directory of
 * Sequelize migrations that each skip a few calls).
 */
class ChainedState implements ReplayState {
  constructor(
    readonly catalog: Catalog,
    private readonly log: SkippedStatement[],
    private readonly count: number,
  ) {}

  get skipped(): readonly SkippedStatement[] {
    return this.log.slice(0, this.count);
  }

  /** The state after one more migration, which skipped `added`. */
  then(catalog: Catalog, added: readonly SkippedStatement[]): ChainedState {
    if (added.length === 0) return new ChainedState(catalog, this.log, this.count);
    // Entries are only ever appended, so the states before keep seeing theirs. A state that is not the newest of
    // its log (replayed from again after an earlier migration changed) starts a log of its own.
    const log = this.log.length === this.count ? this.log : this.log.slice(0, this.count);
    for (const entry of added) log.push(entry);
    return new ChainedState(catalog, log, log.length);
  }
}
