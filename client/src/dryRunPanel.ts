import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DryRunReport, DryRunStatement } from './dryRunReport';
import { renderReport } from './dryRunHtml';

/**
 * The dry-run results panel: one row per statement (status, rows, time, locks, flagged plans, error).
 * Clicking a row reveals the statement in its editor. The page is static HTML (dryRunHtml.ts) with no
 * access to local files; its one script posts the clicked row's index back.
 */
export class DryRunPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private shown?: { uri: vscode.Uri; report: DryRunReport };

  constructor(private readonly reveal: (uri: vscode.Uri, statement: DryRunStatement) => Promise<void>) {}

  show(uri: vscode.Uri, report: DryRunReport): void {
    this.shown = { uri, report };
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'preflight.dryRunResults',
        'Dry Run',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, enableFindWidget: true, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
      this.panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message));
    }
    this.panel.title = `Dry Run: ${path.basename(uri.fsPath)}`;
    this.panel.webview.html = renderReport(report, path.basename(uri.fsPath), crypto.randomBytes(16).toString('base64'));
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  private onMessage(message: unknown): void {
    const { type, index } = (message ?? {}) as { type?: unknown; index?: unknown };
    if (type !== 'reveal' || typeof index !== 'number' || !this.shown) return;
    const statement = this.shown.report.statements.find((s) => s.index === index);
    if (statement) void this.reveal(this.shown.uri, statement);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
