import * as fs from 'fs';
import * as path from 'path';
import { ResolvedConfig, migrationDirectoryOf } from '../resolved-config';
import { describeOperation } from '../lint/describe';
import { parseMigration } from '../parse/migration';
import type { TransactionBlock, TransactionMode } from '../parse/transactions';
import { historyOf } from '../schema/directory';
import { readUserText } from '../source-files';
import type { DryRunSession, StatementFailure } from './session';
import { EscapeAnalysis } from './escaping-effects';
import { outsideTransaction, roleNames, runTimeValues, transactionControl } from './statement-policy';
import { executionUnits } from './units';
import { frameworkOfLoaded, type InstalledFramework } from './frameworks/framework-plan';

/** A migration that runs before the one being dry-run. */
export interface MigrationSource {
  path: string;
  /** For the report: relative to the config's directory, or to the migration directory without a config. */
  display: string;
  text: string;
  transactionMode?: TransactionMode;
  /** A framework's migration (Knex, TypeORM, ...) the project has the framework installed for: replayed through it. */
  framework?: InstalledFramework;
}

export interface ReplayOutcome {
  file: string;
  replayed: boolean;
  reason?: string;
}

/**
 * The migrations that run before FILE, in order: the config's `schemaFile` (a squashed baseline), then the
 * migrations before FILE in its migration directory, found and ordered exactly as the schema model finds
 * them for linting (`schema/directory.ts`), so that a dry-run and a lint see the same history. With
 * `throughFrameworks`, a framework's migration whose framework the project has installed is marked to be
 * replayed through it.
 */
export function earlierMigrations(file: string, config: ResolvedConfig, throughFrameworks: boolean): MigrationSource[] {
  const { directory, migrations } = historyOf(file, config);
  // Paths in the report: relative to the project's config, or to the migration directory without one.
  const base = config.file ? config.rootDir : directory;
  const sources: MigrationSource[] = [];
  if (config.schemaFile && fs.existsSync(config.schemaFile)) sources.push(source(config.schemaFile, base, undefined));
  for (const earlier of migrations)
    sources.push(
      source(earlier, base, migrationDirectoryOf(config, earlier)?.transaction, throughFrameworks ? config : undefined),
    );
  return sources;
}

function source(
  file: string,
  base: string,
  transactionMode: TransactionMode | undefined,
  config?: ResolvedConfig,
): MigrationSource {
  // A sibling that cannot be read (vanished, not a regular file, binary) replays as empty: its lint reports why.
  const decoded = readUserText(file);
  const text = 'text' in decoded ? decoded.text : '';
  const framework = config && text ? frameworkOfLoaded(file, text, config) : undefined;
  return {
    path: file,
    display: path.relative(base, file).split(path.sep).join('/'),
    text,
    transactionMode,
    ...(framework && !('missing' in framework) ? { framework } : {}),
  };
}

/** Roles the migrations name (GRANT ... TO app) and roles they create. */
export function rolesUsed(sources: readonly MigrationSource[]): { used: Set<string>; created: Set<string> } {
  return roleNames(sources.flatMap((migration) => parseMigration(migration.path, migration.text).statements));
}

/** psql commands that change nothing in the database; any other (`\i`, `\c`) makes a replay partial. */
const HARMLESS_PSQL = /^\\(set|unset|echo|qecho|timing|pset|encoding|o|out|t|x|a|f|h|\?)\b/;

/**
 * Runs a migration for real on the shadow database being built, as its runner would: in one transaction
 * when the runner wraps it and it has no transaction control of its own, else statement by statement in
 * autocommit with its own BEGIN/COMMIT. Statements that cannot run (ORM calls without SQL, run-time
 * values, side effects outside the database) are left out and make the replay partial.
 */
export async function replayMigration(session: DryRunSession, migration: MigrationSource): Promise<ReplayOutcome> {
  const file = parseMigration(migration.path, migration.text, { transactionMode: migration.transactionMode });
  const problems: string[] = [];
  const runnable: { text: string; copyData?: string; line: number; block?: TransactionBlock }[] = [];
  // Replays run on the embedded PostgreSQL only: what cannot be decided runs there, what escapes does not.
  const escapeAnalysis = new EscapeAnalysis();
  const blockOf = new Map(
    file.transactions.flatMap((block) => block.operations.map((operation) => [operation, block] as const)),
  );
  for (const unit of executionUnits(file)) {
    const line = file.lines.positionAt(unit.operation.fileSpan.start).line + 1;
    const statement = unit.statement;
    if (!statement) {
      problems.push(`line ${line}: ${describeOperation(unit.operation)} is an ORM call without SQL`);
      continue;
    }
    if (statement.kind === 'psql-command') {
      if (!HARMLESS_PSQL.test(statement.text))
        problems.push(`line ${line}: psql command ${statement.text.split(/\s/)[0]} was not run`);
      continue;
    }
    const why = runTimeValues(statement) ?? escapeAnalysis.check(statement).escapes[0];
    if (why) {
      problems.push(`line ${line}: not run, ${why}`);
      continue;
    }
    runnable.push({ text: statement.text, copyData: unit.copyData, line, block: blockOf.get(unit.operation) });
  }
  const blocks = new Set(runnable.map((item) => item.block));
  const wrap =
    blocks.size === 1 &&
    [...blocks][0]?.implicit === true &&
    !file.statements.some((statement) => transactionControl(statement) || outsideTransaction(statement));
  if (wrap) await session.internal('BEGIN');
  for (const item of runnable) {
    try {
      await session.execute(item.text, item.copyData);
    } catch (error) {
      if (session.lost) throw error;
      await session.internal('ROLLBACK');
      const failure = error as StatementFailure;
      const applied = wrap ? 'its transaction was rolled back' : 'the statements before it were applied';
      return {
        file: migration.display,
        replayed: false,
        reason: `failed at line ${item.line}: ${failure.message} (SQLSTATE ${failure.code ?? 'unknown'}); ${applied}`,
      };
    }
  }
  if (wrap) {
    try {
      await session.internal('COMMIT');
    } catch (error) {
      return { file: migration.display, replayed: false, reason: `failed at COMMIT: ${(error as Error).message}` };
    }
  }
  if (problems.length > 0) {
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
    return {
      file: migration.display,
      replayed: false,
      reason: `replayed in part: ${problems.slice(0, 3).join('; ')}${more}`,
    };
  }
  return { file: migration.display, replayed: true };
}
