import * as fs from 'fs';
import { pathToFileURL } from 'url';
import { migrationFilesIn } from '../migration-files';
import type { DocumentLinter, LintedDocument, SourceText } from './document-linter';
import type { CommandProgress } from './progress';

interface WorkspaceLintSummary {
  files: number;
  diagnostics: number;
}

/** Files between yields to the event loop, so that typing stays responsive during a large workspace lint. */
const BATCH = 25;

/**
 * `preflight.server.lintWorkspace`: every migration of the workspace folders, found the way `preflight lint
 * <folder>` finds them, linted and published; open documents are linted as the editor has them.
 * Returns the URIs published from disk, whose diagnostics stay until the file is opened or linted again.
 */
export async function lintWorkspace(
  folders: readonly string[],
  linter: DocumentLinter,
  openDocument: (uri: string) => SourceText | undefined,
  progress: CommandProgress,
): Promise<WorkspaceLintSummary & { fromDisk: string[] }> {
  const files = folders.filter((folder) => fs.existsSync(folder)).flatMap(migrationFilesIn);
  const summary = { files: 0, diagnostics: 0, fromDisk: [] as string[] };
  for (let i = 0; i < files.length; i++) {
    if (progress.signal.aborted) break;
    if (i % BATCH === 0) {
      progress.report(`${i}/${files.length} files`, Math.floor((i / files.length) * 100));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const uri = pathToFileURL(files[i]).href;
    const open = openDocument(uri);
    const linted: LintedDocument | undefined = open ? linter.lint(open) : linter.lintFromDisk(files[i]);
    if (!linted) continue;
    summary.files++;
    summary.diagnostics += linted.diagnostics.length;
    if (!open) summary.fromDisk.push(uri);
  }
  return summary;
}
