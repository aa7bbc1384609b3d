import { readUserText } from '../source-files';
import type { DryRunReport } from '../../../shared/protocol';
import { type DryRunOptions, dryRun } from './index';
import { dryRunProgram, isPlainScript } from './program';
import { type InstalledFramework, type MissingFramework, frameworkOf } from './frameworks/framework-plan';
import { dryRunThroughFramework } from './frameworks/framework-dry-run';

export interface FileDryRunOptions extends DryRunOptions {
  /** Replay the file's statically visible SQL even where the file itself could run (`--static`). */
  static?: boolean;
  /** Where a program runs: its working directory, also where the migrations to replay are looked for. */
  cwd: string;
}

type FileOptions = Pick<FileDryRunOptions, 'file' | 'text' | 'range' | 'static' | 'config'>;

/** How a file is dry-run: through its framework, as a script of its own, or by sending its statements. */
type FilePlan =
  | { runs: 'framework'; framework: InstalledFramework }
  | { runs: 'script' }
  | { runs: 'statements'; missing?: MissingFramework };

/**
 * What "dry-run this file" means, for the CLI and the editor alike: a framework's migration or seeder (Knex,
 * Sequelize, TypeORM, MikroORM, node-pg-migrate, db-migrate, Kysely) runs through the project's own framework, a plain JS/TS script (a seed or
 * remediation script on pg, postgres-js, ...) runs itself, both through the transaction proxy and with the earlier
 * migrations replayed through their frameworks too; any other migration's SQL is sent statement by statement, as is a framework's migration when
 * the project does not have the framework installed (the report says so). A selection always sends statements:
 * a program cannot run half of itself.
 */
export async function dryRunFile(options: FileDryRunOptions): Promise<DryRunReport> {
  const plan = await planOf(options);
  if (plan.runs === 'framework') return dryRunThroughFramework(options, plan.framework);
  if (plan.runs === 'script') return dryRunProgram({ ...options, program: { script: options.file } });
  const report = await dryRun(options);
  return plan.missing ? { ...report, notes: [...(report.notes ?? []), plan.missing.missing] } : report;
}

/**
 * Whether `dryRunFile` would run project code (the file's, or earlier migrations' through their framework) rather
 * than send statements: the editor asks the user before the first such run, refuses it in an untrusted
 * workspace, and runs only the file as saved.
 */
export async function dryRunRunsCode(options: FileOptions): Promise<boolean> {
  return (await planOf(options)).runs !== 'statements';
}

async function planOf(options: FileOptions): Promise<FilePlan> {
  if (options.static || options.range) return { runs: 'statements' };
  // An unreadable file is left to dryRun's own message.
  const text = options.text ?? readUserTextOrUndefined(options.file);
  if (text === undefined) return { runs: 'statements' };
  const framework = await frameworkOf(options.file, text, options.config);
  if (framework && 'missing' in framework) return { runs: 'statements', missing: framework };
  if (framework) return { runs: 'framework', framework };
  return (await isPlainScript(options.file, text, options.config)) ? { runs: 'script' } : { runs: 'statements' };
}

function readUserTextOrUndefined(file: string): string | undefined {
  const decoded = readUserText(file);
  return 'text' in decoded ? decoded.text : undefined;
}
