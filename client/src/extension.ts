import * as vscode from 'vscode';
import { Connections } from './connections';
import { DryRunner, revealStatement } from './dryRun';
import { DryRunAnnotations } from './dryRunAnnotations';
import { DryRunPanel } from './dryRunPanel';
import { PreflightServer } from './languageServer';
import { ServerStatusItem, pickServerAction } from './serverStatus';
import { DryRunStatusBar } from './statusBar';
import { requireTrust } from './trust';

/**
 * The VS Code extension: starts the language server (which does all linting and runs dry-runs) and adds
 * what only an editor can: commands, connections with passwords in SecretStorage, and the dry-run
 * results panel, inline summaries and status bar item.
 */
let server: PreflightServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Preflight', { log: true });
  const connections = new Connections(context.secrets);
  const annotations = new DryRunAnnotations();
  const panel = new DryRunPanel(revealStatement);
  const statusBar = new DryRunStatusBar(connections);
  server = new PreflightServer(context, log);
  const languageServer = server;
  const serverStatus = new ServerStatusItem(languageServer);
  const runner = new DryRunner({
    client: () => languageServer.client,
    connections,
    annotations,
    panel,
    statusBar,
    log,
    workspaceState: context.workspaceState,
  });

  /** A command that fails says so in one line (details in the output channel), never with a stack trace. */
  const command = (id: string, run: (...args: never[]) => Promise<void> | void) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        await run(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.error(`${id} failed: ${error instanceof Error && error.stack ? error.stack : message}`);
        const choice = await vscode.window.showErrorMessage(`Preflight: ${message}`, 'Show Output');
        if (choice) log.show(true);
      }
    });

  context.subscriptions.push(
    log,
    connections,
    annotations,
    panel,
    statusBar,
    serverStatus,
    languageServer,
    command('preflight.dryRunFile', (uri?: string | vscode.Uri, connectionName?: string) =>
      runner.dryRunFile(uri, connectionName),
    ),
    command('preflight.dryRunSelection', () => runner.dryRunSelection()),
    command('preflight.addConnection', () =>
      requireTrust('Adding a database connection') ? connections.add() : undefined,
    ),
    command('preflight.selectConnection', () =>
      requireTrust('Selecting a database connection') ? connections.pick() : undefined,
    ),
    command('preflight.lintWorkspace', () => languageServer.lintWorkspace()),
    command('preflight.showOutput', () => log.show(true)),
    command('preflight.showRuleDocumentation', (ruleId?: string) => showRuleDocumentation(context, ruleId)),
    command('preflight.fixAll', async () => {
      await vscode.commands.executeCommand('editor.action.sourceAction', {
        kind: 'source.fixAll.preflight',
        apply: 'first',
      });
    }),
    command('preflight.restartServer', async () => {
      await languageServer.restart();
      connections.setEmbeddedInstalled(languageServer.embeddedPostgres);
    }),
    command('preflight.stopServer', () => languageServer.stop()),
    command('preflight.startServer', async () => {
      if (languageServer.state.kind === 'running' || languageServer.state.kind === 'starting') return;
      await languageServer.start();
      connections.setEmbeddedInstalled(languageServer.embeddedPostgres);
    }),
    command('preflight.showServerVersion', () => {
      const running =
        languageServer.state.kind === 'running'
          ? `language server ${languageServer.version}`
          : 'language server not running';
      void vscode.window.showInformationMessage(
        `Preflight: extension ${context.extension.packageJSON.version}, ${running}.`,
      );
    }),
    command('preflight.serverActions', () => pickServerAction(languageServer)),
  );

  connections.warnAboutPasswordsInSettings();
  try {
    await languageServer.start();
    connections.setEmbeddedInstalled(languageServer.embeddedPostgres);
  } catch (error) {
    log.error(`the language server did not start: ${error instanceof Error ? error.message : String(error)}`);
    void vscode.window.showErrorMessage('Preflight: the language server did not start. See "Preflight: Show Output".');
  }
}

/**
 * A rule's page, from the package (it matches the installed version and opens offline), rendered and
 * read-only: a Markdown preview, not the raw file in an editable tab.
 */
async function showRuleDocumentation(context: vscode.ExtensionContext, ruleId: string | undefined): Promise<void> {
  if (!ruleId || !/^[a-z0-9-]+$/.test(ruleId)) return;
  await vscode.commands.executeCommand(
    'markdown.showPreview',
    vscode.Uri.file(context.asAbsolutePath(`docs/rules/${ruleId}.md`)),
  );
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
