import * as path from 'path';
import * as vscode from 'vscode';
import type { DocumentFilter } from 'vscode-languageclient/node';
import { CONVENTIONAL_MIGRATION_DIRECTORIES } from '../../shared/protocol';

/**
 * Which files the language server sees. Every `.sql` file is SQL to check; a TS/JS file is a migration
 * only inside a migration directory — one named in `.preflightrc.json` `migrations` (or package.json's
 * `preflight` key), or one named the way the common frameworks name them. Application code never
 * reaches the server.
 */

const HOST_FILES = '*.{ts,mts,cts,js,mjs,cjs}';

/** Config files whose `migrations` entries decide the selector; a change restarts the client. */
export const CONFIG_FILE_GLOB = '**/{.preflightrc.json,package.json}';

export interface ConfiguredMigrationDirectory {
  /** Absolute directory. */
  directory: string;
}

export function documentSelector(configured: readonly ConfiguredMigrationDirectory[]): DocumentFilter[] {
  return [
    { scheme: 'file', language: 'sql' },
    // Another SQL extension may claim .sql files under its own language id.
    { scheme: 'file', pattern: '**/*.sql' },
    ...CONVENTIONAL_MIGRATION_DIRECTORIES.map((dir): DocumentFilter => ({ scheme: 'file', pattern: `**/${dir}/**/${HOST_FILES}` })),
    ...configured.map(
      ({ directory }): DocumentFilter => ({ scheme: 'file', pattern: `${directory.split(path.sep).join('/')}/**/${HOST_FILES}` }),
    ),
  ];
}

/**
 * The migration directories named by config files in the workspace. Read leniently: a broken config
 * file is the server's to report (as a diagnostic), here it only means "no extra directories".
 */
export async function findConfiguredMigrationDirectories(): Promise<ConfiguredMigrationDirectory[]> {
  const files = await vscode.workspace.findFiles(CONFIG_FILE_GLOB, '**/node_modules/**', 500);
  const found = new Map<string, ConfiguredMigrationDirectory>();
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8'));
    } catch {
      continue;
    }
    const config = path.basename(file.fsPath) === 'package.json' ? (json as { preflight?: unknown } | null)?.preflight : json;
    const entries = (config as { migrations?: unknown } | null | undefined)?.migrations;
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      const relative = typeof entry === 'string' ? entry : (entry as { path?: unknown } | null)?.path;
      if (typeof relative !== 'string') continue;
      const directory = path.resolve(path.dirname(file.fsPath), relative);
      found.set(directory, { directory });
    }
  }
  return [...found.values()].sort((a, b) => a.directory.localeCompare(b.directory));
}
