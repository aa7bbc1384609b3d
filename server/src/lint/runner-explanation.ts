import * as fs from 'fs';
import * as path from 'path';
import { ResolvedConfig, migrationDirectoryOf } from '../config';
import { MigrationFile, parseMigration } from '../parse/migration';
import { RUNNERS, RunnerId } from '../parse/runners';
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
    return parseMigration(file, text, { transactionMode: configured?.transaction, dialect: configured?.dialect, runner: configured?.runner });
  });
  const byRunner = new Map<RunnerId, MigrationFile[]>();
  for (const file of files) {
    const id = file.runner?.runner.id ?? 'psql';
    byRunner.set(id, [...(byRunner.get(id) ?? []), file]);
  }
  // A file without annotations is also a file of the directory's runner (run its default way): the runner is the
  // one whose annotations most files carry, psql only where none do.
  const [runner, chosen] = [...byRunner.entries()].sort((a, b) => Number(a[0] === 'psql') - Number(b[0] === 'psql') || b[1].length - a[1].length)[0] ?? [
    'psql',
    [],
  ];
  const reasons: string[] = [];
  const first = chosen[0];
  const relative = (file: string) => path.relative(absolute, file).split(path.sep).join('/');
  if (first?.runner?.source === 'config') {
    reasons.push(`configured: "runner": "${runner}" on the migrations entry "${migrationDirectoryOf(config, first.path)?.path}" of ${path.join(config.rootDir, '.preflightrc.json')}`);
  } else if (first?.runner?.evidence) {
    const evidence = first.runner.evidence;
    const line = first.lines.positionAt(evidence.span.start).line + 1;
    reasons.push(`annotations: ${chosen.length} of ${files.length} .sql files (e.g. ${relative(first.path)} line ${line}: \`--${evidence.body}\`)`);
    const plain = byRunner.get('psql')?.length ?? 0;
    if (plain > 0) reasons.push(`${plain} .sql files carry no runner annotation: they run as ${runner} runs a file by default`);
  } else if (first?.runner?.source === 'directory' && first.runner.directory) {
    reasons.push(`files around them: ${chosen.length} of ${files.length} .sql files (e.g. ${relative(first.path)}: ${first.runner.directory.evidence})`);
  } else if (first?.runner?.source === 'name') {
    reasons.push(
      `file names: ${chosen.length} of ${files.length} .sql files are named as ${runner} names them (e.g. ${relative(first.path)}); ` +
        'other runners name files so too (sqlx), so set "runner" on the migrations entry to make it definite',
    );
  } else {
    reasons.push(
      files.length === 0
        ? 'no .sql files here'
        : `no runner annotations in ${chosen.length} of ${files.length} .sql files: each is linted as one script (psql; the directory's "transaction" setting says whether it runs in one transaction)`,
    );
  }
  const around = chosen.find((file) => file.runner?.directory)?.runner?.directory;
  if (around && first?.runner?.source !== 'directory') reasons.push(`also the files around them: ${around.evidence}`);
  const governed = new Map<string, { inTransaction: boolean; files: string[] }>();
  for (const file of chosen) {
    const setting = file.runner?.directory?.transactionSetting;
    if (!setting) continue;
    const entry = governed.get(setting.file) ?? { inTransaction: setting.inTransaction, files: [] };
    governed.set(setting.file, { ...entry, files: [...entry.files, path.basename(file.path)] });
  }
  for (const [settingFile, { inTransaction, files: run }] of governed) {
    reasons.push(`${relative(settingFile)} runs ${run.join(' and ')} ${inTransaction ? 'in' : 'outside'} a transaction`);
  }
  const sends = RUNNERS.find((candidate) => candidate.id === runner)?.sends ?? [];
  if (sends.length > 0) reasons.push(`${runner} itself sends: ${sends.join('; ')}`);
  for (const [other, otherFiles] of byRunner) {
    if (other !== runner && other !== 'psql') reasons.push(`also ${otherFiles.length} .sql files of ${other} (e.g. ${relative(otherFiles[0].path)})`);
  }
  reasons.push(...runnerDependencies(absolute));
  return { directory, runner, reasons };
}

/** How each manifest names a dependency: a Go module path, an npm package key, a Cargo dependency line. */
const MANIFESTS: Record<string, (text: string, name: string) => boolean> = {
  'go.mod': (text, name) => name.includes('/') && text.includes(name),
  'package.json': (text, name) => text.includes(`"${name}"`),
  'Cargo.toml': (text, name) => new RegExp(`^\\s*${name}\\s*=`, 'm').test(text),
  // Java projects name Flyway's group id (Maven) or its coordinates (Gradle).
  'pom.xml': (text, name) => text.includes(`<groupId>${name}</groupId>`),
  'build.gradle': (text, name) => text.includes(`${name}:`),
  'build.gradle.kts': (text, name) => text.includes(`${name}:`),
};

/**
 * `../../go.mod depends on github.com/pressly/goose (goose)`, for each runner the project depends on: the
 * manifests of the nearest directory up from the migrations that has one (the project's root).
 */
function runnerDependencies(directory: string): string[] {
  for (let dir = directory; ; dir = path.dirname(dir)) {
    const manifests = Object.keys(MANIFESTS).filter((name) => fs.existsSync(path.join(dir, name)));
    if (manifests.length > 0 || fs.existsSync(path.join(dir, '.git'))) {
      return manifests.flatMap((manifest) => {
        const file = path.join(dir, manifest);
        const read = readUserText(file);
        if (!('text' in read)) return [];
        const { text } = read;
        return RUNNERS.flatMap((runner) => {
          const name = runner.packages.find((pkg) => MANIFESTS[manifest](text, pkg));
          return name ? [`${path.relative(directory, file)} depends on ${name} (${runner.id})`] : [];
        });
      });
    }
    if (dir === path.dirname(dir)) return [];
  }
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
