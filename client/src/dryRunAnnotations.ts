import * as vscode from 'vscode';
import type { DryRunReport, DryRunStatement } from './dryRunReport';
import { lineSummary } from './dryRunFormat';

export const DRY_RUN_DIAGNOSTIC_SOURCE = 'preflight dry-run';

/**
 * What a dry-run leaves in the editor: a short summary after each statement ("500 rows · 3 ms ·
 * RowExclusiveLock") and the failed statement in the Problems panel. Both describe the text that was
 * run, so the first edit of the file removes them instead of letting them point at the wrong lines.
 */
export class DryRunAnnotations implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('preflight-dry-run');
  private readonly reports = new Map<string, DryRunReport>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.decoration,
      this.diagnostics,
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((editor) => this.decorate(editor))),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.clear(event.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.clear(document.uri)),
    ];
  }

  show(document: vscode.TextDocument, report: DryRunReport): void {
    this.reports.set(document.uri.toString(), report);
    this.diagnostics.set(
      document.uri,
      report.statements.filter((s) => s.status === 'error').flatMap((s) => failureDiagnostic(document, s) ?? []),
    );
    vscode.window.visibleTextEditors
      .filter((editor) => editor.document === document)
      .forEach((editor) => this.decorate(editor));
  }

  clear(uri: vscode.Uri): void {
    if (!this.reports.delete(uri.toString())) return;
    this.diagnostics.delete(uri);
    vscode.window.visibleTextEditors
      .filter((editor) => editor.document.uri.toString() === uri.toString())
      .forEach((editor) => editor.setDecorations(this.decoration, []));
  }

  private decorate(editor: vscode.TextEditor): void {
    const report = this.reports.get(editor.document.uri.toString());
    if (!report) return;
    // One summary per line: a program's loop sends many statements from one line of its code.
    const byLine = new Map<number, DryRunStatement[]>();
    for (const statement of report.statements) {
      const place = statementPlace(editor.document, statement);
      if (place) byLine.set(place.end.line, [...(byLine.get(place.end.line) ?? []), statement]);
    }
    const options = [...byLine].map(([line, statements]): vscode.DecorationOptions => {
      const lineEnd = editor.document.lineAt(line).range.end;
      const failed = statements.some((statement) => statement.status === 'error');
      return {
        range: new vscode.Range(lineEnd, lineEnd),
        renderOptions: {
          after: {
            contentText: lineSummary(statements),
            color: failed ? new vscode.ThemeColor('errorForeground') : undefined,
          },
        },
      };
    });
    editor.setDecorations(this.decoration, options);
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.reports.clear();
  }
}

function failureDiagnostic(document: vscode.TextDocument, statement: DryRunStatement): vscode.Diagnostic | undefined {
  const error = statement.error;
  // PostgreSQL says where in the statement it failed; the engine maps that to the file (1-based). A program's
  // statement has no such place (line 0): it goes where its code sent it, or only to the panel.
  let range =
    error && error.line >= 1
      ? new vscode.Range(error.line - 1, error.column - 1, error.endLine - 1, error.endColumn - 1)
      : statementPlace(document, statement);
  if (!range) return undefined;
  // A bare position would be an invisible squiggle: underline from there to the end of its line.
  if (range.isEmpty)
    range = new vscode.Range(
      range.start,
      document.lineAt(Math.min(range.start.line, document.lineCount - 1)).range.end,
    );
  const lines = [`Dry-run failed: ${error?.message ?? 'the statement failed'}`];
  if (error?.detail) lines.push(`Detail: ${error.detail}`);
  if (error?.hint) lines.push(`Hint: ${error.hint}`);
  if (error?.context) lines.push(`Context: ${error.context}`);
  lines.push('The transaction was rolled back; nothing was committed.');
  const diagnostic = new vscode.Diagnostic(range, lines.join('\n'), vscode.DiagnosticSeverity.Error);
  diagnostic.source = DRY_RUN_DIAGNOSTIC_SOURCE;
  if (error?.code) diagnostic.code = `SQLSTATE ${error.code}`;
  return diagnostic;
}

/**
 * Where a statement is in the document: a migration's by the report's UTF-16 offsets (the editor's own); a
 * program's by the line of its code that sent it (`source`) when that line is in this document. Undefined when it
 * has no place here: a program's statement sent from another module, or from code that could not be placed.
 */
export function statementPlace(document: vscode.TextDocument, statement: DryRunStatement): vscode.Range | undefined {
  const source = statement.source;
  if (source) {
    if (source.file !== document.uri.fsPath) return undefined;
    return document.lineAt(Math.min(Math.max(source.line - 1, 0), document.lineCount - 1)).range;
  }
  if (statement.line < 1) return undefined;
  return new vscode.Range(document.positionAt(statement.startOffset), document.positionAt(statement.endOffset));
}
