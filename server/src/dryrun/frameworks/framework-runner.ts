/**
 * The child process that runs a migration or seed file through the project's own Knex or Sequelize (resolved from
 * the project's node_modules, never a copy of Preflight's), connected to DATABASE_URL: the transaction proxy of a
 * dry-run, or the embedded template database being built from the earlier migrations. It runs a file the way the
 * project's runner does, in a transaction exactly where the job says (the lint's decision for the file: Knex's
 * `config = { transaction: false }`, the config's `transaction`, the framework's default), Knex seeds `seed(knex)`
 * without one; never records it as run (no knex_migrations / SequelizeMeta row); and notes which line of the file
 * sent each query. Usage: node --require typescript-register.js framework-runner.js JOB.json
 */
import { AsyncLocalStorage } from 'async_hooks';
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import { FrameworkJob, JobFile, JobResult } from './job';
import { connectionOfBackendPid } from '../proxy/backend-pid';
import { QUERIES_NOTED_BY_RUNNER, SOURCE_TEXT_LIMIT, type SourceNote } from '../proxy/statement-source-notes';

interface Runner {
  run(file: JobFile, exported: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function main(): Promise<void> {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as FrameworkJob;
  const frameworkRequire = createRequire(path.join(job.packageDir, 'package.json'));
  const framework = frameworkRequire(job.packageDir) as Loose;
  // The driver the framework itself loads, so that its queries are the ones followed.
  // Set by a dry-run through the transaction proxy (program.ts); not when replaying into the embedded template.
  const notes = process.env.PREFLIGHT_STATEMENT_SOURCES;
  if (notes) {
    followQueries(frameworkRequire('pg') as Loose, job, notes);
    if (job.framework === 'knex') followKnexBuilders(frameworkRequire, job.packageDir);
  }
  const runner = job.framework === 'knex' ? knexRunner(framework) : sequelizeRunner(framework);
  const results: JobResult[] = [];
  try {
    for (const file of job.files) {
      try {
        await runner.run(file, loadMigration(file.path));
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
 * A CommonJS module (or TypeScript, through the preload), as knex-migrator and sequelize-cli load one; an ES module
 * export `default { up }` counts as its exports. ES modules proper (`.mjs`, `"type": "module"`) are not loaded yet.
 */
function loadMigration(file: string): Loose {
  const loaded = createRequire(file)(file) as Loose;
  return typeof loaded.up === 'function' || typeof loaded.seed === 'function' ? loaded : (loaded.default ?? loaded);
}

function exportedFunction(exported: Loose, name: string, file: string): (...args: unknown[]) => unknown {
  const fn = exported[name];
  if (typeof fn !== 'function') throw new Error(`${path.basename(file)} exports no ${name} function`);
  return fn as (...args: unknown[]) => unknown;
}

function knexRunner(createKnex: Loose): Runner {
  const knex = (createKnex.knex ?? createKnex)({ client: 'pg', connection: process.env.DATABASE_URL }) as Loose;
  return {
    async run(file, exported) {
      // A seed file exports `seed` and runs without a transaction (knex seed:run).
      if (typeof exported.up !== 'function' && typeof exported.seed === 'function')
        return void (await exported.seed(knex));
      const up = exportedFunction(exported, 'up', file.path);
      // knex-migrator's own switch, the file's `config.transaction = false`, is part of the job's decision.
      if (file.transaction === 'per-migration') await knex.transaction((trx: unknown) => up(trx));
      else await up(knex);
    },
    close: () => knex.destroy(),
  };
}

function sequelizeRunner(sequelizeModule: Loose): Runner {
  const Sequelize = sequelizeModule.Sequelize ?? sequelizeModule;
  Sequelize.useCLS(transactionNamespace());
  const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: 'postgres', logging: false }) as Loose;
  const queryInterface = sequelize.getQueryInterface();
  return {
    async run(file, exported) {
      const up = exportedFunction(exported, 'up', file.path);
      // sequelize-cli opens no transaction (sequelize/cli#1364); an umzug wrapper opens one per migration, and with
      // CLS every query of `up` joins it, queryInterface calls too (they take no transaction unless passed one). A
      // transaction `up` opens itself is a separate one on another connection, as under such a wrapper.
      if (file.transaction === 'per-migration') await sequelize.transaction(() => up(queryInterface, Sequelize));
      else await up(queryInterface, Sequelize);
    },
    close: () => sequelize.close(),
  };
}

/**
 * What `Sequelize.useCLS` takes (a cls-hooked namespace: `run`, `get`, `set`, `bind`), on Node's AsyncLocalStorage,
 * so that the project needs no cls-hooked. Sequelize keeps the transaction a callback runs in under `transaction`.
 */
function transactionNamespace(): Loose {
  const storage = new AsyncLocalStorage<Map<string, unknown>>();
  return {
    run: (fn: (context: Map<string, unknown>) => unknown) => {
      const context = new Map(storage.getStore());
      return storage.run(context, () => fn(context));
    },
    get: (key: string) => storage.getStore()?.get(key),
    set: (key: string, value: unknown) => {
      storage.getStore()?.set(key, value);
      return value;
    },
    bind: <Fn extends (...args: unknown[]) => unknown>(fn: Fn) => AsyncLocalStorage.bind(fn),
  };
}

/**
 * Notes each query the driver is asked to send on a proxy connection, with the line of the file under dry-run that
 * asked: the innermost frame of that file in the (async) stack, which V8 keeps across the framework's awaits. The
 * notes are the program preload's (statement-source-capture.ts), read by the same statement-sources.ts; the preload
 * stands down, since its innermost frame of non-library code would be this runner's own `await up()`.
 */
function followQueries(pg: Loose, job: FrameworkJob, notesFile: string): void {
  (globalThis as Record<symbol, unknown>)[QUERIES_NOTED_BY_RUNNER] = true;
  const given = job.files[job.files.length - 1].path;
  // Stack frames name files by their real path (node_modules is often a symlink).
  const file = fs.realpathSync(job.files[job.files.length - 1].path);
  const packageDir = fs.realpathSync(job.packageDir);
  Error.stackTraceLimit = 64;
  const send = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: Loose, config: unknown, ...rest: unknown[]) {
    const text = typeof config === 'string' ? config : (config as Loose | undefined)?.text;
    const pid = Number(this.processID);
    if (typeof text === 'string' && connectionOfBackendPid(pid) > 0) {
      const stack = `${new Error().stack ?? ''}\n${builderMadeAt.getStore() ?? ''}`;
      const caller = callerIn(file, stack, packageDir);
      // A query no line of the file sent (Knex's `select version()`) gets no note: matched by its text, if at all.
      if (caller) {
        const note: SourceNote = { pid, text: text.slice(0, SOURCE_TEXT_LIMIT), file: given, ...caller };
        fs.appendFileSync(notesFile, JSON.stringify(note) + '\n');
      }
    }
    return send.call(this, config, ...rest);
  };
}

/** The stack where the Knex builder being run was made, for the queries it sends (see followKnexBuilders). */
const builderMadeAt = new AsyncLocalStorage<string>();

/**
 * `exports.up = (knex) => knex.schema.createTable(...)` returns a builder that Knex runs after `up` has returned, so
 * no frame of the file is in the stack of its queries. The stack where the builder was made is: it is kept on the
 * builder, and its `then` (which runs it) carries it, through the async context, to the driver's `query`. Knex's
 * internal module paths are those of Knex 1-3; where they differ, such statements keep line 0.
 */
function followKnexBuilders(knexRequire: NodeJS.Require, packageDir: string): void {
  try {
    const internal = (name: string) => knexRequire(path.join(packageDir, 'lib', name)) as Loose;
    const client = internal('client').prototype as Loose;
    for (const method of ['queryBuilder', 'schemaBuilder', 'raw']) {
      const make = client[method] as (...args: unknown[]) => Loose;
      client[method] = function (this: unknown, ...args: unknown[]) {
        const builder = make.apply(this, args);
        builder.preflightMadeAt = new Error().stack;
        return builder;
      };
    }
    for (const name of ['query/querybuilder', 'schema/builder', 'raw']) {
      const target = internal(name).prototype as Loose;
      const then = target.then as (...args: unknown[]) => unknown;
      target.then = function (this: Loose, ...args: unknown[]) {
        const madeAt = this.preflightMadeAt as string | undefined;
        return madeAt ? builderMadeAt.run(madeAt, () => then.apply(this, args)) : then.apply(this, args);
      };
    }
  } catch {
    // Another Knex layout: the statements its returned builders send keep line 0.
  }
}

/** `    at async QueryInterface.bulkInsert (/p/node_modules/sequelize/lib/...js:1:2)` → name, file, line, column. */
const FRAME = /^\s*at (?:async )?(?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

function callerIn(
  file: string,
  stack: string,
  packageDir: string,
): Pick<SourceNote, 'line' | 'column' | 'callee'> | undefined {
  const frames = stack
    .split('\n')
    .slice(1)
    .map((line) => FRAME.exec(line))
    .filter((match): match is RegExpExecArray => match !== null);
  const at = frames.findIndex((frame) => frame[2] === file);
  if (at < 0) return undefined;
  const called = frames[at - 1];
  const callee = called && called[2].startsWith(packageDir + path.sep) ? called[1] : 'query';
  return { line: Number(frames[at][3]), column: Number(frames[at][4]), callee };
}

main().catch((error: Error) => {
  console.error(error?.stack ?? String(error));
  process.exitCode = 1;
});
