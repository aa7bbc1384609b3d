import type { DocumentFilter } from 'vscode-languageclient/node';

/**
 * Which files the language server sees: every `.sql` file, and every TS/JS source. A `.sql` file opens in Preflight's
 * own PostgreSQL language (`postgres`, package.json); another SQL extension, or a user's `files.associations`, may
 * give it another language id, which the pattern still catches. The server decides which
 * TS/JS files it lints — those in a migration directory (configured or conventional) and those that import a
 * database client or ORM (server/src/parse/database-clients.ts) — exactly as `preflight lint` does, so the
 * selector no longer depends on config and a seed script outside `migrations/` is linted in the editor too.
 */
const HOST_FILES = '**/*.{ts,mts,cts,js,mjs,cjs}';

export function documentSelector(): DocumentFilter[] {
  return [
    { scheme: 'file', language: 'postgres' },
    { scheme: 'file', pattern: '**/*.sql' },
    { scheme: 'file', pattern: HOST_FILES },
  ];
}
