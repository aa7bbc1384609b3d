import * as path from 'path';
import { TableTouch, TransactionAction, classifyStatement } from './classify';
import type { RunCondition } from './conditions';
import type { Dialect } from './dialect';
import { FileFragment, GeneratedFragment, SqlFragment } from './fragment';
import { HostCall, HostExtraction } from './host-types';
import { classifyByKeywords } from './mysql/classify';
import { parseMySqlFragment } from './mysql/parser';
import { executedStatements, routineBody } from './plpgsql';
import { ParsedFragment, Statement, parseFragment } from './sql';
import {
  DirectoryEvidence,
  MigrationRunner,
  MigrationUnit,
  RunnerId,
  SectionWrapping,
  directoryEvidence,
  recogniseRunner,
  runnerById,
} from './runners';
import { LineIndex } from './text';
import { TransactionBlock, TransactionMode, buildTransactions } from './transactions';
import type { DirectiveComment, Operation, SectionName } from './migration-parts';

export type { DirectiveComment, Operation, SectionName } from './migration-parts';

export type HostLanguage = 'sql' | 'typescript' | 'javascript';

export interface MigrationFile {
  path: string;
  text: string;
  language: HostLanguage;
  /** The database the migration runs on (from its migration directory's config; PostgreSQL by default). */
  dialect: Dialect;
  lines: LineIndex;
  /** Every SQL statement, from the file itself or embedded in TS/JS calls, in file order. */
  statements: Statement[];
  operations: Operation[];
  transactions: TransactionBlock[];
  comments: DirectiveComment[];
  /** Present for TS/JS files. */
  host?: HostExtraction;
  /** For .sql files: the runner that runs it (configured, or recognised by its annotations) and why. */
  runner?: RunnerChoice;
  /** For .sql files of a runner that keeps Up and Down in one file: its sections, in file order. */
  units: MigrationUnit[];
  /** For .sql files: how the runner sends an operation's section (a transaction, one query, or statement by statement). */
  wrappingOf?: (operation: Operation) => SectionWrapping;
}

/** The directory's `transaction` setting and the `preflight-transaction` directive, as a runner's wrapping. */
const CONFIGURED_WRAPPING: Record<TransactionMode, SectionWrapping> = {
  'per-migration': 'transaction',
  none: 'statements',
};

export interface RunnerChoice {
  runner: MigrationRunner;
  /**
   * `config`: the migration directory names it; `annotation`: `evidence` in the file says so; `directory`: the files
   * around it say so (`directory.evidence`); `name`: the file is named in its scheme (not definite: other runners
   * share it); `default`: none of these.
   */
  source: 'config' | 'annotation' | 'directory' | 'name' | 'default';
  evidence?: DirectiveComment;
  /** What the files around the migration say about this runner (also when the config named it: Diesel's metadata.toml). */
  directory?: DirectoryEvidence;
}

export interface ParseOptions {
  /** How the runner wraps a migration when the file itself does not say (config or framework default). */
  transactionMode?: TransactionMode;
  /** Default postgresql. */
  dialect?: Dialect;
  /** The runner the migration directory's config names; otherwise it is recognised from the file. */
  runner?: RunnerId;
}

const HOST_LANGUAGES: Record<string, HostLanguage> = {
  '.sql': 'sql',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
};

export function languageOf(filePath: string): HostLanguage | undefined {
  return HOST_LANGUAGES[path.extname(filePath).toLowerCase()];
}

/**
 * The last few files parsed: linting a migration and then replaying it for the next one parse it once. `around` is
 * what the files around a .sql migration said when it was parsed (JSON), if the parse asked: a file whose own
 * annotations name its runner never does, so the hit costs no file-system access.
 */
const recentFiles: { key: string; text: string; file: MigrationFile; around?: string }[] = [];
const RECENT_FILES = 4;

/**
 * Parses a migration file. Never throws on user input: syntax errors become statements with `syntaxError`. The
 * result is shared with other callers that parse the same text the same way: never change it.
 */
export function parseMigration(filePath: string, text: string, options: ParseOptions = {}): MigrationFile {
  const key = `${filePath}\0${options.dialect ?? 'postgresql'}\0${options.transactionMode ?? ''}\0${options.runner ?? ''}`;
  const recent = recentFiles.find((entry) => entry.key === key && entry.text === text);
  // The files around a .sql migration may name its runner or switch its transaction off: a parse that asked them is
  // reused only while they say the same (adding a metadata.toml changes what the next lint sees).
  if (recent && (recent.around === undefined || recent.around === JSON.stringify(directoryEvidence(filePath) ?? null)))
    return recent.file;
  if (recent) recentFiles.splice(recentFiles.indexOf(recent), 1);
  let around: string | undefined;
  const file = readMigration(filePath, text, options, () => {
    const evidence = directoryEvidence(filePath);
    around = JSON.stringify(evidence ?? null);
    return evidence;
  });
  if (recentFiles.unshift({ key, text, file, around }) > RECENT_FILES) recentFiles.pop();
  return file;
}

function readMigration(
  filePath: string,
  text: string,
  options: ParseOptions,
  around: () => DirectoryEvidence | undefined,
): MigrationFile {
  const language = languageOf(filePath) ?? 'sql';
  const dialect = options.dialect ?? 'postgresql';
  const lines = new LineIndex(text);
  if (language === 'sql') {
    const parsed = parseSqlFragment(new FileFragment(text), dialect);
    const statements = parsed.statements;
    // Comments inside DO bodies are SQL comments of the file too (a preflight-ignore before a statement there).
    const comments = [...parsed.comments, ...statements.flatMap((statement) => routineBody(statement).comments)].sort(
      (a, b) => a.span.start - b.span.start,
    );
    const firstStatement = statements[0]?.fileSpan.start ?? text.length;
    const runner = chooseRunner(filePath, parsed.comments, firstStatement, options.runner, around);
    const units = runner.runner.units({
      comments: parsed.comments,
      fileLength: text.length,
      firstStatement,
      statements,
      directory: runner.directory,
    });
    const unitAt = (offset: number) => units.find((unit) => unit.span.start <= offset && offset < unit.span.end);
    const operations = statements.flatMap((statement) => {
      const unit = unitAt(statement.fileSpan.start);
      return statementOperations(statement, unit?.section ?? 'script').map((operation) =>
        unit ? { ...operation, unit } : operation,
      );
    });
    const directive = directiveTransactionMode(comments);
    const configured = options.transactionMode && CONFIGURED_WRAPPING[options.transactionMode];
    const wrappingOf = (operation: Operation): SectionWrapping =>
      (directive && CONFIGURED_WRAPPING[directive]) ??
      (operation.unit?.noTransaction ? runner.runner.withoutTransaction : undefined) ??
      configured ??
      runner.runner.wrapping;
    const modeOf = (operation: Operation): TransactionMode =>
      wrappingOf(operation) === 'statements' ? 'none' : 'per-migration';
    return {
      path: filePath,
      text,
      language,
      dialect,
      lines,
      statements,
      operations,
      comments,
      runner,
      units,
      wrappingOf,
      transactions: buildTransactions(operations, modeOf),
    };
  }
  const host = loadHostExtractor().extractHost(filePath, text);
  const statements: Statement[] = [];
  const operations: Operation[] = [];
  for (const call of host.calls) {
    // A helper's call runs in the section of the place it is called from.
    const section = sectionAt(host, (call.calledFrom?.[0] ?? call.span).start);
    const send = (fragment: SqlFragment, fragmentDialect: Dialect) => {
      for (const statement of parseSqlFragment(fragment, fragmentDialect).statements) {
        statements.push(statement);
        for (const operation of statementOperations(statement, section, call.conditions)) {
          operations.push({
            ...operation,
            call,
            scope: call.transactionScope,
            guardedBy: call.guardedBy,
            recovers: call.recovers,
          });
        }
      }
    };
    if (call.kind === 'sql') send(call.fragment, dialect);
    // The frameworks' generators write PostgreSQL (parse/orm/): on MySQL too, the statement says what the call changes.
    else if (call.kind === 'ddl' && call.sql)
      for (const generated of call.sql)
        send(new GeneratedFragment(generated.sql, generated.span, generated.computed), 'postgresql');
    else operations.push(callOperation(call, section));
  }
  const mode = hostTransactionMode(host, options.transactionMode);
  return {
    path: filePath,
    text,
    language,
    dialect,
    lines,
    statements,
    operations,
    comments: host.comments,
    host,
    units: [],
    transactions: buildTransactions(operations, mode),
  };
}

/** Splits and parses SQL with the dialect's parser: libpg-query for PostgreSQL, node-sql-parser for MySQL and MariaDB. */
export function parseSqlFragment(fragment: SqlFragment, dialect: Dialect): ParsedFragment {
  return dialect === 'postgresql' ? parseFragment(fragment) : parseMySqlFragment(fragment, dialect);
}

/** The TypeScript compiler takes ~300 ms to load: runs over .sql files only never pay for it. */
function loadHostExtractor(): typeof import('./host') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./host');
}

/**
 * Whether each framework's runner wraps a migration in a transaction by default. Plain scripts run each query on
 * its own unless they say BEGIN. db-migrate 0.11 with its PostgreSQL driver sends `BEGIN;` before each migration
 * and `COMMIT;` after it (db-migrate-pg `startMigration`/`endMigration`) unless run `--non-transactional`.
 * sequelize-cli itself opens no transaction (sequelize/cli#1364), but projects that run Sequelize migrations through
 * their own umzug wrapper usually do, one per migration — the setup where deferred audit triggers make a mixed
 * migration fail — so Sequelize defaults to `per-migration`; a project on plain sequelize-cli says
 * `"transaction": "none"`.
 */
const FRAMEWORK_TRANSACTION_MODES: Record<HostExtraction['framework'], TransactionMode> = {
  sequelize: 'per-migration',
  knex: 'per-migration',
  typeorm: 'per-migration',
  // "By default, each migration will be executed inside a transaction" (mikro-orm.io/docs/migrations), unless
  // the migration overrides `isTransactional()`.
  'mikro-orm': 'per-migration',
  'node-pg-migrate': 'per-migration',
  'db-migrate': 'per-migration',
  script: 'none',
};

/**
 * Whether the runner wraps this TS/JS migration in a transaction: the file's own `preflight-transaction` directive or
 * framework switch (Knex `config.transaction = false`, or `true` in a folder whose runner turned transactions off,
 * ...), else the migration directory's configured `transaction`, else its framework's default. The lint builds the file's transaction blocks from it and the dry-run runs the file
 * through its framework with it (dryrun/frameworks/framework-plan.ts), so the two cannot disagree.
 */
export function hostTransactionMode(host: HostExtraction, configured: TransactionMode | undefined): TransactionMode {
  return (
    directiveTransactionMode(host.comments) ??
    (host.transactionSwitch === undefined ? undefined : host.transactionSwitch ? 'per-migration' : 'none') ??
    configured ??
    frameworkTransactionMode(host)
  );
}

/**
 * A file with `up`/`down` that no known framework wrote is a migration of some other runner (logto's alteration
 * CLI, in-house runners): those wrap each migration in a transaction, as most runners do.
 */
function frameworkTransactionMode(host: HostExtraction): TransactionMode {
  if (host.framework === 'script' && host.sections.length > 0) return 'per-migration';
  return FRAMEWORK_TRANSACTION_MODES[host.framework];
}

function statementOperation(statement: Statement, section: SectionName): Operation {
  // A MySQL statement node-sql-parser could not read is still DDL or DML by its leading keywords.
  const facts =
    statement.node || statement.dialect === 'postgresql' ? classifyStatement(statement) : classifyByKeywords(statement);
  // The facts are a fresh object of this statement's: completing it in place, rather than spreading it into a
  // copy, saves an object and a slow generic copy per statement (facts differ in shape by statement type).
  const operation = facts as Operation;
  operation.fileSpan = statement.fileSpan;
  operation.section = section;
  operation.statement = statement;
  return operation;
}

/** The statement's operation, followed by those of the statements a DO block runs; `conditions`: those of the call that sends it. */
function statementOperations(
  statement: Statement,
  section: SectionName,
  conditions?: readonly RunCondition[],
): Operation[] {
  const operation = statementOperation(statement, section);
  if (conditions) operation.conditions = conditions;
  const executed = executedStatements(statement);
  if (executed.length === 0) return [operation];
  return [
    operation,
    ...executed.map((body) => {
      const inner: Operation = { ...statementOperation(body.statement, section), executedBy: statement };
      const all = [...(conditions ?? []), ...(body.conditions ?? [])];
      if (all.length) inner.conditions = all;
      return inner;
    }),
  ];
}

function callOperation(call: HostCall, section: SectionName): Operation {
  const base = {
    fileSpan: call.span,
    section,
    call,
    scope: call.transactionScope,
    guardedBy: call.guardedBy,
    recovers: call.recovers,
    ...(call.conditions ? { conditions: call.conditions } : {}),
  };
  if (call.kind === 'transaction') {
    return {
      ...base,
      effect: 'transaction',
      tables: [],
      creates: [],
      transactionAction: call.action as TransactionAction,
    };
  }
  if (call.kind === 'sql') throw new Error('SQL calls become statement operations');
  const tables: TableTouch[] = call.table ? [{ table: call.table, span: call.tableSpan ?? call.span }] : [];
  return { ...base, effect: call.kind, tables, creates: call.createsTable && call.table ? [call.table] : [] };
}

function sectionAt(host: HostExtraction, offset: number): SectionName {
  return host.sections.find((s) => s.span.start <= offset && offset < s.span.end)?.name ?? 'script';
}

/**
 * The configured runner wins over the file's annotations (a project may run dbmate-style files with its own tool),
 * the annotations over the files around it, and those over a naming scheme that several runners share. The files
 * around are asked only when the annotations do not decide, or for the configured runner's settings beside the
 * migration (Diesel's metadata.toml).
 */
function chooseRunner(
  filePath: string,
  comments: readonly DirectiveComment[],
  firstStatement: number,
  configured: RunnerId | undefined,
  around: () => DirectoryEvidence | undefined,
): RunnerChoice {
  if (configured) {
    const runner = runnerById(configured);
    const directory = around();
    return { runner, source: 'config', ...(directory?.runner === runner.id && { directory }) };
  }
  const recognised = recogniseRunner(path.basename(filePath), comments, firstStatement);
  if (recognised.evidence) return { runner: recognised.runner, source: 'annotation', evidence: recognised.evidence };
  const directory = around();
  if (directory) return { runner: runnerById(directory.runner), source: 'directory', directory };
  return { runner: recognised.runner, source: recognised.byName ? 'name' : 'default' };
}

/** `-- preflight-transaction: none` (or `per-migration`) says how the runner wraps this file. */
function directiveTransactionMode(comments: readonly DirectiveComment[]): TransactionMode | undefined {
  for (const comment of comments) {
    const match = /^\s*preflight-transaction\s*:?\s*(none|per-migration)\b/.exec(comment.body);
    if (match) return match[1] as TransactionMode;
  }
  return undefined;
}
