import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isPreflightDiagnostic } from './diagnostics';

/** Applies a rule's refactoring (`Rule.refactoring`) to an open document: `[{ uri, rule }]`. */
export const APPLY_REFACTORING_COMMAND = 'preflight.server.applyRefactoring';

/** What the client can do with code actions (from `initialize`). */
export interface CodeActionSupport {
  /** `WorkspaceEdit.documentChanges`: versioned edits, refused by the client when the text moved on. */
  documentChanges: boolean;
  /** `CodeAction.disabled`: an action shown greyed out with the reason. */
  disabled: boolean;
  /** The client registered SHOW_RULE_DOCUMENTATION_COMMAND (initializationOptions.clientCommands). */
  showRuleDocumentation: boolean;
}

/**
 * The refactoring a rule offers for the document (its title), and why it cannot apply there if it cannot;
 * undefined when the rule offers none.
 */
export type RefactoringCheck = (
  document: TextDocument,
  rule: string,
) => { title: string; problem?: string } | undefined;

/** The edits of every safe fix of the document's current findings that can be applied together. */
export type FixAll = (document: TextDocument) => TextEdit[];

/** `editor.codeActionsOnSave: { "source.fixAll.preflight": "explicit" }` runs this kind (as ESLint's `source.fixAll.eslint`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.preflight`;

/** The client command that opens a rule's page rendered and read-only, for clients that said they have it. */
export const SHOW_RULE_DOCUMENTATION_COMMAND = 'preflight.showRuleDocumentation';

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
  refactoringCheck: RefactoringCheck,
  fixAll: FixAll,
  formatEmbedded?: EmbeddedSqlFormat,
): CodeAction[] {
  const only = params.context.only;
  // Source actions run on request only (on save, or from the Source Action menu): computing them for every
  // lightbulb would lint-fix the whole file on each cursor move.
  if (only?.some((kind) => FIX_ALL_KIND === kind || FIX_ALL_KIND.startsWith(`${kind}.`))) {
    const edits = fixAll(document);
    return edits.length
      ? [
          {
            title: 'Fix all auto-fixable Preflight problems',
            kind: FIX_ALL_KIND,
            edit: versionedEdit(document, support, edits),
          },
        ]
      : [];
  }
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  const add = (action: CodeAction) => {
    const key = `${action.title}\0${JSON.stringify(action.edit ?? action.command)}`;
    if (seen.has(key)) return;
    seen.add(key);
    actions.push(action);
  };
  const edit = (edits: TextEdit[]) => versionedEdit(document, support, edits);

  for (const diagnostic of params.context.diagnostics) {
    if (!isPreflightDiagnostic(diagnostic) || diagnostic.data.version !== document.version) continue;
    const { fix, ignoreStatement, ignoreFile } = diagnostic.data;
    const rule = diagnostic.code;
    if (fix) {
      add({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.safe,
        edit: edit(fix.edits),
      });
    }
    if (support.showRuleDocumentation) {
      add({
        title: `Show documentation for ${rule}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: 'Show documentation', command: SHOW_RULE_DOCUMENTATION_COMMAND, arguments: [rule] },
      });
    }
    if (ignoreStatement) {
      add({
        title: `Ignore ${rule} for this statement`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: edit([ignoreStatement]),
      });
    }
    if (ignoreFile) {
      add({
        title: `Ignore ${rule} for this file`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: edit([ignoreFile]),
      });
    }
    const refactoring = refactoringCheck(document, rule);
    if (refactoring) {
      const action: CodeAction = {
        title: refactoring.title,
        kind: CodeActionKind.RefactorRewrite,
        diagnostics: [diagnostic],
        command: {
          title: refactoring.title,
          command: APPLY_REFACTORING_COMMAND,
          arguments: [{ uri: document.uri, rule }],
        },
      };
      if (!refactoring.problem) add(action);
      else if (support.disabled) add({ ...action, disabled: { reason: refactoring.problem } });
    }
  }
  const formatted = formatEmbedded?.(document, params.range) ?? [];
  if (formatted.length > 0)
    add({ title: FORMAT_EMBEDDED_SQL_TITLE, kind: CodeActionKind.RefactorRewrite, edit: edit(formatted) });
  return only
    ? actions.filter((action) => only.some((kind) => action.kind === kind || action.kind!.startsWith(`${kind}.`)))
    : actions;
}

function versionedEdit(document: TextDocument, support: CodeActionSupport, edits: TextEdit[]): WorkspaceEdit {
  return support.documentChanges
    ? { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits }] }
    : { changes: { [document.uri]: edits } };
}
