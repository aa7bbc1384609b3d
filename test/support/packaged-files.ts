import * as fs from 'fs';
import * as path from 'path';
import type { IListFilesOptions } from '@vscode/vsce';
import { REPO_ROOT } from './paths';

/** vsce's listFiles also takes the manifest to package, as scripts/package.js passes it; its typings leave that out. */
type ListFiles = (options: IListFilesOptions & { manifest: object }) => Promise<string[]>;

/**
 * The files `npm run package` puts in the .vsix (repository-relative, `/`-separated): vsce's own listing under
 * .vscodeignore, with the manifest that ships (scripts/package.js drops devDependencies, scripts and dependencies).
 */
export async function packagedFiles(): Promise<string[]> {
  const { devDependencies, scripts, dependencies, ...manifest } = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'),
  ) as Record<string, unknown>;
  const vsce = await import('@vscode/vsce');
  return (vsce.listFiles as ListFiles)({ cwd: REPO_ROOT, packageManager: vsce.PackageManager.None, manifest });
}
