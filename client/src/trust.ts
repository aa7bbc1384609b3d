import * as vscode from 'vscode';

/**
 * In Restricted Mode Preflight still lints (the server only reads files), but it refuses everything
 * that talks to a database: a dry-run executes the workspace's migrations, and an untrusted repository
 * could name a connection to point them at.
 */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `Preflight: ${action} is disabled in Restricted Mode, because it runs this workspace's SQL against a database. ` +
        'Linting still works. Trust the workspace to enable dry-runs and connections.',
      'Manage Workspace Trust',
    )
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
