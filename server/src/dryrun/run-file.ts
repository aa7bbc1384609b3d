import { readUserText } from '../source-files';
import type { DryRunReport } from '../../../shared/protocol';
import { type DryRunOptions, dryRun } from './index';
import { dryRunProgram, isPlainScript } from './program';
import { frameworkOf } from './frameworks/framework-plan';
import { dryRunThroughFramework } from './frameworks/framework-dry-run';

export interface FileDryRunOptions extends DryRunOptions {
  /** Replay the file's statically visible SQL even where the file itself could run (`--static`). */
  static?: boolean;
  /** Where a program runs: its working directory, also where the migrations to replay are looked for. */
  cwd: string;
}

/**
 * What "dry-run this file" means, for the CLI and the editor alike: a Knex or Sequelize migration or seeder runs
 * through the project's own framework, a plain JS/TS script (a seed or remediation script on pg, postgres-js, ...)
 * runs itself, both through the transaction proxy; any other migration's SQL is sent statement by statement, as
 * is a framework's migration when the project does not have the framework installed (the report says so). A
 * selection always sends statements: a program cannot run half of itself.
 */
export async function dryRunFile(fileOptions: FileDryRunOptions): Promise<DryRunReport> {
  // Asked to dry-run this file, not its SQL only: the earlier migrations replay through their frameworks too.
  const options = { ...fileOptions, replayThroughFrameworks: !fileOptions.static };
  const text = options.static || options.range ? undefined : (options.text ?? readUserTextOrUndefined(options.file));
  if (text === undefined) return dryRun(options);
  const framework = await frameworkOf(options.file, text, options.config);
  if (framework && 'missing' in framework) {
    const report = await dryRun(options);
    return { ...report, notes: [...(report.notes ?? []), framework.missing] };
  }
  if (framework) return dryRunThroughFramework(options, framework);
  if (await isPlainScript(options.file, text, options.config)) {
    return dryRunProgram({ ...options, program: { script: options.file } });
  }
  return dryRun(options);
}

/** An unreadable file is left to dryRun's own message. */
function readUserTextOrUndefined(file: string): string | undefined {
  const decoded = readUserText(file);
  return 'text' in decoded ? decoded.text : undefined;
}
