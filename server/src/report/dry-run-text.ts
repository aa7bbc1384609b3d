import * as path from 'path';
import {
  DryRunReport,
  LockTaken,
  SeqScan,
  StatementReport,
  formatDuration,
  formatRows,
} from '../../../shared/protocol';

/**
 * The wording shared by the dry-run's pretty and markdown reports (and a lint report's dry-run section),
 * so that a terminal, a PR comment and an editor describe one run the same way.
 */

export interface DryRunRenderOptions {
  /** The migration's path as the reader knows it (relative to the repository or working directory). */
  displayPath?: string;
}

/**
 * Where a program's statement came from, for the header a report groups statements under:
 * `fix-over-cap.ts:26 this.client.query`. The file is shown relative to the report's own file.
 */
export function sourceLabel(
  report: DryRunReport,
  statement: StatementReport,
  displayPath?: string,
): string | undefined {
  const { source } = statement;
  if (!source) return undefined;
  const file =
    source.file === report.file
      ? (displayPath ?? path.basename(source.file))
      : path.isAbsolute(report.file)
        ? path.relative(path.dirname(report.file), source.file)
        : path.basename(source.file);
  return `${file}:${source.line}${source.call ? ` ${source.call}` : ''}`;
}

/** Consecutive statements sent from one line by one call, in report order: what reports group under a header. */
export function sourceGroups(
  report: DryRunReport,
  displayPath?: string,
): { label: string | undefined; statements: StatementReport[] }[] {
  const groups: { label: string | undefined; statements: StatementReport[] }[] = [];
  for (const statement of report.statements) {
    const label = sourceLabel(report, statement, displayPath);
    const last = groups[groups.length - 1];
    if (last && last.label === label) last.statements.push(statement);
    else groups.push({ label, statements: [statement] });
  }
  return groups;
}

/** `▸ fix-over-cap.ts:26 this.client.query (7 statements)`. */
export function groupHeader(group: { label: string | undefined; statements: StatementReport[] }): string {
  const count = group.statements.length > 1 ? ` (${group.statements.length} statements)` : '';
  return `\u25b8 ${group.label}${count}`;
}

export function lineRange(statement: Pick<StatementReport, 'line' | 'endLine' | 'connection'>): string {
  // A program's statement has no source line yet: the client connection it came on says where it is from.
  if (statement.connection !== undefined && statement.line === 0) return `conn ${statement.connection}`;
  return statement.endLine > statement.line ? `${statement.line}-${statement.endLine}` : `${statement.line}`;
}

/** The statement's first line, shortened: what a reader recognises it by. */
export function statementHeadline(statement: StatementReport, width = 72): string {
  const text = statement.sql.replace(/\s+/g, ' ').trim();
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** `AccessExclusiveLock on public.plans: blocks reads and writes`. */
export function describeLock(lock: LockTaken): string {
  return `${lock.mode} on ${lock.relation}: blocks ${lock.blocksWork}`;
}

/** `Seq Scan on public.plans (~120,000 rows): no index can serve this filter`. */
export function describeSeqScan(scan: SeqScan): string {
  const size = `~${formatRows(scan.estimatedRows)}`;
  const why =
    scan.indexCouldServe === false
      ? ': no index can serve this filter'
      : scan.flagged
        ? ': a big table read in full'
        : '';
  return `Seq Scan on ${scan.relation} (${size})${why}`;
}

/** Sequential scans worth a reader's attention: on a big table, or with no index able to serve them. */
export function noteworthyScans(statement: StatementReport): SeqScan[] {
  return (statement.plan?.seqScans ?? []).filter((scan) => scan.flagged || scan.indexCouldServe === false);
}

/** The first line of a report: where it ran and how it ended. */
export function outcomeLine(report: DryRunReport): string {
  if (report.program && report.outcome !== 'cancelled' && !report.interrupted)
    return programOutcome(report, report.program);
  const count = `${report.statements.length} ${report.statements.length === 1 ? 'statement' : 'statements'}`;
  if (report.outcome === 'cancelled') return 'cancelled: rolled back, nothing committed';
  if (report.interrupted?.reason === 'connection-lost' || report.interrupted?.reason === 'timeout')
    return report.interrupted.message;
  const failed = report.statements.find((statement) => statement.status === 'error');
  if (failed?.error) {
    const where = failed.error.atCommit ? `at the COMMIT after line ${failed.line}` : `at line ${failed.error.line}`;
    return `failed ${where} (${failed.error.code}): rolled back, nothing committed`;
  }
  const skipped = report.statements.filter((statement) => statement.status === 'skipped').length;
  return `${count} ran${skipped ? ` (${skipped} skipped)` : ''}: rolled back, nothing committed`;
}

/** `embedded PostgreSQL 18.4, after replaying 3 earlier migrations` or `PostgreSQL 16.2 at app@localhost:5432/app`. */
export function databaseLine(report: DryRunReport): string {
  const { database } = report;
  if (database.kind === 'embedded') {
    const replayed = database.replayed.length + database.notReplayed.length;
    const after =
      replayed > 0 ? `, after replaying ${replayed} earlier ${replayed === 1 ? 'migration' : 'migrations'}` : '';
    return `embedded PostgreSQL ${database.serverVersion}${after}`;
  }
  return `PostgreSQL ${database.serverVersion} at ${database.user}@${database.host}:${database.port}/${database.database} (${database.source})`;
}

/** What each kind of server access lets a migration do on the database server's machine. */
const SERVER_ABILITIES: Record<string, string[]> = {
  superuser: ['run programs', 'read files', 'write files'],
  pg_execute_server_program: ['run programs'],
  pg_read_server_files: ['read files'],
  pg_write_server_files: ['write files'],
};

/**
 * `app is a superuser: a migration can run programs, read files and write files on the database server; ...`
 * when the role the dry-run ran as can leave the database; undefined when it cannot.
 */
export function serverAccessWarning(report: DryRunReport): string | undefined {
  const access = report.database.serverAccess ?? [];
  if (access.length === 0) return undefined;
  const who = access.includes('superuser')
    ? `${report.database.user} is a superuser`
    : `${report.database.user} holds ${joinWords(access)}`;
  const abilities = [...new Set(access.flatMap((kind) => SERVER_ABILITIES[kind] ?? []))];
  return `${who}: a migration can ${joinWords(abilities)} on the database server; dry-run with a restricted role (docs/security.md)`;
}

function joinWords(words: string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}` : words.join('');
}

export function statusLabel(statement: StatementReport): string {
  switch (statement.status) {
    case 'ok':
      return 'ok';
    case 'error':
      return 'failed';
    case 'skipped':
      return 'skipped';
    case 'not-run':
      return 'not run';
  }
}

/** `2 rows · 3.1 ms`, the measurable part of a statement's outcome. */
export function statementFigures(statement: StatementReport): string {
  const parts: string[] = [];
  if (statement.rowCount !== null && statement.status === 'ok') parts.push(formatRows(statement.rowCount));
  if (statement.durationMs !== null) parts.push(formatDuration(statement.durationMs));
  return parts.join(' · ');
}

/** How a program's dry-run ended: its exit, the statements it sent, the first that failed. */
function programOutcome(report: DryRunReport, program: NonNullable<DryRunReport['program']>): string {
  if (program.connections === 0)
    return `the program never connected to the database (${programExit(program)}): nothing ran, nothing committed`;
  const count = `${report.statements.length} ${report.statements.length === 1 ? 'statement' : 'statements'} on ${program.connections} ${program.connections === 1 ? 'connection' : 'connections'}`;
  const failed = report.statements.find((statement) => statement.status === 'error');
  const failure = failed?.error
    ? `; statement ${failed.index + 1} (connection ${failed.connection}) failed with ${failed.error.code}`
    : '';
  return `${count}, ${programExit(program)}${failure}: rolled back, nothing committed`;
}

/** `exited with 0`, `killed by SIGKILL`. */
export function programExit(program: NonNullable<DryRunReport['program']>): string {
  if (program.timedOut) return "killed when the dry-run's time limit passed";
  return program.exitCode !== null
    ? `the program exited with ${program.exitCode}`
    : `the program was killed by ${program.signal ?? 'a signal'}`;
}
