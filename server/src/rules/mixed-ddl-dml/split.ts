import * as fs from 'fs';
import * as path from 'path';
import type { FileRewrite } from '../../lint/rule';
import type { MigrationFile, Operation } from '../../parse/migration';
import { lineBreakOf } from '../../parse/text';
import { MigrationName, parseMigrationName, partLabel } from './migration-names';
import { mixingRole } from './mixing';

/**
 * The refactoring `mixed-ddl-dml` offers: a migration that changes the schema and the data in one transaction
 * becomes consecutive migrations that each run in their own transaction (typically DDL / DML / DDL), divided where
 * the rule sees mixing (`mixing.ts`). The original file keeps the first part; the others become new files right
 * after it, named in the directory's convention (see `migration-names.ts`). The language server turns the plan
 * into one workspace edit (`lsp/refactorings.ts`).
 *
 * Supported for `.sql` migrations. TS/JS migrations are not split automatically: their `down()` and the
 * framework's boilerplate have to be divided by judgement, so the refactor says so instead.
 */
export interface MigrationPart extends FileRewrite {
  kind: 'ddl' | 'dml';
}

export type SplitPlan = { files: MigrationPart[] } | { problem: string };

/** Where an operation belongs: its own kind, or the part of the statement before or after it. */
type Placement = 'ddl' | 'dml' | 'previous' | 'next';

export function planMigrationSplit(
  file: MigrationFile,
  listDirectory: (dir: string) => string[] = readDirectory,
): SplitPlan {
  if (file.language !== 'sql') {
    return {
      problem:
        'Splitting is automatic for .sql migrations only: move the data change of this TS/JS migration into a ' +
        'migration of its own by hand (schema change, then data change, then the schema change that needs the data).',
    };
  }
  if (file.statements.some((statement) => statement.syntaxError))
    return { problem: 'Fix the syntax errors before splitting this migration.' };
  if (file.comments.some((comment) => /^\s*(?:migrate:(?:up|down)|\+goose\s+(?:up|down))\b/i.test(comment.body))) {
    return {
      problem:
        'This migration has up and down sections (dbmate, goose): split it by hand so each part keeps its down section.',
    };
  }
  const operations = withDoBlocksWhole(file.operations);
  if (!operations) return { problem: 'A DO block here changes both the schema and the data: split it by hand.' };
  const wrapped = explicitTransaction(operations);
  if (wrapped === 'unsupported') {
    return { problem: 'This migration opens and commits transactions in several places: split it by hand.' };
  }
  const kinds = resolvePlacements(file, operations);
  const runEnds: number[] = [];
  kinds.forEach((kind, i) => {
    if (i + 1 === kinds.length || kinds[i + 1] !== kind) runEnds.push(i);
  });
  if (runEnds.length < 2)
    return { problem: 'Nothing to split: every data change here seeds a table this migration creates.' };

  const names = newPaths(
    file.path,
    runEnds.slice(1).map((end) => kinds[end]),
    listDirectory,
    numberingRunner(file),
  );
  if ('problem' in names) return names;

  const text = file.text;
  const eol = lineBreakOf(text);
  const ends = runEnds.map((end, k) => (k === runEnds.length - 1 ? text.length : boundaryAfter(text, operations[end])));
  const begin = wrapped ? statementText(text, wrapped.begin) + eol : '';
  const commit = wrapped ? statementText(text, wrapped.commit) + eol : '';
  const carried = carriedText(file, operations, eol);
  const files = runEnds.map((end, k): MigrationPart => {
    const body = text.slice(k === 0 ? 0 : ends[k - 1], ends[k]);
    const last = k === runEnds.length - 1;
    const head = k === 0 ? '' : carried + begin;
    const tail = last ? '' : commit;
    return {
      path: k === 0 ? file.path : names.paths[k - 1],
      kind: kinds[end] as 'ddl' | 'dml',
      text: withFinalLineBreak(head + (k === 0 ? body : body.replace(/^(?:[ \t]*\r?\n)+/, '')), eol) + tail,
    };
  });
  return { files };
}

/**
 * Schema and data changes keep their kind; a seed of a table created earlier in the file and COPY data stay with
 * the statement before them; everything else (SELECT, SET, psql commands, BEGIN, work on a TEMP staging table)
 * goes with the statement after it, COMMIT with the one before.
 */
function resolvePlacements(file: MigrationFile, operations: readonly Operation[]): ('ddl' | 'dml')[] {
  const created = new Set<string>();
  const placements: Placement[] = operations.map((operation) => {
    const role = mixingRole(file, operation, created);
    let placement: Placement;
    if (role === 'ddl' || role === 'dml') placement = role;
    else if (role === 'seed' || operation.statement?.kind === 'copy-data') placement = 'previous';
    else if (operation.transactionAction === 'commit' || operation.transactionAction === 'rollback')
      placement = 'previous';
    else placement = 'next';
    operation.creates.forEach((table) => created.add(table));
    return placement;
  });
  const resolved = placements.map((p) => (p === 'ddl' || p === 'dml' ? p : undefined));
  let before: 'ddl' | 'dml' | undefined;
  placements.forEach((placement, i) => {
    if (placement === 'previous') resolved[i] = before;
    before = resolved[i] ?? before;
  });
  let after: 'ddl' | 'dml' | undefined;
  for (let i = resolved.length - 1; i >= 0; i--) after = resolved[i] ??= after;
  before = undefined;
  return resolved.map((kind) => (before = kind ?? before ?? 'ddl'));
}

/**
 * The statements a DO block runs are operations of their own, right after the block, but a split never cuts
 * through a block: the block counts as what its body does. Undefined when a body does both DDL and DML.
 */
function withDoBlocksWhole(operations: readonly Operation[]): Operation[] | undefined {
  const whole: Operation[] = [];
  for (const operation of operations) {
    if (!operation.executedBy) {
      whole.push(operation);
      continue;
    }
    if (operation.effect !== 'ddl' && operation.effect !== 'dml') continue;
    const block = whole[whole.length - 1];
    if (block.effect !== 'none' && block.effect !== operation.effect) return undefined;
    whole[whole.length - 1] = {
      ...block,
      effect: operation.effect,
      tables: [...block.tables, ...operation.tables],
      creates: [...block.creates, ...operation.creates],
    };
  }
  return whole;
}

/** A file wrapped in one BEGIN ... COMMIT gets that wrapping in every part. */
function explicitTransaction(
  operations: readonly Operation[],
): { begin: Operation; commit: Operation } | undefined | 'unsupported' {
  const control = operations.filter((operation) => operation.effect === 'transaction');
  if (control.length === 0) return undefined;
  const [begin, commit] = control;
  const changes = operations.filter((operation) => operation.effect === 'ddl' || operation.effect === 'dml');
  const wraps =
    control.length === 2 &&
    begin.transactionAction === 'begin' &&
    commit.transactionAction === 'commit' &&
    changes.every(
      (operation) => operation.fileSpan.start > begin.fileSpan.end && operation.fileSpan.end < commit.fileSpan.start,
    );
  return wraps ? { begin, commit } : 'unsupported';
}

/**
 * What every new part repeats from the top of the original: file-wide directives and the session setup
 * (`SET lock_timeout`, psql's `\set ON_ERROR_STOP`) written before the first schema or data change.
 */
function carriedText(file: MigrationFile, operations: readonly Operation[], eol: string): string {
  const lines: string[] = [];
  for (const comment of file.comments) {
    if (/^\s*(?:preflight-ignore-file|preflight-transaction|squawk-ignore-file)\b/.test(comment.body)) {
      lines.push(file.text.slice(comment.span.start, comment.span.end).trimEnd());
    }
  }
  const firstChange = operations.findIndex((operation) => operation.effect === 'ddl' || operation.effect === 'dml');
  for (const operation of operations.slice(0, Math.max(firstChange, 0))) {
    const setup = operation.statement?.kind === 'psql-command' || operation.statement?.type === 'VariableSetStmt';
    if (setup) lines.push(statementText(file.text, operation));
  }
  return lines.map((line) => line + eol).join('');
}

/** The statement with its `;`. */
function statementText(text: string, operation: Operation): string {
  return text.slice(operation.fileSpan.start, boundaryAfter(text, operation)).trimEnd();
}

/** Just after the statement's `;` and, when nothing but a comment follows on that line, after the line break. */
function boundaryAfter(text: string, operation: Operation): number {
  let at = operation.fileSpan.end;
  const semicolon = /^\s*;/.exec(text.slice(at, at + 200));
  if (semicolon) at += semicolon[0].length;
  const rest = /^[ \t]*(?:--[^\r\n]*)?(?:\r\n|\n|\r|$)/.exec(text.slice(at));
  return rest ? at + rest[0].length : at;
}

function withFinalLineBreak(text: string, eol: string): string {
  return text.length === 0 || text.endsWith('\n') || text.endsWith('\r') ? text : text + eol;
}

/**
 * The name of the file's runner when it reads versions as numbers, where `0003a` is no version at all: the
 * runners with a model of their own (goose, golang-migrate, sqlx, dbmate, ...). Undefined for a plain directory
 * of scripts (psql, a deploy script), which runs them in name order.
 */
function numberingRunner(file: MigrationFile): string | undefined {
  const runner = file.runner?.runner;
  return runner && runner.id !== 'psql' ? runner.name : undefined;
}

function newPaths(
  filePath: string,
  kinds: ('ddl' | 'dml')[],
  listDirectory: (dir: string) => string[],
  numberedBy: string | undefined,
): { paths: string[] } | { problem: string } {
  const directory = path.dirname(filePath);
  const fileName = path.basename(filePath);
  // Prisma keeps each migration in a directory named like a migration file: `20240101120000_x/migration.sql`.
  const own = parseMigrationName(fileName);
  const unit = own
    ? { name: own, parent: directory, entry: fileName }
    : {
        name: parseMigrationName(path.basename(directory)),
        parent: path.dirname(directory),
        entry: path.basename(directory),
      };
  if (!unit.name) {
    return {
      problem: `"${fileName}" does not start with a version (0007_name.sql, 20240101120000_name.sql, V7__name.sql), so Preflight cannot tell where new migrations go.`,
    };
  }
  const name: MigrationName = unit.name;
  const next = listDirectory(unit.parent)
    .map((sibling) => name.versionOf(sibling))
    .filter((version): version is string => version !== undefined && name.compare(version, name.version) > 0)
    .sort(name.compare)[0];
  const versions = name.following(kinds.length, next, numberedBy === undefined);
  if (!versions) {
    return {
      problem:
        `No free version between ${name.version} and the next migration (${next})${numberedBy ? `, and ${numberedBy} reads versions as numbers` : ''}: ` +
        'the new migrations must run right after this one, and applied migrations are never renamed.',
    };
  }
  const taken = new Set([name.label]);
  const paths = versions.map((version, i) => {
    const entry = name.format(version, partLabel(name.label, kinds[i] === 'dml' ? 'data' : 'schema', taken));
    return own ? path.join(unit.parent, entry) : path.join(unit.parent, entry, fileName);
  });
  const clash = paths.find((candidate) => fs.existsSync(candidate));
  return clash ? { problem: `${clash} already exists.` } : { paths };
}

function readDirectory(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
