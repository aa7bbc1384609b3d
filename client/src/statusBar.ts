import * as vscode from 'vscode';
import type { Connections } from './connections';
import type { DryRunReport } from './dryRunReport';
import { outcomeSummary } from './dryRunFormat';

/**
 * "$(database) staging · $(pass) dry-run ok": which database the next dry-run uses, and how the last one
 * ended. Clicking it selects another connection.
 */
export class DryRunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('preflight.status', vscode.StatusBarAlignment.Left, 10);
  private lastRun?: { file: string; report: DryRunReport };
  private running?: string;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly connections: Connections) {
    this.item.name = 'Preflight';
    this.item.command = 'preflight.selectConnection';
    let selected = connections.selectedName();
    this.subscription = connections.onDidChange(() => {
      // The last outcome was on the database selected then: after switching, it would describe the new one.
      if (connections.selectedName() !== selected) this.lastRun = undefined;
      selected = connections.selectedName();
      this.render();
    });
    this.render();
    this.item.show();
  }

  setRunning(file: string | undefined): void {
    this.running = file;
    this.render();
  }

  setOutcome(file: string, report: DryRunReport): void {
    this.lastRun = { file, report };
    this.running = undefined;
    this.render();
  }

  private render(): void {
    const connection = this.connections.label();
    let text = `$(database) ${connection}`;
    const tooltip = new vscode.MarkdownString(
      `**Preflight** — dry-runs use **${connection}**. Click to select another database.`,
    );
    if (this.running) {
      text += ' · $(sync~spin) dry-run…';
      tooltip.appendMarkdown(`\n\nRunning a dry-run of \`${this.running}\`.`);
    } else if (this.lastRun) {
      const { outcome } = this.lastRun.report;
      const icon = outcome === 'ok' ? '$(pass)' : outcome === 'failed' ? '$(error)' : '$(circle-slash)';
      text += ` · ${icon} ${outcome === 'ok' ? 'dry-run ok' : outcome === 'failed' ? 'dry-run failed' : 'dry-run cancelled'}`;
      tooltip.appendMarkdown(`\n\nLast: \`${this.lastRun.file}\` — ${outcomeSummary(this.lastRun.report)}.`);
    }
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor =
      !this.running && this.lastRun?.report.outcome === 'failed'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
