import type { StatementReport } from '../../../../shared/protocol';
import { fieldsOf, nodeType, qualifiedName, type PgNode } from '../../parse/ast';
import { warn } from './live-statements';
import { wireStatements } from './wire-statements';

/**
 * Settings a driver or ORM sets on each connection it opens (Sequelize: client_min_messages), or that change
 * nothing a later statement computes: one connection's value reaching another is no hazard.
 */
const HARMLESS_SETTINGS = new Set(['application_name', 'client_min_messages', 'client_encoding', 'extra_float_digits']);

/** Command tags of statements that write a table's rows. */
const ROW_WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/**
 * Hazards between a program's client connections that the dry-run hides because every connection shares its one
 * session, found after the run from the statements that ran (their tags say which ones to parse again, so the
 * run pays nothing per statement):
 *
 * - a session-level SET on one connection that another connection's statements then run under: in production
 *   each connection is its own session, and a pool hands out connections that never ran that SET;
 * - a TRUNCATE of a table another connection of the program writes: in production the TRUNCATE's ACCESS
 *   EXCLUSIVE lock waits for the other connection's transaction (or its writes wait for the TRUNCATE's), and which
 *   one runs second decides what is left, while the dry-run ran both in one transaction, one after the other.
 *
 * The advisory lock taken on one connection and unlocked on another is reported as it runs (live-statements.ts).
 */
export function warnSessionHazards(reports: StatementReport[]): void {
  warnSettingsAcrossConnections(reports);
  warnTruncateAcrossConnections(reports);
}

function warnSettingsAcrossConnections(reports: StatementReport[]): void {
  /** Setting → the connection whose SET is in effect and the statement that set it. */
  const inEffect = new Map<string, { connection: number; index: number }>();
  /** Settings each connection set itself: its statements rely on their own value. */
  const ownSettings = new Map<number, Set<string>>();
  const warned = new Set<string>();
  for (const report of reports) {
    if (report.connection === undefined || report.status !== 'ok') continue;
    const own = ownSettings.get(report.connection) ?? new Set<string>();
    ownSettings.set(report.connection, own);
    if (report.command === 'SET' || report.command === 'RESET') {
      const set = fieldsOf(parsed(report));
      if (set.is_local) continue;
      if (set.kind === 'VAR_RESET_ALL') {
        for (const [name, owner] of inEffect) if (owner.connection === report.connection) inEffect.delete(name);
        continue;
      }
      const name = String(set.name ?? '');
      if (!name || HARMLESS_SETTINGS.has(name)) continue;
      own.add(name);
      if (set.kind === 'VAR_RESET' || set.kind === 'VAR_SET_DEFAULT') inEffect.delete(name);
      else inEffect.set(name, { connection: report.connection, index: report.index });
      continue;
    }
    for (const [name, owner] of inEffect) {
      const key = `${name}\0${report.connection}`;
      if (owner.connection === report.connection || own.has(name) || warned.has(key)) continue;
      warned.add(key);
      warn(
        report,
        `runs under SET ${name} from client connection ${owner.connection} (statement ${owner.index + 1}) only because the dry-run serves every connection in one session: in production client connection ${report.connection} is a session of its own, where ${name} keeps its default (a pool hands out connections that never ran that SET); set it on every connection (the pool's connect hook, or the connection string's options)`,
      );
    }
  }
}

function warnTruncateAcrossConnections(reports: StatementReport[]): void {
  const truncates = reports.filter((report) => report.status === 'ok' && report.command === 'TRUNCATE');
  if (truncates.length === 0) return;
  const writes = reports
    .filter((report) => report.status === 'ok' && ROW_WRITES.has(report.command ?? '') && report.rowCount)
    .map((report) => ({ report, table: writtenTable(parsed(report)) }));
  for (const truncate of truncates) {
    const tables = ((fieldsOf(parsed(truncate)).relations ?? []) as PgNode[]).map((each) =>
      qualifiedName(fieldsOf(each)),
    );
    for (const table of tables) {
      const others = writes.filter((write) => write.table === table && write.report.connection !== truncate.connection);
      if (others.length === 0) continue;
      const connections = [...new Set(others.map((write) => write.report.connection))].join(', ');
      const statements = others.map((write) => write.report.index + 1).join(', ');
      warn(
        truncate,
        `TRUNCATE ${table} on client connection ${truncate.connection} while client connection ${connections} of the same program writes it (statement ${statements}): in production the TRUNCATE's ACCESS EXCLUSIVE lock waits for that connection's transaction, or its writes wait for the TRUNCATE's, and whichever runs second decides what is left (a deadlock if the program awaits one from the other); the dry-run ran them one after the other in one transaction`,
      );
    }
  }
}

function parsed(report: StatementReport): PgNode | undefined {
  return wireStatements(report.sql)[0]?.node;
}

function writtenTable(node: PgNode | undefined): string | undefined {
  const type = nodeType(node);
  if (type !== 'InsertStmt' && type !== 'UpdateStmt' && type !== 'DeleteStmt' && type !== 'MergeStmt') return undefined;
  return qualifiedName(fieldsOf(node).relation);
}
