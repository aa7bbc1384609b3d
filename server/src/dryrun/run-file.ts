import { readUserText } from '../source-files';
import type { DryRunReport } from '../../../shared/protocol';
import { type DryRunOptions, dryRun } from './index';
import { dryRunProgram, isPlainScript } from './program';

export interface FileDryRunOptions extends DryRunOptions {
  /** Replay the file's statically visible SQL even where the file itself could run (`--static`). */
  static?: boolean;
  /** Where a program runs: its working directory, also where the migrations to replay are looked for. */
  cwd: string;
}

/**
 * What "dry-run this file" means, for the CLI and the editor alike: a plain JS/TS script (a seed or remediation
 * script on pg, postgres-js, ...) runs itself through the transaction proxy; a migration's SQL is sent statement
 * by statement. A selection always sends statements: a program cannot run half of itself.
 */
export async function dryRunFile(options: FileDryRunOptions): Promise<DryRunReport> {
  if (await dryRunRunsCode(options)) return dryRunProgram({ ...options, program: { script: options.file } });
  return dryRun(options);
}

/**
 * Whether `dryRunFile` would run the file's own code rather than send its statements: the editor asks the user
 * before the first such run, refuses it in an untrusted workspace, and runs only the file as saved.
 */
export async function dryRunRunsCode(
  options: Pick<FileDryRunOptions, 'file' | 'text' | 'range' | 'static' | 'config'>,
): Promise<boolean> {
  return !options.static && !options.range && (await plainScript(options));
}

/** An unreadable file is left to dryRun's own message. */
async function plainScript(options: Pick<FileDryRunOptions, 'file' | 'text' | 'config'>): Promise<boolean> {
  const text = options.text ?? readUserTextOrUndefined(options.file);
  return text !== undefined && (await isPlainScript(options.file, text, options.config));
}

function readUserTextOrUndefined(file: string): string | undefined {
  const decoded = readUserText(file);
  return 'text' in decoded ? decoded.text : undefined;
}
