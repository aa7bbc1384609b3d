import type { DryRunSession } from './session';

/**
 * The settings that bound how long the dry-run's session may wait for a lock, run one statement, sit idle in
 * its transaction, or outlive a vanished client. The script may lower them, never lift them: anything it
 * runs can change them — `SET`, `SET LOCAL`, `RESET ALL`, `set_config()` in any query, a DO block, a
 * function or trigger it calls — so rather than guess from the text, the dry-run reads them back after every
 * statement and sets the lifted ones back (`SET LOCAL`, undone with everything else at ROLLBACK).
 * `ALTER ROLE/DATABASE ... SET` only change the defaults of later sessions, and ROLLBACK withdraws them.
 *
 * Within one statement PostgreSQL arms the statement_timeout timer when the statement starts, so lifting it
 * there does not stop the timer; lock_timeout is read at each lock wait, which the watchdog (`watchdog.ts`)
 * covers from a second connection. client_connection_check_interval is read while the statement runs too, and
 * once the client is dead its watchdog is gone: such a statement keeps its locks until its statement_timeout.
 */
const LIMIT_NAMES = [
  'lock_timeout',
  'statement_timeout',
  'idle_in_transaction_session_timeout',
  'client_connection_check_interval',
] as const;

export type LimitName = (typeof LIMIT_NAMES)[number];

/**
 * A stalled tool must not hold locks on a real server: the server ends a transaction left idle this long, and
 * checks this often that the client is still there, even in the middle of a long statement (PostgreSQL 14+).
 */
const IDLE_IN_TRANSACTION_TIMEOUT = '60s';
const CLIENT_CONNECTION_CHECK_INTERVAL = '1s';

export class SessionLimits {
  private constructor(
    private readonly session: DryRunSession,
    /** Each limit in milliseconds as the server took it; 0 means none. Absent: the server has no such setting. */
    private readonly limits: ReadonlyMap<LimitName, number>,
  ) {}

  /**
   * Sets the limits for the session (Preflight's own queries before and after the transaction run under them
   * too) and reads them back in milliseconds.
   */
  static async establish(
    session: DryRunSession,
    timeouts: { lockTimeout: string; statementTimeout: string },
  ): Promise<SessionLimits> {
    const wanted: [LimitName, string][] = [
      ['lock_timeout', timeouts.lockTimeout],
      ['statement_timeout', timeouts.statementTimeout],
      ['idle_in_transaction_session_timeout', IDLE_IN_TRANSACTION_TIMEOUT],
      ['client_connection_check_interval', CLIENT_CONNECTION_CHECK_INTERVAL],
    ];
    const limits = new Map<LimitName, number>();
    const current = await readSettings(session);
    for (const [name, value] of wanted) {
      // client_connection_check_interval is new in PostgreSQL 14; older servers cannot notice a dead client mid-statement.
      if (current.get(name) === undefined) continue;
      await session.internal('SELECT pg_catalog.set_config($1, $2, false)', [name, value]);
    }
    for (const [name, ms] of await readSettings(session)) if (ms !== undefined) limits.set(name, ms);
    return new SessionLimits(session, limits);
  }

  /** The limit in milliseconds (0: none). */
  get(name: LimitName): number {
    return this.limits.get(name) ?? 0;
  }

  /** Sets every limit again with `SET LOCAL`, right after the dry-run's BEGIN. */
  async applyToTransaction(): Promise<void> {
    await this.setLocal([...this.limits.keys()]);
  }

  /**
   * After a statement of the script: sets back every limit it lifted (to 0, a higher value, or its default
   * with RESET). Returns what was set back, e.g. `statement_timeout at 3000 ms`, for the statement's note.
   */
  async restore(): Promise<string[]> {
    const now = await readSettings(this.session);
    const lifted = [...this.limits].filter(([name, limit]) => {
      const value = now.get(name);
      return limit > 0 && value !== undefined && (value === 0 || value > limit);
    });
    if (lifted.length === 0) return [];
    await this.setLocal(lifted.map(([name]) => name));
    return lifted.map(([name, limit]) => `${name} at ${limit} ms`);
  }

  private async setLocal(names: LimitName[]): Promise<void> {
    if (names.length === 0) return;
    const calls = names.map((_, i) => `pg_catalog.set_config($${2 * i + 1}, $${2 * i + 2}, true)`);
    await this.session.internal(
      `SELECT ${calls.join(', ')}`,
      names.flatMap((name) => [name, `${this.get(name)}ms`]),
    );
  }
}

/**
 * The limits as the session has them now, in milliseconds. `current_setting` calls only functions qualified
 * with `pg_catalog` and no operators, so a script that puts its own schema first in search_path cannot
 * change what this reads.
 */
async function readSettings(session: DryRunSession): Promise<Map<LimitName, number | undefined>> {
  // The names are Preflight's own constants; written inline, the query needs no parameters (a cheaper round trip per statement).
  const columns = LIMIT_NAMES.map((name) => `pg_catalog.current_setting('${name}', true) AS ${name}`);
  const { rows } = await session.internal<Record<LimitName, string | null>>(`SELECT ${columns.join(', ')}`);
  return new Map(
    LIMIT_NAMES.map((name) => [name, rows[0][name] === null ? undefined : toMilliseconds(rows[0][name]!)]),
  );
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration as PostgreSQL writes it (`0`, `1500ms`, `3s`, `1min`; no unit means ms) in milliseconds. */
export function toMilliseconds(shown: string): number {
  const match = /^(-?\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?$/.exec(shown.trim());
  // A form PostgreSQL never shows for these settings: take it as lifted, so that the limit is set again.
  if (!match) return 0;
  return Number(match[1]) * UNIT_MS[match[2] ?? 'ms'];
}
