import * as os from 'os';
import { Worker, isMainThread, parentPort, workerData } from 'worker_threads';
import { ConfigCache } from '../config';
import type { ResolvedConfig } from '../resolved-config';
import { LintResult, initEngine, lintText } from '../lint/engine';
import type { Diagnostic } from '../lint/rule';
import { SchemaReplayCache } from '../schema/cache';
import { MigrationListings, historyOf } from '../schema/directory';
import { SchemaSources, catalogFor } from '../schema/sources';

/**
 * Linting many files on all cores. Each worker thread runs the whole engine with its own replay cache; a file
 * needs the schema replayed from every earlier migration of its directory, so files are handed out by directory,
 * in order, and a directory is split between workers only when it alone is more than a worker's share (the worker
 * that takes a later part replays the earlier part first). The results come back by index: the report is the
 * same, in the same order, as a run on one thread.
 */

/** One file to lint: its text is read (and decoded) by the main thread, which also reports it. */
export interface LintJob {
  index: number;
  absolutePath: string;
  text: string;
  config: ResolvedConfig;
}

export interface RunOptions {
  explicitConfig?: string;
  /** A live database as the schema source (see catalogFor); otherwise migrations are replayed. */
  databaseUrl?: string;
}

/**
 * Lints files one after the other, each on the schema before it: what one thread of a run does. Files do not
 * change during a run, so each migration directory is listed once, and each earlier migration read and replayed
 * once for all the files after it.
 */
export class RunLinter {
  readonly configs = new ConfigCache();
  private readonly schemas = new SchemaSources(
    new SchemaReplayCache({ assumeUnchanged: true }),
    new MigrationListings(),
  );

  constructor(private readonly options: RunOptions) {}

  /** Lints `text` as the file at `absolutePath` (a function, so that `--fix` can lint the fixed text again). */
  async linter(absolutePath: string, config: ResolvedConfig): Promise<(text: string) => LintResult> {
    const { catalog } = await catalogFor(absolutePath, config, this.schemas, { databaseUrl: this.options.databaseUrl });
    return (text) => lintText(absolutePath, text, { config, catalog });
  }

  /** Why the config's `schemaFile` cannot be replayed, when it is replayed (no database given) and cannot. */
  schemaFileProblem(config: ResolvedConfig): string | undefined {
    if (!config.schemaFile || this.options.databaseUrl !== undefined) return undefined;
    return this.schemas.replay.problemOf(config.schemaFile);
  }
}

/** Each worker pays ~0.2 s to load the engine: below this many files per worker, one thread is faster. */
const FILES_PER_THREAD = 100;

/**
 * How many threads to lint `files` files with: `requested` (`--threads`), else one per core but one, as files
 * allow: on two cores a worker cost 25-60% more CPU time (its own engine start and warm-up, its replay of the
 * earlier part of a directory cut in two) and 46-57 MB, and gained no wall time (docs/performance.md, issue 17).
 */
export function threadCount(files: number, requested?: number, cores = os.availableParallelism()): number {
  if (requested !== undefined) return Math.max(1, Math.min(requested, files));
  return Math.max(1, Math.min(cores - 1, Math.floor(files / FILES_PER_THREAD)));
}

/** Replaying a migration costs about half of linting it (parsing without the rules). */
const REPLAY_COST = 0.5;

/**
 * Lints `jobs` on `threads` threads: this one and `threads - 1` workers, all taking pieces from one queue;
 * `onResult` gets each file's findings as they arrive. A worker that dies (out of memory, a crash) has the rest
 * of its piece linted on this thread, so a run never loses a file.
 */
export async function lintInThreads<Job extends LintJob>(
  jobs: Job[],
  threads: number,
  options: RunOptions,
  onResult: (job: Job, diagnostics: Diagnostic[]) => void,
): Promise<void> {
  const queue = pieces(jobs, threads);
  const workers: Worker[] = [];
  const unfinished: Job[] = [];
  const linter = new RunLinter(options);
  try {
    await Promise.all([
      ...Array.from({ length: Math.min(threads - 1, queue.length - 1) }, async () => {
        unfinished.push(...(await runWorker(queue, options, onResult, workers)));
      }),
      lintHere(queue, linter, onResult),
    ]);
  } finally {
    for (const worker of workers) void worker.terminate();
  }
  await lintHere([unfinished.sort((a, b) => a.index - b.index)], linter, onResult);
}

/** Lints pieces from `queue` on this thread, letting the workers' messages in between files. */
async function lintHere<Job extends LintJob>(
  queue: Job[][],
  linter: RunLinter,
  onResult: (job: Job, diagnostics: Diagnostic[]) => void,
): Promise<void> {
  await initEngine();
  for (let piece = queue.shift(); piece; piece = queue.shift()) {
    for (const job of piece) {
      onResult(job, (await linter.linter(job.absolutePath, job.config))(job.text).diagnostics);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

type ToWorker = { jobs: { index: number; absolutePath: string; text: string }[] };
type FromWorker =
  { type: 'result'; index: number; diagnostics: Diagnostic[] } | { type: 'done' } | { type: 'failed'; error: string };

/**
 * Feeds pieces from `queue` to one new worker until none are left. Resolves with the jobs of the piece it was on
 * if the worker died; rejects if the engine failed on a file (a bug, which one thread would have thrown too).
 */
function runWorker<Job extends LintJob>(
  queue: Job[][],
  options: RunOptions,
  onResult: (job: Job, diagnostics: Diagnostic[]) => void,
  workers: Worker[],
): Promise<Job[]> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(__filename, { workerData: { preflight: 'lint', options } });
    } catch {
      // No worker threads where this runs: what is left in the queue is linted on this thread.
      resolve([]);
      return;
    }
    workers.push(worker);
    let current = new Map<number, Job>();
    const next = () => {
      const piece = queue.shift();
      if (!piece) {
        resolve([]);
        return;
      }
      current = new Map(piece.map((job) => [job.index, job]));
      const message: ToWorker = { jobs: piece.map(({ index, absolutePath, text }) => ({ index, absolutePath, text })) };
      worker.postMessage(message);
    };
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'result') {
        const job = current.get(message.index)!;
        current.delete(message.index);
        onResult(job, message.diagnostics);
      } else if (message.type === 'done') {
        next();
      } else {
        reject(new Error(message.error));
      }
    });
    // A worker that dies (out of memory) reports an error, then exits: its piece is linted on this thread.
    worker.on('error', () => undefined);
    worker.on('exit', () => resolve([...current.values()]));
    worker.once('online', next);
  });
}

/**
 * The jobs cut into pieces, largest first: whole directories where they fit in a thread's share, else a
 * directory cut in consecutive parts, each costing about a share once the replay of the parts before it is
 * counted. Workers take the next piece when done, so uneven pieces still even out.
 */
export function pieces<Job extends LintJob>(jobs: Job[], threads: number): Job[][] {
  const cost = (job: Job) => job.text.length + 2_000;
  const directories = new Map<string, Job[]>();
  const listings = new MigrationListings();
  for (const job of jobs) {
    const key = historyOf(job.absolutePath, job.config, listings).directory;
    let group = directories.get(key);
    if (!group) directories.set(key, (group = []));
    group.push(job);
  }
  const share = jobs.reduce((sum, job) => sum + cost(job), 0) / threads;
  const result: { jobs: Job[]; cost: number }[] = [];
  for (const group of directories.values()) {
    let piece: Job[] = [];
    let pieceCost = 0;
    let before = 0;
    for (const job of group) {
      if (piece.length > 0 && pieceCost + cost(job) > share) {
        result.push({ jobs: piece, cost: pieceCost });
        piece = [];
        pieceCost = before * REPLAY_COST;
      }
      piece.push(job);
      pieceCost += cost(job);
      before += cost(job);
    }
    if (piece.length > 0) result.push({ jobs: piece, cost: pieceCost });
  }
  return result.sort((a, b) => b.cost - a.cost).map((piece) => piece.jobs);
}

/** The worker's side: lints the pieces it is sent, with one RunLinter for its lifetime. */
async function serve(options: RunOptions): Promise<void> {
  const port = parentPort!;
  await initEngine();
  const linter = new RunLinter(options);
  const { explicitConfig } = options;
  let work = Promise.resolve();
  port.on('message', ({ jobs }: ToWorker) => {
    work = work.then(async () => {
      try {
        for (const job of jobs) {
          const config = linter.configs.configFor(job.absolutePath, explicitConfig);
          const { diagnostics } = (await linter.linter(job.absolutePath, config))(job.text);
          port.postMessage({ type: 'result', index: job.index, diagnostics } satisfies FromWorker);
        }
        port.postMessage({ type: 'done' } satisfies FromWorker);
      } catch (error) {
        port.postMessage({ type: 'failed', error: (error as Error).stack ?? String(error) } satisfies FromWorker);
      }
    });
  });
}

if (!isMainThread && (workerData as { preflight?: string } | undefined)?.preflight === 'lint') {
  void serve((workerData as { options: RunOptions }).options);
}
