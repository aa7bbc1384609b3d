import { advisoryLockCallsBySection, pairLocksWithUnlocks } from '../lint/advisory-locks';
import { Rule } from '../lint/rule';
import { transactionBlockOf, transactionState } from '../lint/transaction-context';
import { sessionPrivateTables } from '../lint/session-private';
import { reloadAfter, truncations } from '../lint/truncations';
import type { MigrationFile, Operation, SectionName } from '../parse/migration';

export const rule: Rule = {
  id: 'truncate-without-lock',
  severity: 'error',
  summary: 'TRUNCATE, then reloading the table in another transaction with no lock held in between.',
  examples: {
    bad: '-- preflight-transaction: none\nTRUNCATE demo_bookings;\nINSERT INTO demo_bookings SELECT * FROM demo_seed;',
    good: 'BEGIN;\nTRUNCATE demo_bookings;\nINSERT INTO demo_bookings SELECT * FROM demo_seed;\nCOMMIT;',
  },
  check({ file, report }) {
    const locks = heldSessionLocks(file);
    const sessionPrivate = sessionPrivateTables(file);
    for (const truncation of truncations(file)) {
      // A TEMP table is the session's own: no other run or reader can see it between the truncate and the reload.
      if (sessionPrivate.has(truncation.table)) continue;
      const reload = reloadAfter(file, truncation);
      if (!reload || inOneTransaction(file, truncation.operation, reload)) continue;
      if (lockedBetween(locks, truncation.operation, reload)) continue;
      const line = file.lines.positionAt(reload.fileSpan.start).line + 1;
      report({
        span: truncation.tableSpan,
        message:
          `${truncation.subject} empties ${truncation.table} and commits before the reload (line ${line}), which runs in ` +
          'another transaction, with no lock held in between. Readers see the table empty or half-filled, and two ' +
          "overlapping runs truncate each other's rows mid-load, failing at random with foreign-key violations (23503) " +
          'in child tables (incident 2).',
        help:
          "Run the TRUNCATE and the reload in one transaction on one connection (BEGIN ... COMMIT, or the driver's " +
          "transaction helper): TRUNCATE's ACCESS EXCLUSIVE lock then keeps other runs and readers out until the new " +
          'rows commit. If the job must span transactions, serialise runs with pg_advisory_lock on a dedicated ' +
          'connection and release it in a finally block on that same connection.',
      });
    }
  },
};

function inOneTransaction(file: MigrationFile, a: Operation, b: Operation): boolean {
  const block = transactionBlockOf(file, a);
  return block !== undefined && block === transactionBlockOf(file, b) && transactionState(file, a) === 'transaction';
}

/**
 * Where session-level advisory locks are held: from the lock call to its unlock, or to the end of the section
 * when nothing unlocks it. Overlapping runs that take the same lock cannot interleave in between.
 */
interface HeldLock {
  section: SectionName;
  from: number;
  to: number;
}

function heldSessionLocks(file: MigrationFile): HeldLock[] {
  const held: HeldLock[] = [];
  for (const calls of advisoryLockCallsBySection(file)) {
    for (const [lock, unlock] of pairLocksWithUnlocks(calls)) {
      held.push({ section: lock.operation.section, from: lock.span.start, to: unlock?.span.start ?? Infinity });
    }
  }
  return held;
}

function lockedBetween(locks: readonly HeldLock[], from: Operation, to: Operation): boolean {
  return locks.some(
    (lock) => lock.section === from.section && lock.from < from.fileSpan.start && lock.to > to.fileSpan.start,
  );
}
