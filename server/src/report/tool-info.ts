import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT, docsPath } from '../lint/registry';

/** What reports say about the tool that produced them, from the package's own package.json. */
export interface ToolInfo {
  name: string;
  version: string;
  /** The project's home (its repository), when package.json names one. */
  homepage?: string;
}

let cached: ToolInfo | undefined;

export function toolInfo(): ToolInfo {
  if (cached) return cached;
  let manifest: { version?: unknown; homepage?: unknown } = {};
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  } catch {
    // A bundled build without its package.json still reports; it just cannot say its version.
  }
  cached = {
    name: 'Preflight',
    version: typeof manifest.version === 'string' ? manifest.version : '0.0.0',
    homepage: typeof manifest.homepage === 'string' ? manifest.homepage.replace(/\/+$/, '') : undefined,
  };
  return cached;
}

/** The published docs page of a rule (the repository's `docs/rules/<id>.md`), when the home is known. */
export function ruleDocsUrl(ruleId: string): string | undefined {
  const { homepage } = toolInfo();
  return homepage ? `${homepage}/blob/HEAD/${docsPath(ruleId)}` : undefined;
}
