import type { Operation, SectionName } from './migration-parts';

/**
 * How a migration runner wraps one migration: `per-migration` runs each `up`/`down` (or the whole .sql
 * file) in one transaction; `none` runs each statement on its own unless the script says BEGIN.
 */
export type TransactionMode = 'per-migration' | 'none';

/** Operations that commit or roll back together. */
export interface TransactionBlock {
  section: SectionName;
  operations: Operation[];
  /** Opened by the runner (or autocommit of a single statement), not by the script's own BEGIN. */
  implicit: boolean;
  /** Opened by the runner around the section (`per-migration`), rather than one statement in autocommit. */
  wrapsSection?: boolean;
}

/**
 * Groups operations into the transactions PostgreSQL will actually run. Explicit BEGIN/COMMIT in the
 * script, `queryRunner.startTransaction()` and `sequelize.transaction(cb)` callbacks all count; a BEGIN
 * inside an open transaction is a no-op (PostgreSQL only warns), and after a COMMIT inside a wrapped
 * migration the remaining statements run in autocommit. In autocommit, the statements of one SQL call run
 * as one transaction, as PostgreSQL runs a multi-statement query.
 */
export function buildTransactions(
  operations: readonly Operation[],
  mode: TransactionMode | ((operation: Operation) => TransactionMode),
): TransactionBlock[] {
  const modeOf = typeof mode === 'function' ? mode : () => mode;
  const blocks: TransactionBlock[] = [];
  let current: TransactionBlock | undefined;
  let section: SectionName | undefined;
  let unit: unknown;
  let scope: unknown;
  // The autocommit block of the last SQL call: PostgreSQL runs the statements of one simple-protocol query
  // (`client.query('ALTER ...; UPDATE ...')`) as one transaction.
  let lastCall: { call: unknown; block: TransactionBlock } | undefined;
  // The last explicit transaction committed inside a `try` block, which a ROLLBACK in its `catch` still ends: the
  // catch runs when a statement before the COMMIT failed (BEGIN inside or before that `try`).
  let recoverable: { guardedBy: unknown; block: TransactionBlock } | undefined;

  const close = () => {
    if (current && current.operations.length > 0) blocks.push(current);
    current = undefined;
    scope = undefined;
  };

  for (const operation of operations) {
    // A new section, or a new migration unit of a runner that keeps several in one section (Liquibase's changesets).
    if (operation.section !== section || operation.unit !== unit) {
      close();
      section = operation.section;
      unit = operation.unit;
      if (modeOf(operation) === 'per-migration')
        current = { section, operations: [], implicit: true, wrapsSection: true };
    }
    const action = operation.transactionAction;
    if (action === 'begin') {
      lastCall = undefined;
      if (!current) current = { section: operation.section, operations: [], implicit: false };
      current.operations.push(operation);
      continue;
    }
    if (action === 'commit' || action === 'rollback') {
      // `try { BEGIN; ...; COMMIT } catch { ROLLBACK }`: the ROLLBACK runs instead of the COMMIT, on the same
      // transaction, when a statement of the try block failed.
      if (!current && recoverable && operation.recovers !== undefined && operation.recovers === recoverable.guardedBy) {
        recoverable.block.operations.push(operation);
        continue;
      }
      const ended = current;
      current?.operations.push(operation);
      close();
      recoverable =
        ended && !ended.implicit && operation.guardedBy !== undefined
          ? { guardedBy: operation.guardedBy, block: ended }
          : undefined;
      continue;
    }
    if (scope !== undefined && operation.scope !== scope) close();
    if (!current && operation.scope !== undefined) {
      current = { section: operation.section, operations: [], implicit: false };
      scope = operation.scope;
    }
    if (current) {
      current.operations.push(operation);
    } else if (operation.call?.kind === 'sql' && lastCall?.call === operation.call) {
      lastCall.block.operations.push(operation);
    } else {
      const block: TransactionBlock = { section: operation.section, operations: [operation], implicit: true };
      blocks.push(block);
      lastCall = operation.call?.kind === 'sql' ? { call: operation.call, block } : undefined;
    }
  }
  close();
  return blocks;
}
