/**
 * The child process that runs a migration or seed file through the project's own framework (resolved from
 * the project's node_modules, never a copy of Preflight's), connected to DATABASE_URL: the transaction proxy of a
 * dry-run, or the embedded template database being built from the earlier migrations. It runs a file the way the
 * project's runner does, in a transaction exactly where the job says (the lint's decision for the file: Knex's
 * `config = { transaction: false }`, TypeORM's `transaction = false`, MikroORM's `isTransactional()`, the config's
 * `transaction`, the framework's default), Knex seeds `seed(knex)` without one; never records it as run (no
 * knex_migrations / SequelizeMeta / migrations / mikro_orm_migrations row); and notes which line of the file sent
 * each query. How each framework runs a file is its module in runners/.
 * Usage: node --require typescript-register.js framework-runner.js JOB.json
 */
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import { pathToFileURL } from 'url';
import type { FrameworkJob, JobResult, RunnableFramework } from './job';
import { connectionOfBackendPid } from '../proxy/backend-pid';
import { type LibraryExport, patchExportAsLoaded } from '../proxy/loaded-modules';
import { QUERIES_NOTED_BY_RUNNER, SOURCE_TEXT_LIMIT, type SourceNote } from '../proxy/statement-source-notes';
import { knexRunner } from './runners/knex';
import { mikroOrmRunner } from './runners/mikro-orm';
import { deferredQueryMadeAt, type Loose, type RunnerFactory } from './runners/runner';
import { sequelizeRunner } from './runners/sequelize';
import { typeormRunner } from './runners/typeorm';
import { nodePgMigrateRunner } from './runners/node-pg-migrate';
import { dbMigrateRunner } from './runners/db-migrate';
import { kyselyRunner } from './runners/kysely';

/** How each framework runs a file: one module per framework in runners/. */
const RUNNERS: Record<RunnableFramework, RunnerFactory> = {
  knex: knexRunner,
  sequelize: sequelizeRunner,
  typeorm: typeormRunner,
  'mikro-orm': mikroOrmRunner,
  'node-pg-migrate': nodePgMigrateRunner,
  'db-migrate': dbMigrateRunner,
  kysely: kyselyRunner,
};

async function main(): Promise<void> {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as FrameworkJob;
  // Set by a dry-run through the transaction proxy (program.ts); not when replaying into the embedded template.
  // Before the framework loads: its driver is followed as it loads.
  const notes = process.env.PREFLIGHT_STATEMENT_SOURCES;
  if (notes) followQueries(job, notes);
  const frameworkRequire = createRequire(path.join(job.packageDir, 'package.json'));
  const framework = frameworkRequire(job.packageDir) as Loose;
  const driverRequire = createRequire(path.join(job.driverDir, 'package.json'));
  const runner = RUNNERS[job.framework]({
    framework,
    frameworkRequire,
    packageDir: job.packageDir,
    driverRequire,
    databaseUrl: String(process.env.DATABASE_URL),
    followingSources: notes !== undefined,
  });
  const results: JobResult[] = [];
  try {
    for (const file of job.files) {
      try {
        // As the frameworks' own CLIs load a migration: a CommonJS module, TypeScript through the preload, and an ES
        // module (`.mjs`, `"type": "module"`) too, which Node 20.19 and 22.12 on load with `require` (one with a
        // top-level await fails, saying so).
        await runner.run(file, createRequire(file.path)(file.path) as Loose);
        results.push({ path: file.path, ok: true });
      } catch (error) {
        const failure = error as Loose;
        // Sequelize wraps the driver's error (`original`); Knex passes it on.
        const code = failure?.original?.code ?? failure?.parent?.code ?? failure?.code;
        console.error(`${path.basename(file.path)}: ${failure?.message ?? String(error)}`);
        results.push({ path: file.path, ok: false, error: { message: String(failure?.message ?? error), code } });
      }
    }
  } finally {
    await runner.close().catch(() => undefined);
    fs.writeFileSync(job.resultsFile, JSON.stringify(results));
  }
  process.exitCode = results.every((result) => result.ok) ? 0 : 1;
}

/**
 * pg's Client, in every copy of pg the framework loads: not always the copy its own package resolves (MikroORM's
 * @mikro-orm/postgresql has a pg of its own for its type parsers, while the knex inside it loads the pg that
 * resolves from knex, which sends the queries). pg's ES module build re-exports this CommonJS one.
 */
const PG_CLIENT: LibraryExport = {
  commonJs: /[\\/]pg[\\/]lib[\\/]index\.js$/,
  esModule: /[\\/]pg[\\/]esm[\\/]index\.mjs$/,
  name: 'Client',
};

/**
 * Notes each query the driver is asked to send on a proxy connection, with the line of the file under dry-run that
 * asked: the innermost frame of that file in the (async) stack, which V8 keeps across the framework's awaits. The
 * notes are the program preload's (statement-source-capture.ts), read by the same statement-sources.ts; the preload
 * stands down, since its innermost frame of non-library code would be this runner's own `await up()`.
 */
function followQueries(job: FrameworkJob, notesFile: string): void {
  (globalThis as Record<symbol, unknown>)[QUERIES_NOTED_BY_RUNNER] = true;
  patchExportAsLoaded(PG_CLIENT, (client) => {
    if (typeof client === 'function') noteQueries(client.prototype as Loose, job, notesFile);
    return client;
  });
}

function noteQueries(client: Loose, job: FrameworkJob, notesFile: string): void {
  const given = job.files[job.files.length - 1].path;
  // Stack frames name files by their real path (node_modules is often a symlink).
  const file = fs.realpathSync(job.files[job.files.length - 1].path);
  // An ES module's frames name it by its file: URL.
  const fileNames = [file, pathToFileURL(file).href];
  const packageDir = fs.realpathSync(job.packageDir);
  Error.stackTraceLimit = 64;
  const send = client.query as (...args: unknown[]) => unknown;
  client.query = function (this: Loose, config: unknown, ...rest: unknown[]) {
    const text = typeof config === 'string' ? config : (config as Loose | undefined)?.text;
    const pid = Number(this.processID);
    if (typeof text === 'string' && connectionOfBackendPid(pid) > 0) {
      const stack = `${new Error().stack ?? ''}\n${deferredQueryMadeAt.getStore() ?? ''}`;
      const caller = callerIn(fileNames, stack, packageDir);
      // A query no line of the file sent (Knex's `select version()`) gets no note: matched by its text, if at all.
      if (caller) {
        const note: SourceNote = { pid, text: text.slice(0, SOURCE_TEXT_LIMIT), file: given, ...caller };
        fs.appendFileSync(notesFile, JSON.stringify(note) + '\n');
      }
    }
    return send.call(this, config, ...rest);
  };
}

/** `    at async QueryInterface.bulkInsert (/p/node_modules/sequelize/lib/...js:1:2)` → name, file, line, column. */
const FRAME = /^\s*at (?:async )?(?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

/** The innermost frame of the file (by any of its names) in the stack, and the framework call it made there. */
function callerIn(
  fileNames: readonly string[],
  stack: string,
  packageDir: string,
): Pick<SourceNote, 'line' | 'column' | 'callee'> | undefined {
  const frames = stack
    .split('\n')
    .slice(1)
    .map((line) => FRAME.exec(line))
    .filter((match): match is RegExpExecArray => match !== null);
  const at = frames.findIndex((frame) => fileNames.includes(frame[2]));
  if (at < 0) return undefined;
  const called = frames[at - 1];
  const callee = called && called[2].startsWith(packageDir + path.sep) ? called[1] : 'query';
  return { line: Number(frames[at][3]), column: Number(frames[at][4]), callee };
}

main().catch((error: Error) => {
  console.error(error?.stack ?? String(error));
  process.exitCode = 1;
});
