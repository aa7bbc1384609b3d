import type { DryRunSession } from '../session';

/**
 * Every client connection's transactions, played as savepoints of the dry-run's one transaction. PostgreSQL
 * savepoints nest: releasing or rolling back to one also ends every savepoint set after it, which may belong to
 * another client connection. So a savepoint is released only when it is the innermost (else it stays, harmless,
 * until the dry-run's ROLLBACK), and a rollback that ends another connection's transaction savepoint sets that
 * one again (and says so: the other connection's writes since were undone too, which in production they are not).
 * Setting and releasing go out ahead of the next statement, in its write (`DryRunSession.sendAhead`): a pooled
 * query outside any transaction is a unit of its own, which would otherwise cost three round trips instead of one.
 */
export class SavepointStack {
  private readonly entries: { name: string; connection: number }[] = [];
  private counter = 0;

  constructor(
    private readonly session: DryRunSession,
    /** Told after every rollback to a savepoint, which releases the locks taken since it was set. */
    private readonly onRollback: () => void,
  ) {}

  set(connection: number, label: string): string {
    const name = `preflight_c${connection}_${label}_${++this.counter}`;
    this.session.sendAhead(`SAVEPOINT ${name}`);
    this.entries.push({ name, connection });
    return name;
  }

  /** Releases `name` if nothing was set after it. */
  release(name: string): void {
    const top = this.entries[this.entries.length - 1];
    if (top?.name !== name) return;
    this.session.sendAhead(`RELEASE SAVEPOINT ${name}`);
    this.entries.pop();
  }

  /** Rolls back to `name` (which stays set); returns the savepoints of other connections that this ended. */
  async rollbackTo(name: string): Promise<{ name: string; connection: number }[]> {
    const at = this.entries.findIndex((entry) => entry.name === name);
    if (at < 0) return [];
    await this.session.internal(`ROLLBACK TO SAVEPOINT ${name}`);
    this.onRollback();
    return this.entries.splice(at + 1);
  }

  has(name: string): boolean {
    return this.entries.some((entry) => entry.name === name);
  }
}

/** One client connection's transaction state, as ReadyForQuery reports it to that client. */
export class ClientTransaction {
  /** The savepoint standing for the client's BEGIN, while its transaction is open. */
  private transaction: string | undefined;
  private failed = false;
  /** The client's own savepoints, by the name it gave, innermost last. */
  private savepoints: { name: string; upstream: string }[] = [];

  constructor(
    readonly connection: number,
    private readonly stack: SavepointStack,
  ) {}

  get open(): boolean {
    return this.transaction !== undefined;
  }

  get status(): 'I' | 'T' | 'E' {
    return !this.transaction ? 'I' : this.failed ? 'E' : 'T';
  }

  get aborted(): boolean {
    return this.failed;
  }

  begin(): void {
    this.transaction = this.stack.set(this.connection, 'tx');
    this.failed = false;
  }

  /** COMMIT of a failed transaction rolls it back, as PostgreSQL does (tag ROLLBACK). */
  async commit(): Promise<'COMMIT' | 'ROLLBACK'> {
    if (this.failed) {
      await this.rollback();
      return 'ROLLBACK';
    }
    const name = this.transaction!;
    const savepoints = this.savepoints;
    this.transaction = undefined;
    this.savepoints = [];
    for (const savepoint of savepoints.reverse()) this.stack.release(savepoint.upstream);
    this.stack.release(name);
    return 'COMMIT';
  }

  async rollback(): Promise<{ name: string; connection: number }[]> {
    const name = this.transaction!;
    // A failed transaction was undone when it failed; undoing it again would undo other connections' work since.
    const undone = this.failed;
    this.transaction = undefined;
    this.failed = false;
    this.savepoints = [];
    const ended = undone ? [] : await this.stack.rollbackTo(name);
    this.stack.release(name);
    return ended;
  }

  /** An error inside the client's transaction: undo it now (the dry-run's transaction must stay usable) and refuse until ROLLBACK. */
  async fail(): Promise<{ name: string; connection: number }[]> {
    this.failed = true;
    this.savepoints = [];
    return this.stack.rollbackTo(this.transaction!);
  }

  savepoint(name: string): void {
    this.savepoints.push({ name, upstream: this.stack.set(this.connection, 'sp') });
  }

  /** false: no such savepoint (SQLSTATE 3B001). */
  release(name: string): boolean {
    const at = this.lastIndexOf(name);
    if (at < 0) return false;
    const released = this.savepoints.splice(at);
    for (const savepoint of released.reverse()) this.stack.release(savepoint.upstream);
    return true;
  }

  async rollbackTo(name: string): Promise<{ name: string; connection: number }[] | false> {
    const at = this.lastIndexOf(name);
    if (at < 0) return false;
    this.savepoints.splice(at + 1);
    this.failed = false;
    return this.stack.rollbackTo(this.savepoints[at].upstream);
  }

  /** Another connection's rollback ended this connection's transaction savepoint: set it again. */
  restore(): void {
    if (!this.transaction || this.stack.has(this.transaction)) return;
    this.transaction = this.stack.set(this.connection, 'tx');
    this.savepoints = [];
  }

  private lastIndexOf(name: string): number {
    for (let i = this.savepoints.length - 1; i >= 0; i--) if (this.savepoints[i].name === name) return i;
    return -1;
  }
}
