/**
 * When to lint a document that keeps changing. The first change after a quiet period is linted at once
 * (typing feels instant); during a burst, a document is linted at most once per `interval` and always
 * once after its last change, on the text as it is then. A thousand rapid `didChange` notifications
 * therefore cost a handful of lints, not a thousand.
 */
export class LintScheduler {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly lastRun = new Map<string, number>();

  constructor(
    private readonly run: (uri: string) => void,
    private readonly interval = 150,
  ) {}

  schedule(uri: string): void {
    if (this.pending.has(uri)) return;
    const wait = Math.max(0, (this.lastRun.get(uri) ?? -Infinity) + this.interval - performance.now());
    const timer = setTimeout(() => {
      this.pending.delete(uri);
      this.lastRun.set(uri, performance.now());
      this.run(uri);
    }, wait);
    this.pending.set(uri, timer);
  }

  cancel(uri: string): void {
    clearTimeout(this.pending.get(uri));
    this.pending.delete(uri);
    this.lastRun.delete(uri);
  }
}
