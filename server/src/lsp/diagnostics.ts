import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  Diagnostic as LspDiagnostic,
  DiagnosticSeverity,
  Range,
  TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import { PACKAGE_ROOT, docsPath } from '../lint/registry';
import type { Diagnostic, TextEdit } from '../lint/rule';
import type { Severity } from '../resolved-config';
import type { LineIndex, Span } from '../parse/text';

/** `Diagnostic.source` of everything Preflight publishes. */
export const SOURCE = 'preflight';

/**
 * What the code actions of one published diagnostic need (LSP `Diagnostic.data`). Everything is computed
 * when the diagnostic is published, against the text it was computed for, so that a code action request
 * needs no second lint and a stale edit is recognised by its version.
 */
export interface DiagnosticData {
  /** The document version the diagnostic and its edits belong to (-1: read from disk, not open). */
  version: number;
  /** The rule's quick fix (`Finding.fix`). */
  fix?: { title: string; safe: boolean; edits: LspTextEdit[] };
  /** Adds a `preflight-ignore` directive for the statement; absent where no statement holds the finding. */
  ignoreStatement?: LspTextEdit;
  /** Adds a `preflight-ignore-file` directive. */
  ignoreFile?: LspTextEdit;
}

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toLspDiagnostic(diagnostic: Diagnostic, lines: LineIndex, data: DiagnosticData): LspDiagnostic {
  return {
    range: toRange(lines, diagnostic.span),
    severity: SEVERITIES[diagnostic.severity],
    source: SOURCE,
    code: diagnostic.rule,
    codeDescription: { href: ruleDocsUri(diagnostic.rule) },
    // The help text (what to do instead) is in the hover, next to the docs link.
    message: diagnostic.message,
    data,
  };
}

/** The rule's page as a `file:` URI: it ships with the package, so it opens offline and matches the version. */
export function ruleDocsUri(ruleId: string): string {
  return pathToFileURL(path.join(PACKAGE_ROOT, docsPath(ruleId))).href;
}

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export function toLspEdit(lines: LineIndex, edit: TextEdit): LspTextEdit {
  return { range: toRange(lines, edit.span), newText: edit.newText };
}

export function isPreflightDiagnostic(
  diagnostic: LspDiagnostic,
): diagnostic is LspDiagnostic & { code: string; data: DiagnosticData } {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  return diagnostic.source === SOURCE && typeof diagnostic.code === 'string' && typeof data?.version === 'number';
}
