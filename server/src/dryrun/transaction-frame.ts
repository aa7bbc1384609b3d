import type { SideEffect } from '../../../shared/protocol';
import { LockTracker } from './lock-tracker';
import { setForwardAgain } from './sequence-moves';
import type { DryRunSession } from './session';
import { SessionLimits, toMilliseconds } from './session-limits';
import { SequencePositions, sequencePositions, sequenceSideEffects } from './side-effects';
import { Watchdog } from './watchdog';

/**
 * The one transaction a dry-run runs in, from BEGIN to the ROLLBACK that always ends it, with what guards it
 * (the limits the script may lower but not lift, the watchdog on a second connection) and what it observes
 * (locks, sequence positions). A migration's statements (executor.ts) and the statements a program sends
 * through the transaction proxy (proxy/) run inside one of these.
 */
export class RolledBackTransaction {
  private constructor(
    private readonly session: DryRunSession,
    readonly limits: SessionLimits,
    readonly tracker: LockTracker,
    readonly watchdog: Watchdog,
    /** Sequence positions before the run, read outside its transaction. */
    readonly sequencesBefore: SequencePositions | undefined,
  ) {}

  static async begin(
    session: DryRunSession,
    settings: { lockTimeout: string; statementTimeout: string; timeLimit: string },
  ): Promise<RolledBackTransaction> {
    const limits = await SessionLimits.establish(session, settings);
    const sequencesBefore = await sequencePositions(session).catch(() => undefined);
    const tracker = await LockTracker.start(session);
    const watchdog = await Watchdog.start(session, limits, toMilliseconds(settings.timeLimit));
    const frame = new RolledBackTransaction(session, limits, tracker, watchdog, sequencesBefore);
    await session.internal('BEGIN');
    await limits.applyToTransaction();
    await tracker.observe();
    return frame;
  }

  /**
   * ROLLBACK, then what survived it: session advisory locks (released here, each blamed on the statement that
   * took it) and advanced sequences. On a lost connection the server has rolled back and released everything.
   */
  async end(options: {
    databaseKind: 'server' | 'embedded';
    allowSideEffects: boolean;
    advisoryTakenBy: ReadonlyMap<string, number>;
  }): Promise<SideEffect[]> {
    this.watchdog.dispose();
    const { session } = this;
    const sideEffects: SideEffect[] = [];
    if (session.lost) return sideEffects;
    try {
      session.discardAhead();
      await session.internal('ROLLBACK');
      for (const key of await this.tracker.advisoryLocksHeld()) {
        sideEffects.push({
          kind: 'advisory-lock',
          object: `advisory lock ${key}`,
          detail:
            'a session-level advisory lock survives ROLLBACK and stays held until pg_advisory_unlock runs on the same connection or the connection closes; the dry-run released it (pg_advisory_unlock_all)',
          statementIndex: options.advisoryTakenBy.get(key),
        });
      }
      await session.internal('SELECT pg_catalog.pg_advisory_unlock_all()');
      const before = this.sequencesBefore;
      if (before) {
        const after = await sequencePositions(session);
        const setForward =
          options.databaseKind === 'server' && !options.allowSideEffects
            ? await setForwardAgain(session, before, after)
            : undefined;
        sideEffects.push(...sequenceSideEffects(before, after, setForward));
      }
    } catch {
      // The connection is closed next; the server rolls back and releases everything then.
    }
    return sideEffects;
  }
}
