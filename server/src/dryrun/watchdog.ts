import type { DryRunSession, WatchdogCause } from './session';
import type { SessionLimits } from './session-limits';

/** How far past its limit a statement may run before the watchdog steps in (the server's own timer comes first). */
const GRACE_MS = 1000;
/** How long a cancelled statement has to stop before its session is terminated. */
const TERMINATE_AFTER_MS = 2000;
const LOCK_POLL_MS = 500;
/** How often the watchdog looks at the running statement: the shortest lock poll interval. */
const TICK_MS = 50;

/**
 * Enforces the dry-run's limits from a second connection, where nothing the script does can reach. The
 * session's own settings are re-applied after every statement (`SessionLimits`), but inside one statement
 * a script can lift lock_timeout (`DO $$ ... set_config('lock_timeout', '0', true); LOCK ... $$`) and wait on
 * a lock until statement_timeout; a statement can start with statement_timeout already lifted, so that its
 * timer is never armed (by an IMMUTABLE function that the planner evaluated during the dry-run's EXPLAIN of
 * it); and a whole migration of statements each under the limits can still hold its locks for hours. The watchdog cancels the running statement (`pg_cancel_backend`) when it waits for a
 * lock longer than lock_timeout, runs longer than statement_timeout, or the run's time limit passes, and
 * terminates the session (`pg_terminate_backend`) if the statement does not stop.
 */
export class Watchdog {
  private readonly deadline: NodeJS.Timeout | undefined;
  /**
   * One timer for the whole run, rather than two per statement: a script's thousands of statements each finish
   * long before any limit, and arming and clearing timers for each was a measurable part of the proxy's work.
   */
  private readonly ticker: NodeJS.Timeout;
  private timeUp = false;
  /** The statement being watched now. */
  private current: Watched | undefined;

  private constructor(
    private readonly session: DryRunSession,
    private readonly limits: SessionLimits,
    timeLimitMs: number,
  ) {
    // Unreferenced: the statement it watches keeps the process alive, and an abandoned run must not.
    this.ticker = setInterval(() => this.check(), TICK_MS).unref();
    if (timeLimitMs <= 0) return;
    this.deadline = setTimeout(() => {
      this.timeUp = true;
      if (this.current) this.stop(this.current, 'dry-run-timeout');
      // Preflight's own query of the moment, if any, fails; the run stops before the next statement.
      else this.session.cancelRunning().catch(() => undefined);
    }, timeLimitMs);
  }

  /**
   * Opens the second connection now: a watchdog that could not connect when needed would guard nothing.
   * `timeLimitMs` 0: no limit for the whole run.
   */
  static async start(session: DryRunSession, limits: SessionLimits, timeLimitMs: number): Promise<Watchdog> {
    await session.openMonitor();
    return new Watchdog(session, limits, timeLimitMs);
  }

  /** The run's time limit has passed: run nothing more. */
  get expired(): boolean {
    return this.timeUp;
  }

  /**
   * Runs one of the script's statements under watch: its result or error, and the watchdog's cause when the
   * watchdog stopped it. Returns only once any cancel request has reached the server, so that a request sent
   * as the statement finished on its own lands on an idle session (which ignores it), not on the next query.
   */
  async watch<T>(run: () => Promise<T>): Promise<{ result?: T; error?: unknown; cause?: WatchdogCause }> {
    const lockLimit = this.limits.get('lock_timeout');
    const current: Watched = {
      startedAt: performance.now(),
      statementLimit: this.limits.get('statement_timeout'),
      lockLimit,
      pollInterval: Math.max(TICK_MS, Math.min(LOCK_POLL_MS, lockLimit / 4)),
      polledAt: 0,
    };
    this.current = current;
    if (this.timeUp) this.stop(current, 'dry-run-timeout');
    try {
      return { result: await run(), cause: current.cause };
    } catch (error) {
      return { error, cause: current.cause };
    } finally {
      this.current = undefined;
      clearTimeout(current.terminate);
      await Promise.all([current.polling, current.signalled]);
    }
  }

  /**
   * A statement past statement_timeout (and the grace) is stopped; one still running after a poll interval costs
   * a query — the time it has waited for a lock, by the server's clock — and is stopped past lock_timeout.
   */
  private check(): void {
    const current = this.current;
    if (!current || current.cause) return;
    const now = performance.now();
    const elapsed = now - current.startedAt;
    if (current.statementLimit > 0 && elapsed > current.statementLimit + GRACE_MS)
      return this.stop(current, 'statement_timeout');
    if (
      current.lockLimit <= 0 ||
      current.polling ||
      now - Math.max(current.startedAt, current.polledAt) < current.pollInterval
    )
      return;
    current.polling = this.session
      .lockWaitMs()
      .then((waited) => {
        if (waited !== undefined && waited > current.lockLimit + GRACE_MS) this.stop(current, 'lock_timeout');
      })
      .catch(() => undefined)
      .finally(() => {
        current.polling = undefined;
        current.polledAt = performance.now();
      });
  }

  private stop(watched: Watched, cause: WatchdogCause): void {
    if (this.current !== watched || watched.cause) return;
    watched.cause = cause;
    watched.signalled = this.session.cancelRunning().catch(() => undefined);
    watched.terminate = setTimeout(() => {
      if (this.current === watched) this.session.terminate().catch(() => undefined);
    }, TERMINATE_AFTER_MS);
  }

  /** The run is over (its session is about to close). */
  dispose(): void {
    clearInterval(this.ticker);
    clearTimeout(this.deadline);
  }
}

/** A statement under watch: why the watchdog stopped it, if it did, and the requests it sent. */
interface Watched {
  startedAt: number;
  statementLimit: number;
  lockLimit: number;
  pollInterval: number;
  /** When the last lock poll answered (0: none yet). */
  polledAt: number;
  polling?: Promise<unknown>;
  cause?: WatchdogCause;
  signalled?: Promise<unknown>;
  terminate?: NodeJS.Timeout;
}
