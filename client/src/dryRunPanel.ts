import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DryRunReport, DryRunStatement } from './dryRunReport';
import { renderReport } from './dryRunHtml';
import { StatementPlace, followEdits } from './editedSince';

/**
 * The dry-run results panel: one row per statement (status, rows, time, locks, flagged plans, error).
 * Clicking a row reveals the statement in its editor. The page is static HTML (dryRunHtml.ts) with no
 * access to local files; its one script posts the clicked row's index back. Once the file is edited the page
 * says it is out of date (and which statements changed), and clicks follow the statements to where they are now.
 */
export class DryRunPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private shown?: { uri: vscode.Uri; report: DryRunReport; places: StatementPlace[]; edited: boolean };
  private readonly subscription: vscode.Disposable;

  constructor(private readonly reveal: (uri: vscode.Uri, statement: DryRunStatement) => Promise<void>) {
    this.subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (
        !this.shown ||
        event.contentChanges.length === 0 ||
        event.document.uri.toString() !== this.shown.uri.toString()
      )
        return;
      this.shown.places = followEdits(this.shown.places, event.contentChanges);
      const edited = this.shown.places.flatMap((place, i) =>
        place.edited ? [this.shown!.report.statements[i].index] : [],
      );
      // The first edit changes the page; later ones only move the places (no re-render per keystroke).
      if (!this.shown.edited || edited.length > 0) this.render(edited);
      this.shown.edited = true;
    });
  }

  show(uri: vscode.Uri, report: DryRunReport): void {
    const places = report.statements.map((s) => ({
      startOffset: s.startOffset,
      endOffset: s.endOffset,
      edited: false,
    }));
    this.shown = { uri, report, places, edited: false };
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
    this.render();
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  /** `edited`: the indexes of statements whose text changed; absent while the file is as it ran. */
  private render(edited?: number[]): void {
    if (!this.panel || !this.shown) return;
    const { uri, report } = this.shown;
    this.panel.webview.html = renderReport(
      report,
      path.basename(uri.fsPath),
      crypto.randomBytes(16).toString('base64'),
      edited,
    );
  }

  private onMessage(message: unknown): void {
    const { type, index } = (message ?? {}) as { type?: unknown; index?: unknown };
    if (type !== 'reveal' || typeof index !== 'number' || !this.shown) return;
    const position = this.shown.report.statements.findIndex((s) => s.index === index);
    if (position < 0) return;
    const { startOffset, endOffset } = this.shown.places[position];
    void this.reveal(this.shown.uri, { ...this.shown.report.statements[position], startOffset, endOffset });
  }

  dispose(): void {
    this.subscription.dispose();
    this.panel?.dispose();
  }
}
