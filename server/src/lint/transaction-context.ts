import type { MigrationFile, Operation } from '../parse/migration';
import type { TransactionBlock } from '../parse/transactions';

/**
 * Whether an operation will run inside a transaction block, as far as the file shows. It matters for the
 * statements PostgreSQL refuses to run in one (`CREATE INDEX CONCURRENTLY` and the other CONCURRENTLY
 * forms, SQLSTATE 25001), for whether a failed migration can simply be re-run, and for whether splitting a
 * statement in two (NOT VALID, then VALIDATE) really releases a lock in between.
 *
 * - `transaction`: an explicit BEGIN (or transaction callback) is open, or the runner wraps several
 *   operations in one transaction.
 * - `autocommit`: the operation runs on its own, as every operation of its section does.
 * - `unknown`: a section with a single operation (whether the runner wraps it depends on the runner, unless the
 *   file's annotations or the config name the runner), or a
 *   call outside `up`/`down` in a file that has them.
 *
 * Statements a DO block runs are always in a transaction: the block runs them inside a function. So are the
 * statements of one query string with several (`query('ALTER ...; UPDATE ...')`): PostgreSQL runs such a
 * string as one implicit transaction block.
 */
export type TransactionState = 'transaction' | 'autocommit' | 'unknown';

interface BlockIndex {
  blockOf: Map<Operation, TransactionBlock>;
  /** Operations of each block other than transaction control: counted once, not once per operation asked about. */
  workPerBlock: Map<TransactionBlock, number>;
  sectionSizes: Map<string, number>;
  /** How many statements each TS/JS query call sends. */
  statementsPerCall: Map<unknown, number>;
}

const cache = new WeakMap<MigrationFile, BlockIndex>();

function indexOf(file: MigrationFile): BlockIndex {
  let index = cache.get(file);
  if (index) return index;
  index = { blockOf: new Map(), workPerBlock: new Map(), sectionSizes: new Map(), statementsPerCall: new Map() };
  for (const block of file.transactions) {
    for (const operation of block.operations) index.blockOf.set(operation, block);
    index.workPerBlock.set(block, block.operations.filter((o) => o.effect !== 'transaction').length);
  }
  for (const operation of file.operations) {
    if (operation.call && operation.statement && !operation.executedBy) {
      index.statementsPerCall.set(operation.call, (index.statementsPerCall.get(operation.call) ?? 0) + 1);
    }
    if (operation.effect !== 'transaction')
      index.sectionSizes.set(operation.section, (index.sectionSizes.get(operation.section) ?? 0) + 1);
  }
  cache.set(file, index);
  return index;
}

/** The transaction block the operation runs in, if any. */
export function transactionBlockOf(file: MigrationFile, operation: Operation): TransactionBlock | undefined {
  return indexOf(file).blockOf.get(operation);
}

export function transactionState(file: MigrationFile, operation: Operation): TransactionState {
  // A DO block runs its statements inside a function, where CONCURRENTLY and COMMIT are refused too.
  if (operation.executedBy) return 'transaction';
  const index = indexOf(file);
  // Several statements in one query string run as one implicit transaction block (the simple query protocol).
  if (operation.call && (index.statementsPerCall.get(operation.call) ?? 0) > 1) return 'transaction';
  // A call outside `up` and `down` in a migration that has them runs from a helper or a hook the runner may
  // not wrap (logto's non-transactional `beforeUp`, for one): where it runs cannot be told from the file.
  if (operation.call && operation.section === 'script' && (file.host?.sections.length ?? 0) > 0) return 'unknown';
  const block = index.blockOf.get(operation);
  if (!block) return 'autocommit';
  if (!block.implicit) return 'transaction';
  const work = index.workPerBlock.get(block) ?? 0;
  if (work > 1 || block.operations.length > work) return 'transaction';
  // A runner named by the file's annotations, the files around it or the config says itself whether a section of one statement runs
  // in a transaction block; a file name alone does not tell golang-migrate (one query) from sqlx (a transaction).
  const choice = file.runner;
  if (
    choice?.runner.definiteTransaction &&
    (choice.source === 'config' || choice.source === 'annotation' || choice.source === 'directory')
  ) {
    // A section sent as one query runs a lone statement on its own (PostgreSQL's implicit block needs two).
    return block.wrapsSection && file.wrappingOf?.(operation) === 'transaction' ? 'transaction' : 'autocommit';
  }
  return (index.sectionSizes.get(operation.section) ?? 0) > 1 ? 'autocommit' : 'unknown';
}
