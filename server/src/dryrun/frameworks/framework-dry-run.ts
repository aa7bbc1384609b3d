import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DryRunReport } from '../../../../shared/protocol';
import { dryRunProgram, type ProgramDryRunOptions } from '../program';
import { frameworkJob, frameworkRunnerScript, type InstalledFramework } from './framework-plan';
import { readUserText } from '../../source-files';

const UNSAVED_NOTE =
  'the file ran as saved on disk: its unsaved changes in the editor did not run (save it and dry-run again)';

/**
 * Dry-runs a framework's migration (or seed file) through the project's own framework, connected to the
 * transaction proxy: every statement the framework sends is checked and reported like a migration's, at the line
 * of the file that sent it, and the framework's BEGIN/COMMIT become savepoints of the one rolled-back
 * transaction. The earlier migrations were replayed the same way into the embedded database (shadow.ts).
 */
export async function dryRunThroughFramework(
  options: Omit<ProgramDryRunOptions, 'program'> & { file: string; text?: string },
  installed: InstalledFramework,
): Promise<DryRunReport> {
  // The framework runs the file as saved; the editor's unsaved text is what it was asked about.
  const decoded = readUserText(options.file);
  const saved = 'text' in decoded ? decoded.text : '';
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-framework-'));
  try {
    const job = frameworkJob({ path: options.file, text: saved }, options.config, installed, work);
    const jobFile = path.join(work, 'job.json');
    fs.writeFileSync(jobFile, JSON.stringify(job));
    const report = await dryRunProgram({
      ...options,
      program: {
        node: {
          // Source maps: a TypeScript migration's stack frames name its own lines.
          args: ['--enable-source-maps', frameworkRunnerScript(), jobFile],
          file: options.file,
          command: `${installed.framework} ${installed.version}: ${path.basename(options.file)}`,
        },
      },
    });
    if (options.text === undefined || options.text === saved) return report;
    return { ...report, notes: [...(report.notes ?? []), UNSAVED_NOTE] };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
