import * as path from 'path';
import { parseArgs } from 'util';
import { ConfigCache } from '../config';
import { DryRunError, DryRunReport, dryRunProgram } from '../dryrun';
import { dryRunFile } from '../dryrun/run-file';
import { DEFAULT_LOCK_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT, DEFAULT_TIMEOUT } from '../dryrun/defaults';
import { renderDryRunJson } from '../report/dry-run-json';
import { renderDryRunMarkdown } from '../report/dry-run-markdown';
import { renderDryRunPretty } from '../report/dry-run-pretty';
import type { CommandIO } from './io';
import { EXIT_CANCELLED, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, choice } from './usage';

const FORMATS = {
  pretty: (report: DryRunReport, displayPath: string, color: boolean) =>
    renderDryRunPretty(report, { displayPath, color }),
  json: (report: DryRunReport, displayPath: string) => renderDryRunJson(report, { displayPath }),
  markdown: (report: DryRunReport, displayPath: string) => renderDryRunMarkdown(report, { displayPath }),
};

export const DRY_RUN_USAGE = `Usage: preflight dry-run FILE [options]
       preflight dry-run SCRIPT.js|ts [options]
       preflight dry-run --exec "<command>" [options]

Runs a migration (.sql, or the SQL of a TS/JS migration) against a real PostgreSQL in one transaction
that is always rolled back, and reports what each statement did: errors where they happen, row counts,
locks and what they block, table rewrites, sequential scans, and the side effects that survive ROLLBACK.

A JS/TS script that is not a migration (a seed or remediation script using pg, postgres-js, ...) and any
command given with --exec RUN: their every connection goes to a local proxy that serves it inside the
dry-run's one transaction, rolled back at the end (DATABASE_URL and PGHOST, PGPORT, PGUSER, PGPASSWORD,
PGDATABASE point at it). Effects outside PostgreSQL (files, HTTP, queues) are not undone. The program is
killed when --timeout passes.

A Knex, Sequelize, TypeORM, MikroORM, node-pg-migrate, db-migrate or Kysely migration, or a Knex or
Sequelize seeder, runs through the project's own framework (resolved from its node_modules), against the
same proxy, after the earlier ones of its folder ran the same way on the embedded database; where the
framework is not installed, its SQL is sent as for any migration, and the report says so.

Where it runs: --database-url; else DATABASE_URL; else the PG* variables (with ~/.pgpass and the pg service
file); else the config's defaultConnection; else an embedded PostgreSQL on which the migrations before FILE
in its directory are replayed first.

Options:
  --database-url <url|name>     a postgres:// URL, the name of a connection in .preflightrc.json, or "env"
  --format <name>               ${Object.keys(FORMATS).join(' | ')} (default: pretty)
  --lock-timeout <duration>     give up waiting for a lock after this long (default: ${DEFAULT_LOCK_TIMEOUT})
  --statement-timeout <dur>     cancel a statement after this long (default: ${DEFAULT_STATEMENT_TIMEOUT})
  --timeout <dur>               stop the whole run after this long, 0 for never (default: ${DEFAULT_TIMEOUT})
  --allow-remote                allow a database that is not on this machine (it holds locks there while it runs)
  --allow-side-effects          run statements whose effects ROLLBACK cannot undo (COPY ... PROGRAM, dblink, ...),
                                and on a connected database those it cannot decide before they run (EXECUTE of a built query)
  --no-substitutes              do not run CREATE INDEX CONCURRENTLY & co. without CONCURRENTLY to show their locks
  --exec <command>              run this command (through the shell) against the transaction proxy
  --static                      for a JS/TS script, migration or seeder: send the SQL read from it instead of running it
  --config <file>               use this config file instead of searching for .preflightrc.json

Exit codes: 0 every statement ran, 1 a statement failed, 2 usage or connection error, 130 cancelled.
`;

export async function dryRunCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'database-url': { type: 'string' },
      format: { type: 'string' },
      'lock-timeout': { type: 'string' },
      'statement-timeout': { type: 'string' },
      timeout: { type: 'string' },
      'allow-remote': { type: 'boolean' },
      'allow-side-effects': { type: 'boolean' },
      'no-substitutes': { type: 'boolean' },
      config: { type: 'string' },
      exec: { type: 'string' },
      static: { type: 'boolean' },
    },
  });
  const format = choice('format', values.format, Object.keys(FORMATS) as (keyof typeof FORMATS)[], 'pretty');
  if (values.exec !== undefined && positionals.length > 0)
    throw new UsageError('--exec runs a command: name no file with it');
  if (values.exec === undefined && positionals.length !== 1)
    throw new UsageError('name one migration file to dry-run, or a command with --exec');
  if (values.exec !== undefined && values.exec.trim() === '') throw new UsageError('--exec needs a command');
  const displayPath = values.exec ?? positionals[0];
  const file = values.exec !== undefined ? path.join(process.cwd(), 'preflight-exec') : path.resolve(displayPath);
  const config = new ConfigCache().configFor(file, values.config);

  const controller = new AbortController();
  const onInterrupt = () => {
    // A second Ctrl-C leaves at once; the server rolls back when the connection drops.
    if (controller.signal.aborted) process.exit(EXIT_CANCELLED);
    io.stderr('\npreflight dry-run: cancelling; the transaction is rolled back\n');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  const progress = new Spinner(io, format === 'pretty' && io.stderrIsTTY);
  let report: DryRunReport;
  try {
    const common = {
      databaseUrl: values['database-url'],
      allowRemote: values['allow-remote'],
      allowSideEffects: values['allow-side-effects'],
      lockTimeout: values['lock-timeout'],
      statementTimeout: values['statement-timeout'],
      timeout: values.timeout,
      config,
      signal: controller.signal,
      onProgress: (event: { message: string }) => progress.show(event.message),
    };
    report =
      values.exec !== undefined
        ? await dryRunProgram({ ...common, program: { exec: values.exec }, cwd: process.cwd() })
        : await dryRunFile({
            ...common,
            file,
            cwd: process.cwd(),
            static: values.static,
            nonConcurrentForms: !values['no-substitutes'],
          });
  } catch (error) {
    progress.clear();
    if (error instanceof DryRunError) {
      io.stderr(`preflight dry-run: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    progress.clear();
  }
  io.stdout(FORMATS[format](report, displayPath, io.stdoutIsTTY && !process.env.NO_COLOR));
  if (report.outcome === 'cancelled') return EXIT_CANCELLED;
  if (report.interrupted?.reason === 'connection-lost') {
    io.stderr(`preflight dry-run: ${report.interrupted.message}\n`);
    return EXIT_USAGE;
  }
  return report.outcome === 'ok' ? EXIT_OK : EXIT_FINDINGS;
}

/** `⠋ line 12: UPDATE plans ...` on a terminal while the dry-run works, turning while a statement runs. */
class Spinner {
  private frame = 0;
  private message = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: CommandIO,
    private readonly enabled: boolean,
  ) {}

  show(message: string): void {
    if (!this.enabled) return;
    this.message = message;
    this.draw();
    this.timer ??= setInterval(() => this.draw(), 100).unref();
  }

  private draw(): void {
    const frames = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
    const width = Math.max(20, (process.stderr.columns ?? 80) - 4);
    const text = this.message.length > width ? `${this.message.slice(0, width - 1)}…` : this.message;
    this.io.stderr(`\r\x1b[K${frames[this.frame++ % frames.length]} ${text}`);
  }

  clear(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.io.stderr('\r\x1b[K');
  }
}
