import * as vscode from 'vscode';
import type { PreflightServer, ServerState } from './languageServer';

/**
 * "$(check) Preflight": whether the language server is starting, running (with its version) or stopped, as
 * rust-analyzer's status item does. Clicking it offers what can be done about it: restart, stop or start, the
 * output, the version.
 */
export class ServerStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('preflight.server', vscode.StatusBarAlignment.Right, 100);
  private readonly subscription: vscode.Disposable;

  constructor(server: PreflightServer) {
    this.item.name = 'Preflight Server';
    this.item.command = 'preflight.serverActions';
    this.subscription = server.onDidChangeState((state) => this.render(state));
    this.render(server.state);
    this.item.show();
  }

  private render(state: ServerState): void {
    const [icon, text] = describe(state);
    this.item.text = `${icon} Preflight`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Preflight language server** — ${text}\n\nClick to restart, stop or start it, or to see its output.`,
    );
    this.item.backgroundColor =
      state.kind === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.accessibilityInformation = { label: `Preflight language server: ${text}` };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

function describe(state: ServerState): [icon: string, text: string] {
  switch (state.kind) {
    case 'starting':
      return ['$(sync~spin)', 'starting'];
    case 'running':
      return ['$(check)', `running, version ${state.version}`];
    case 'stopped':
      return ['$(circle-slash)', 'stopped'];
    case 'failed':
      return ['$(error)', `not running: ${state.reason}`];
  }
}

/** `preflight.serverActions`: the status item's menu, with what fits the server's state. */
export async function pickServerAction(server: PreflightServer): Promise<void> {
  const running = server.state.kind === 'running' || server.state.kind === 'starting';
  const actions: (vscode.QuickPickItem & { command: string })[] = [
    { label: '$(debug-restart) Restart Server', command: 'preflight.restartServer' },
    running
      ? { label: '$(debug-stop) Stop Server', command: 'preflight.stopServer' }
      : { label: '$(play) Start Server', command: 'preflight.startServer' },
    { label: '$(output) Show Output', command: 'preflight.showOutput' },
    { label: '$(info) Show Server Version', command: 'preflight.showServerVersion' },
  ];
  const choice = await vscode.window.showQuickPick(actions, {
    title: 'Preflight language server',
    placeHolder: describe(server.state)[1],
  });
  if (choice) await vscode.commands.executeCommand(choice.command);
}
