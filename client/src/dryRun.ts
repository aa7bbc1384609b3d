import * as path from 'path';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LSPErrorCodes,
  ResponseError,
  WorkDoneProgress,
  type LanguageClient,
} from 'vscode-languageclient/node';
import { ConnectionProblem, type Connections, type DryRunConnection } from './connections';
import { statementPlace, type DryRunAnnotations } from './dryRunAnnotations';
import type { DryRunPanel } from './dryRunPanel';
import type { DryRunArguments } from '../../shared/protocol';
import type { DryRunReport, DryRunStatement } from './dryRunReport';
import { outcomeSummary } from './dryRunFormat';
import type { DryRunStatusBar } from './statusBar';
import { RUN_ON_REMOTE, consentKey, refusedRemoteHost, remoteConsentQuestion } from './remoteConsent';
import { CODE_RUN_CONFIRMED, RUN_CODE, codeRunQuestion, refusedCodeRun } from './codeRunConsent';
import { DRY_RUN_UNTRUSTED, requireTrust } from './trust';

export interface DryRunParts {
  client: () => LanguageClient | undefined;
  connections: Connections;
  annotations: DryRunAnnotations;
  panel: DryRunPanel;
  statusBar: DryRunStatusBar;
  log: vscode.LogOutputChannel;
  /** Remembers, per workspace, that the user agreed to dry-runs running a file's code. */
  workspaceState: vscode.Memento;
}

/** What the user agreed to for one dry-run: a remote server, running the file's code. */
type Consents = Pick<DryRunArguments, 'allowRemote' | 'runCode'>;

/**
 * Runs dry-runs through the language server (which owns the engine) and shows the report in the panel,
 * inline and in Problems. The progress notification's Cancel cancels the LSP request; the server then
 * rolls the transaction back.
 */
export class DryRunner {
  private readonly running = new Set<string>();
  /** Connections (consentKey) whose server is elsewhere and that the user agreed to dry-run on. */
  private readonly remoteConsent = new Set<string>();
  private nextToken = 1;

  constructor(private readonly parts: DryRunParts) {}

  /** `preflight.dryRunFile`: from the palette (active editor) or a code lens (`[uri]`, `[uri, connection]`). */
  async dryRunFile(target?: string | vscode.Uri, connectionName?: string): Promise<void> {
    if (!requireTrust('Dry-run', DRY_RUN_UNTRUSTED)) return;
    const document = await this.documentFor(target);
    if (document) await this.run(document, undefined, connectionName);
  }

  /** `preflight.dryRunSelection`: only the statements inside the selection run. */
  async dryRunSelection(): Promise<void> {
    if (!requireTrust('Dry-run', DRY_RUN_UNTRUSTED)) return;
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage(
        'Preflight: select the statements to dry-run first (or use "Preflight: Dry Run Current File").',
      );
      return;
    }
    const document = await this.documentFor(editor.document.uri);
    if (document) await this.run(document, editor.selection);
  }

  private async documentFor(target: string | vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
    const uri =
      typeof target === 'string' ? vscode.Uri.parse(target) : (target ?? vscode.window.activeTextEditor?.document.uri);
    if (!uri) {
      void vscode.window.showInformationMessage('Preflight: open a migration file to dry-run it.');
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.isUntitled || uri.scheme !== 'file') {
      // The engine finds the config and the earlier migrations to replay from the file's location.
      void vscode.window.showInformationMessage(
        'Preflight: save the migration into your project first; a dry-run replays the migrations next to it.',
      );
      return undefined;
    }
    return document;
  }

  private async run(
    document: vscode.TextDocument,
    selection: vscode.Range | undefined,
    connectionName?: string,
  ): Promise<void> {
    const client = this.parts.client();
    if (!client?.isRunning()) {
      void vscode.window.showErrorMessage(
        'Preflight: the language server is not running. Run "Preflight: Restart Server" and try again.',
      );
      return;
    }
    const key = document.uri.toString();
    const fileName = path.basename(document.uri.fsPath);
    if (this.running.has(key)) {
      void vscode.window.showInformationMessage(`Preflight: a dry-run of ${fileName} is already running.`);
      return;
    }
    let connection: DryRunConnection | undefined;
    try {
      connection = await this.parts.connections.resolve(connectionName);
    } catch (error) {
      if (!(error instanceof ConnectionProblem)) throw error;
      void vscode.window.showErrorMessage(`Preflight: ${error.message}`);
      return;
    }
    const label = this.parts.connections.label(connection?.name ?? '');
    const args: DryRunArguments = {
      uri: key,
      ...(selection ? { range: client.code2ProtocolConverter.asRange(selection) } : {}),
      ...(connection ? { connection } : {}),
    };

    this.running.add(key);
    this.parts.statusBar.setRunning(fileName);
    this.parts.log.info(`dry-run of ${document.uri.fsPath}${selection ? ' (selection)' : ''} on ${label}`);
    try {
      const report = await this.withConsents(connection, document, (consents) =>
        vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: `Preflight: dry-run of ${fileName} on ${label}`,
            cancellable: true,
          },
          (progress, token) => this.request(client, { ...args, ...consents }, progress, token),
        ),
      );
      if (report) this.show(document, report);
      else this.parts.statusBar.setRunning(undefined);
    } catch (error) {
      this.parts.statusBar.setRunning(undefined);
      if (isCancellation(error)) {
        void vscode.window.showInformationMessage(
          `Preflight: dry-run of ${fileName} cancelled; the transaction was rolled back, nothing was committed.`,
        );
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      this.parts.log.error(`dry-run of ${document.uri.fsPath} failed: ${message}`);
      if (embeddedNotInstalled(error)) return this.offerWaysForward();
      const choice = await vscode.window.showErrorMessage(
        `Preflight: dry-run of ${fileName} could not run: ${message}`,
        'Show Output',
      );
      if (choice) this.parts.log.show(true);
    } finally {
      this.running.delete(key);
    }
  }

  /**
   * The universal package has no PostgreSQL binaries: say so and offer the two ways forward, the package built
   * for this platform (which has them) or a connection to a database of the user's own.
   */
  private async offerWaysForward(): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      'Preflight: this installation has no embedded PostgreSQL for your platform, so a dry-run needs a database. ' +
        "Install Preflight's package for your platform (it includes PostgreSQL), or add a connection to a database of your own.",
      INSTALL_PLATFORM_PACKAGE,
      ADD_CONNECTION,
    );
    if (choice === ADD_CONNECTION) await vscode.commands.executeCommand('preflight.addConnection');
    if (choice === INSTALL_PLATFORM_PACKAGE) await vscode.commands.executeCommand('extension.open', EXTENSION_ID);
  }

  /**
   * Runs the dry-run, asking for what the server refused it without, then running it again with consent:
   * a connection's host that is not on this machine (consent lasts for that connection until the window closes),
   * and running the file's own code (asked once per workspace; the file is saved first, because it runs as it is
   * on disk). Undefined when the user declines.
   */
  private async withConsents(
    connection: DryRunConnection | undefined,
    document: vscode.TextDocument,
    dryRun: (consents: Consents) => Thenable<DryRunReport>,
  ): Promise<DryRunReport | undefined> {
    const fileName = path.basename(document.uri.fsPath);
    const key = connection && consentKey(connection);
    const consents: Consents = key !== undefined && this.remoteConsent.has(key) ? { allowRemote: true } : {};
    // Each refusal is answered once: the loop ends after at most one consent of each kind.
    for (;;) {
      try {
        return await dryRun({ ...consents });
      } catch (error) {
        const host = refusedRemoteHost(error);
        if (host !== undefined && key !== undefined && !consents.allowRemote) {
          const choice = await vscode.window.showWarningMessage(
            remoteConsentQuestion(host, connection?.name, fileName),
            { modal: true },
            RUN_ON_REMOTE,
          );
          if (choice !== RUN_ON_REMOTE) return undefined;
          this.remoteConsent.add(key);
          consents.allowRemote = true;
        } else if (refusedCodeRun(error) && !consents.runCode) {
          if (!(await this.confirmCodeRun(fileName))) return undefined;
          if (document.isDirty && !(await document.save()))
            throw new Error(`${fileName} could not be saved, and a dry-run runs the file as it is on disk`);
          consents.runCode = true;
        } else {
          throw error;
        }
      }
    }
  }

  /** Says, once per workspace, that the file's code will run; true once the user chose to run it. */
  private async confirmCodeRun(fileName: string): Promise<boolean> {
    const { workspaceState } = this.parts;
    if (workspaceState.get<boolean>(CODE_RUN_CONFIRMED) === true) return true;
    const choice = await vscode.window.showWarningMessage(codeRunQuestion(fileName), { modal: true }, RUN_CODE);
    if (choice !== RUN_CODE) return false;
    await workspaceState.update(CODE_RUN_CONFIRMED, true);
    return true;
  }

  private async request(
    client: LanguageClient,
    args: DryRunArguments,
    progress: vscode.Progress<{ message?: string; increment?: number }>,
    token: vscode.CancellationToken,
  ): Promise<DryRunReport> {
    const workDoneToken = `preflight-dry-run-${this.nextToken++}`;
    let percentage = 0;
    const subscription = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind === 'end') return;
      const increment = value.percentage !== undefined ? Math.max(0, value.percentage - percentage) : undefined;
      if (value.percentage !== undefined) percentage = Math.max(percentage, value.percentage);
      progress.report({ message: value.message, increment });
    });
    try {
      // Passing the token makes the client send $/cancelRequest when the user presses Cancel.
      return (await client.sendRequest(
        ExecuteCommandRequest.type,
        { command: 'preflight.server.dryRun', arguments: [args], workDoneToken },
        token,
      )) as DryRunReport;
    } finally {
      subscription.dispose();
    }
  }

  private show(document: vscode.TextDocument, report: DryRunReport): void {
    this.parts.log.info(`${path.basename(document.uri.fsPath)}: ${outcomeSummary(report)}`);
    this.parts.annotations.show(document, report);
    this.parts.panel.show(document.uri, report);
    this.parts.statusBar.setOutcome(path.basename(document.uri.fsPath), report);
  }
}

const INSTALL_PLATFORM_PACKAGE = 'Install Platform Package';
const ADD_CONNECTION = 'Add Database Connection';
/** `publisher.name` from package.json: the Extensions page offers the platform-specific package there. */
const EXTENSION_ID = 'preflight.preflight';

/** The server's refusal of a dry-run without a connection in an installation without PostgreSQL binaries. */
function embeddedNotInstalled(error: unknown): boolean {
  return (error as { data?: { embeddedNotInstalled?: unknown } } | undefined)?.data?.embeddedNotInstalled === true;
}

function isCancellation(error: unknown): boolean {
  return error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled;
}

/**
 * Opens the migration (where it is already open, if it is) with the statement selected; for a program's
 * statement, the line of code that sent it, which may be in another of its modules.
 */
export async function revealStatement(uri: vscode.Uri, statement: DryRunStatement): Promise<void> {
  const target = statement.source ? vscode.Uri.file(statement.source.file) : uri;
  const document = await vscode.workspace.openTextDocument(target);
  const range = statementPlace(document, statement) ?? new vscode.Range(0, 0, 0, 0);
  const open = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === target.toString());
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: open?.viewColumn ?? vscode.ViewColumn.One,
    selection: range,
  });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
