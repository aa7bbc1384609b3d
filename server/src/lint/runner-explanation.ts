import * as fs from 'fs';
import * as path from 'path';
import { ResolvedConfig, migrationDirectoryOf } from '../resolved-config';
import { MigrationFile, RunnerChoice, parseMigration } from '../parse/migration';
import { RUNNERS, RunnerId, runnerDependencies } from '../parse/runners';
import { readUserText } from '../source-files';

/** Which runner runs a directory's .sql migrations, and why: what `preflight lint --explain-runner DIR` prints. */
export interface RunnerExplanation {
  directory: string;
  /** The runner most of its .sql files are linted for. */
  runner: RunnerId;
  /** One line per reason, most decisive first. */
  reasons: string[];
}

/**
 * Explains the runner the engine picks for each .sql file of `directory` — the same parse the linter and the
 * language server make, so what this prints is what they do — with the project's dependencies on a runner
 * (go.mod, package.json) as supporting evidence.
 */
export function explainRunner(directory: string, config: ResolvedConfig): RunnerExplanation {
  const absolute = path.resolve(directory);
  const files = sqlFilesUnder(absolute).flatMap((file) => {
    const read = readUserText(file);
    if (!('text' in read)) return [];
    const { text } = read;
    const configured = migrationDirectoryOf(config, file);
    return parseMigration(file, text, {
      transactionMode: configured?.transaction,
      dialect: configured?.dialect,
      runner: configured?.runner,
    });
  });
  const byRunner = new Map<RunnerId, MigrationFile[]>();
  for (const file of files) {
    const id = file.runner?.runner.id ?? 'psql';
    byRunner.set(id, [...(byRunner.get(id) ?? []), file]);
  }
  // A file without annotations is also a file of the directory's runner (run its default way): the runner is the
  // one whose annotations most files carry, psql only where none do.
  const [runner, chosen] = [...byRunner.entries()].sort(
    (a, b) => Number(a[0] === 'psql') - Number(b[0] === 'psql') || b[1].length - a[1].length,
  )[0] ?? ['psql', []];
  const reasons: string[] = [];
  const relative = (file: string) => path.relative(absolute, file).split(path.sep).join('/');
  const bySource = (source: RunnerChoice['source']) => chosen.filter((file) => file.runner?.source === source);
  const [configured, annotated, around] = [bySource('config'), bySource('annotation'), bySource('directory')];
  if (configured[0]) {
    reasons.push(
      `configured: "runner": "${runner}" on the migrations entry "${migrationDirectoryOf(config, configured[0].path)?.path}" of ${path.join(config.rootDir, '.preflightrc.json')}`,
    );
  }
  if (!configured[0] && annotated[0]?.runner?.evidence) {
    const [example] = annotated;
    const evidence = annotated[0].runner.evidence;
    const line = example.lines.positionAt(evidence.span.start).line + 1;
    reasons.push(
      `annotations: ${annotated.length} of ${files.length} .sql files (e.g. ${relative(example.path)} line ${line}: \`--${evidence.body}\`)`,
    );
  }
  if (!configured[0] && around[0]?.runner?.directory) {
    const [example] = around;
    reasons.push(
      `${annotated[0] ? 'also ' : ''}files around them: ${around.length} of ${files.length} .sql files (e.g. ${relative(example.path)}: ${around[0].runner.directory.evidence})`,
    );
  }
  const named = bySource('name');
  if (!configured[0] && !annotated[0] && !around[0]) {
    if (named[0]) {
      reasons.push(
        `file names: ${named.length} of ${files.length} .sql files are named as ${runner} names them (e.g. ${relative(named[0].path)}); ` +
          'other runners name files so too (sqlx), so set "runner" on the migrations entry to make it definite',
      );
    } else {
      reasons.push(
        files.length === 0
          ? 'no .sql files here'
          : `no runner annotations in ${chosen.length} of ${files.length} .sql files: each is linted as one script (psql; the directory's "transaction" setting says whether it runs in one transaction)`,
      );
    }
  }
  const plain = runner === 'psql' ? 0 : (byRunner.get('psql')?.length ?? 0);
  if (annotated[0] && plain > 0)
    reasons.push(`${plain} .sql files carry no runner annotation: they run as ${runner} runs a file by default`);
  const governed = new Map<string, { inTransaction: boolean; files: string[] }>();
  for (const file of chosen) {
    const setting = file.runner?.directory?.transactionSetting;
    if (!setting) continue;
    const entry = governed.get(setting.file) ?? { inTransaction: setting.inTransaction, files: [] };
    governed.set(setting.file, { ...entry, files: [...entry.files, path.basename(file.path)] });
  }
  for (const [settingFile, { inTransaction, files: run }] of governed) {
    reasons.push(
      `${relative(settingFile)} runs ${run.join(' and ')} ${inTransaction ? 'in' : 'outside'} a transaction`,
    );
  }
  const sends = RUNNERS.find((candidate) => candidate.id === runner)?.sends ?? [];
  if (sends.length > 0) reasons.push(`${runner} itself sends: ${sends.join('; ')}`);
  for (const [other, otherFiles] of byRunner) {
    if (other !== runner && other !== 'psql')
      reasons.push(`also ${otherFiles.length} .sql files of ${other} (e.g. ${relative(otherFiles[0].path)})`);
  }
  for (const dependency of runnerDependencies(absolute)) {
    reasons.push(
      `${path.relative(absolute, dependency.manifest)} depends on ${dependency.name} (${dependency.runner})`,
    );
  }
  return { directory, runner, reasons };
}

function sqlFilesUnder(directory: string): string[] {
  try {
    return fs
      .readdirSync(directory, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.toLowerCase().endsWith('.sql'))
      .map((name) => path.join(directory, name))
      .sort();
  } catch {
    return [];
  }
}
