import * as vscode from 'vscode';

/** Why everything that talks to a database waits for trust. */
const RUNS_SQL = "it runs this workspace's SQL against a database";

/** A dry-run also runs code: a plain script's dry-run runs this file's code (codeRunConsent.ts). */
export const DRY_RUN_UNTRUSTED = `${RUNS_SQL}, and for a script it runs this file's code`;

/**
 * In Restricted Mode Preflight still lints (the server only reads files), but it refuses everything
 * that talks to a database or runs code: a dry-run executes the workspace's migrations, or a script itself, and
 * an untrusted repository could name a connection to point them at.
 */
export function requireTrust(action: string, because: string = RUNS_SQL): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `Preflight: ${action} is disabled in Restricted Mode, because ${because}. ` +
        'Linting still works. Trust the workspace to enable dry-runs and connections.',
      'Manage Workspace Trust',
    )
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
