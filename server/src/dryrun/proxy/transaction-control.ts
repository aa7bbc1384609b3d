import { fieldsOf } from '../../parse/ast';
import type { Statement } from '../../parse/sql';
import type { StatementError, StatementReport } from '../../../../shared/protocol';
import { backend } from './backend-messages';
import type { ClientTransaction } from './client-transactions';
import type { LiveStatements } from './live-statements';

/** Command tags of statements that write rows. */
const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY']);

/** What transaction control uses of the client connection it answers on (client-connection.ts). */
export interface ControlledConnection {
  readonly number: number;
  readonly transaction: ClientTransaction;
  readonly live: LiveStatements;
  send(message: Buffer): void;
  /** Answers an error of the proxy's own; the rest of the unit is not run. */
  error(code: string, message: string): void;
  /** A failed statement left the dry-run's transaction aborted: undo to the savepoint that covers it. */
  undoFailed(): Promise<void>;
  /** A rollback on this connection ended other connections' transaction savepoints: set them again. */
  restoreOthers(ended: { connection: number }[]): void;
}

/**
 * A client connection's BEGIN, COMMIT, ROLLBACK and savepoints, never sent as written: its transaction is a
 * savepoint of the dry-run's one transaction (client-transactions.ts), answered with the tags, warnings and errors
 * PostgreSQL gives, and reported with what the program would not otherwise see (a rollback undoing another
 * connection's writes, which in production that connection keeps).
 */
export class TransactionControl {
  /** How many statements were reported when the connection's transaction began. */
  private transactionStart = 0;

  constructor(private readonly connection: ControlledConnection) {}

  /** Answers BEGIN, COMMIT, ROLLBACK and the savepoint commands; false when the command failed. */
  async answer(statement: Statement, kind: string): Promise<boolean> {
    const { connection } = this;
    const { live } = connection;
    const transaction = connection.transaction;
    const savepointName = String(fieldsOf(statement.node).savepoint_name ?? '');
    const noTransaction = (tag: string, code: string, message: string) => {
      connection.send(backend.notice({ severity: 'WARNING', code, message }));
      connection.send(backend.commandComplete(tag));
      live.record(connection.number, statement, 'ok', { note: `${message}: PostgreSQL only warns` });
      return true;
    };
    const report = (note: string, tag: string, ended: { connection: number }[] = []) => {
      const entry = live.record(connection.number, statement, 'ok', { note });
      entry.command = tag;
      if (tag === 'ROLLBACK') this.warnOthersUndone(entry);
      if (ended.length > 0) {
        const others = [...new Set(ended.map((each) => each.connection))].filter((each) => each !== connection.number);
        if (others.length > 0) {
          entry.warnings = [
            `this rollback also undid what client connection ${others.join(', ')} wrote since this connection's savepoint: the dry-run runs every connection in one transaction, while in production each connection is its own`,
          ];
        }
      }
      connection.send(backend.commandComplete(tag));
      return true;
    };
    switch (kind) {
      case 'begin':
        if (transaction.open) return noTransaction('BEGIN', '25001', 'there is already a transaction in progress');
        transaction.begin();
        this.transactionStart = live.reports.length;
        return report(
          "not sent: this connection's transaction is a savepoint of the dry-run's one transaction",
          'BEGIN',
        );
      case 'commit': {
        if (!transaction.open) return noTransaction('COMMIT', '25P01', 'there is no transaction in progress');
        const tag = await transaction.commit();
        return report(
          tag === 'COMMIT'
            ? 'not sent: its savepoint is released; the dry-run rolls everything back at the end'
            : 'the transaction had failed, so COMMIT rolled it back, as PostgreSQL does',
          tag,
        );
      }
      case 'rollback': {
        if (!transaction.open) return noTransaction('ROLLBACK', '25P01', 'there is no transaction in progress');
        const ended = await transaction.rollback();
        connection.restoreOthers(ended);
        return report("not sent: rolled back to this connection's savepoint", 'ROLLBACK', ended);
      }
      case 'savepoint':
      case 'release':
      case 'rollback-to': {
        const verb =
          kind === 'savepoint' ? 'SAVEPOINT' : kind === 'release' ? 'RELEASE SAVEPOINT' : 'ROLLBACK TO SAVEPOINT';
        if (!transaction.open) {
          live.record(connection.number, statement, 'error', {
            error: proxyError('25P01', `${verb} can only be used in transaction blocks`),
          });
          connection.error('25P01', `${verb} can only be used in transaction blocks`);
          return false;
        }
        if (kind === 'savepoint') {
          transaction.savepoint(savepointName);
          return report('renamed for this connection', 'SAVEPOINT');
        }
        const outcome =
          kind === 'release' ? transaction.release(savepointName) : await transaction.rollbackTo(savepointName);
        if (outcome === false) {
          live.record(connection.number, statement, 'error', {
            error: proxyError('3B001', `savepoint "${savepointName}" does not exist`),
          });
          await connection.undoFailed();
          connection.error('3B001', `savepoint "${savepointName}" does not exist`);
          return false;
        }
        if (outcome !== true) connection.restoreOthers(outcome);
        return report(
          'renamed for this connection',
          kind === 'release' ? 'RELEASE' : 'ROLLBACK',
          outcome === true ? [] : outcome,
        );
      }
      default:
        live.record(connection.number, statement, 'skipped', {
          reason: 'two-phase commit (PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED) is never run by a dry-run',
        });
        connection.error('0A000', 'preflight dry-run refused: two-phase commit is never run by a dry-run');
        return false;
    }
  }

  /**
   * Rolling back this connection's transaction undoes everything after its savepoint, also what other connections
   * wrote meanwhile; in production they are separate sessions and keep their writes.
   */
  warnOthersUndone(entry: StatementReport): void {
    const { connection } = this;
    const others = connection.live.reports
      .slice(this.transactionStart, entry.index)
      .filter(
        (report) =>
          report.connection !== connection.number &&
          report.status === 'ok' &&
          report.rowCount &&
          WRITES.has(report.command ?? ''),
      );
    if (others.length === 0) return;
    const which = others.map((report) => `statement ${report.index + 1} on connection ${report.connection}`).join(', ');
    entry.warnings = [
      ...(entry.warnings ?? []),
      `this rollback also undid ${which}: the dry-run runs every connection in one transaction, while in production each connection keeps its own writes`,
    ];
  }
}

/** An error the proxy raises itself (no server position or context), as the report records it. */
function proxyError(code: string, message: string): StatementError {
  return { code, message, detail: null, hint: null, line: 0, column: 0, endLine: 0, endColumn: 0, context: null };
}
