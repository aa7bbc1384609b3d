import type { CodeLens } from 'vscode-languageserver/node';
import type { EditorSettings } from './settings';

/** The client command that runs a dry-run and shows its results (see the LSP ↔ client contract). */
const DRY_RUN_FILE_COMMAND = 'preflight.dryRunFile';

/** The connection argument that asks for the embedded database whatever connection is selected. */
const EMBEDDED = '';

/**
 * Above the first line of a migration, one lens per database a dry-run can use, each naming it and running on
 * it: "Dry run on embedded PostgreSQL" (when this installation has its binaries and the setting allows it) and
 * "Dry run on <name>" for the selected connection. With neither, a plain "Dry run" lens lets the client say
 * what to set up. Only connection names reach the server; the client adds the password from its secret
 * storage when the command runs.
 */
export function dryRunLenses(uri: string, settings: EditorSettings, embeddedInstalled: boolean): CodeLens[] {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const lens = (title: string, args: unknown[]): CodeLens => ({
    range,
    command: { title, command: DRY_RUN_FILE_COMMAND, arguments: args },
  });
  const lenses: CodeLens[] = [];
  if (settings.dryRun.embedded && embeddedInstalled)
    lenses.push(lens('Preflight: Dry run on embedded PostgreSQL', [uri, EMBEDDED]));
  const name = settings.defaultConnection;
  if (name && settings.connections.includes(name))
    lenses.push(lens(lenses.length ? `Dry run on ${name}` : `Preflight: Dry run on ${name}`, [uri, name]));
  return lenses.length ? lenses : [lens('Preflight: Dry run', [uri])];
}
