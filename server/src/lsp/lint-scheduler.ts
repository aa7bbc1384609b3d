/**
 * When to lint a document that keeps changing. A change that finds nothing of its document waiting is linted
 * at once, even right after the previous lint: an editor that sends one edit and waits for its diagnostics
 * (keystrokes slower than a lint) gets each answer in the lint's own time. Only bursts are scheduled: a
 * change that arrives while a lint of its document is still waiting joins that lint, and from then on the
 * document is linted at most once per `interval`, and always once after its last change, on the text as it is
 * then, until a lint covers a single change again. A thousand rapid `didChange` notifications therefore cost a
 * handful of lints, not a thousand.
 */
export class LintScheduler {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly lastRun = new Map<string, number>();
  /** Documents whose waiting lint (or last lint) took in more than one change. */
  private readonly bursting = new Set<string>();

  constructor(
    private readonly run: (uri: string) => void,
    private readonly interval = 150,
  ) {}

  schedule(uri: string): void {
    if (this.pending.has(uri)) {
      this.bursting.add(uri);
      return;
    }
    const burst = this.bursting.has(uri);
    this.bursting.delete(uri);
    const wait = burst ? Math.max(0, (this.lastRun.get(uri) ?? -Infinity) + this.interval - performance.now()) : 0;
    // A zero timeout still lets the messages already read (the rest of a burst) join this lint first.
    const timer = setTimeout(() => {
      this.pending.delete(uri);
      this.lastRun.set(uri, performance.now());
      this.run(uri);
    }, wait);
    this.pending.set(uri, timer);
  }

  /** Whether a lint of `uri` is waiting to run (it will lint the text, and see the schema, as they are then). */
  isPending(uri: string): boolean {
    return this.pending.has(uri);
  }

  cancel(uri: string): void {
    clearTimeout(this.pending.get(uri));
    this.pending.delete(uri);
    this.lastRun.delete(uri);
    this.bursting.delete(uri);
  }
}

/**
 * Lints open documents again whose own text did not change, when what they are linted with may have: the
 * schema, because a migration before them changed (edited, opened, closed, changed on disk), or the settings
 * and config. Migration changes are collected for `delay` ms from the first, then the dependants of all of them
 * join one pass: closing the 200 open files of a folder, or typing in the first of them, costs one pass over the
 * files after it instead of one per change (which was quadratic: 17,581 lints to close 200 files). The pass lints
 * one document per turn of the event loop, so requests and further changes are handled in between; a document
 * waiting in the pass is not queued twice, and a change during a pass holds it until the burst it starts is over.
 */
export class RelintPass {
  private readonly changed = new Set<string>();
  private readonly waiting = new Set<string>();
  private collecting: NodeJS.Timeout | undefined;
  private linting = false;

  constructor(
    private readonly dependantsOf: (changed: string[]) => string[],
    private readonly relint: (uri: string) => void,
    private readonly delay = 150,
  ) {}

  /** The migration at `filePath` changed: what runs after it is linted again once the burst is over. */
  migrationChanged(filePath: string): void {
    this.changed.add(filePath);
    this.collecting ??= setTimeout(() => this.collected(), this.delay);
  }

  /** Lints `uris` again in the pass (the settings or the config changed). */
  add(uris: readonly string[]): void {
    for (const uri of uris) this.waiting.add(uri);
    if (!this.linting) this.lintNext();
  }

  private collected(): void {
    this.collecting = undefined;
    const changed = [...this.changed];
    this.changed.clear();
    this.add(this.dependantsOf(changed));
  }

  private lintNext(): void {
    const [uri] = this.waiting;
    // While changes are being collected, the documents waiting would most likely be linted twice: the pass
    // resumes when the burst is over, with their dependants added.
    this.linting = uri !== undefined && this.collecting === undefined;
    if (!this.linting || uri === undefined) return;
    this.waiting.delete(uri);
    this.relint(uri);
    setImmediate(() => this.lintNext());
  }
}
