import { CodeAction, CodeActionKind, CodeActionParams, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isPreflightDiagnostic } from './diagnostics';

export const SPLIT_MIGRATION_COMMAND = 'preflight.server.splitMigration';

/** What the client can do with code actions (from `initialize`). */
export interface CodeActionSupport {
  /** `WorkspaceEdit.documentChanges`: versioned edits, refused by the client when the text moved on. */
  documentChanges: boolean;
  /** `CodeAction.disabled`: an action shown greyed out with the reason. */
  disabled: boolean;
}

/** Answers why a migration cannot be split, or undefined when it can (see `split-migration.ts`). */
export type SplitCheck = (document: TextDocument) => string | undefined;

/** The edits that format the SQL template literals of a TS/JS document that `range` touches (none for other files). */
export type EmbeddedSqlFormat = (document: TextDocument, range: Range) => TextEdit[];

const FORMAT_EMBEDDED_SQL_TITLE = 'Format embedded SQL';

/**
 * Quick fixes and refactors for Preflight's diagnostics, built from the `data` each diagnostic was
 * published with. A diagnostic from an older version of the document offers nothing: its edits would land
 * in the wrong place, and the next lint (at most one debounce interval away) brings fresh ones.
 */
export function codeActions(
  document: TextDocument,
  params: CodeActionParams,
  support: CodeActionSupport,
  splitCheck: SplitCheck,
  formatEmbedded?: EmbeddedSqlFormat,
): CodeAction[] {
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  const add = (action: CodeAction) => {
    const key = `${action.title}\0${JSON.stringify(action.edit ?? action.command)}`;
    if (seen.has(key)) return;
    seen.add(key);
    actions.push(action);
  };
  const edit = (edits: TextEdit[]): WorkspaceEdit =>
    support.documentChanges
      ? { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits }] }
      : { changes: { [document.uri]: edits } };

  for (const diagnostic of params.context.diagnostics) {
    if (!isPreflightDiagnostic(diagnostic) || diagnostic.data.version !== document.version) continue;
    const { fix, ignoreStatement, ignoreFile } = diagnostic.data;
    const rule = diagnostic.code;
    if (fix) {
      add({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.safe, edit: edit(fix.edits) });
    }
    if (ignoreStatement) {
      add({ title: `Ignore ${rule} for this statement`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit([ignoreStatement]) });
    }
    if (ignoreFile) {
      add({ title: `Ignore ${rule} for this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit([ignoreFile]) });
    }
    if (rule === 'mixed-ddl-dml') {
      const problem = splitCheck(document);
      const split: CodeAction = {
        title: 'Split into schema and data migrations (DDL / DML / DDL)',
        kind: CodeActionKind.RefactorRewrite,
        diagnostics: [diagnostic],
        command: { title: 'Split migration', command: SPLIT_MIGRATION_COMMAND, arguments: [{ uri: document.uri }] },
      };
      if (!problem) add(split);
      else if (support.disabled) add({ ...split, disabled: { reason: problem } });
    }
  }
  const formatted = formatEmbedded?.(document, params.range) ?? [];
  if (formatted.length > 0) add({ title: FORMAT_EMBEDDED_SQL_TITLE, kind: CodeActionKind.RefactorRewrite, edit: edit(formatted) });
  const only = params.context.only;
  return only ? actions.filter((action) => only.some((kind) => action.kind === kind || action.kind!.startsWith(`${kind}.`))) : actions;
}
