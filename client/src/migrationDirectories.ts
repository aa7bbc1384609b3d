import type { DocumentFilter } from 'vscode-languageclient/node';

/**
 * Which files the language server sees: every `.sql` file, and every TS/JS source. The server decides which
 * TS/JS files it lints — those in a migration directory (configured or conventional) and those that import a
 * database client or ORM (server/src/parse/database-clients.ts) — exactly as `preflight lint` does, so the
 * selector no longer depends on config and a seed script outside `migrations/` is linted in the editor too.
 */
const HOST_FILES = '**/*.{ts,mts,cts,js,mjs,cjs}';

export function documentSelector(): DocumentFilter[] {
  return [
    { scheme: 'file', language: 'sql' },
    // Another SQL extension may claim .sql files under its own language id.
    { scheme: 'file', pattern: '**/*.sql' },
    { scheme: 'file', pattern: HOST_FILES },
  ];
}
