import type { CodeLens } from 'vscode-languageserver/node';
import type { EditorSettings } from './settings';

/** The client command that runs a dry-run and shows its results (see the LSP ↔ client contract). */
const DRY_RUN_FILE_COMMAND = 'preflight.dryRunFile';

/**
 * Above the first line of a migration: "Preflight: Dry run" (the embedded database) and, when a default
 * connection is set, "Dry run on <name>". Only connection names reach the server; the client adds the
 * password from its secret storage when the command runs.
 */
export function dryRunLenses(uri: string, settings: EditorSettings): CodeLens[] {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const lenses: CodeLens[] = [{ range, command: { title: 'Preflight: Dry run', command: DRY_RUN_FILE_COMMAND, arguments: [uri] } }];
  const name = settings.defaultConnection;
  if (name && settings.connections.includes(name)) {
    lenses.push({ range, command: { title: `Dry run on ${name}`, command: DRY_RUN_FILE_COMMAND, arguments: [uri, name] } });
  }
  return lenses;
}
