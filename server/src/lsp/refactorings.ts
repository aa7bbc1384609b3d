import { pathToFileURL } from 'url';
import type { ClientCapabilities, WorkspaceEdit } from 'vscode-languageserver/node';
import type { Refactoring } from '../lint/rule';
import type { MigrationFile } from '../parse/migration';

/**
 * A rule's refactoring (`Rule.refactoring`, e.g. mixed-ddl-dml's split) as one workspace edit: the original
 * document (at the version it was planned on) replaced by the plan's first file, then each new file created and
 * filled. The client applies it atomically and can undo it. What to rewrite is the rule's business; this only
 * speaks the protocol.
 */
export function refactoringEdit(
  refactoring: Refactoring,
  source: { uri: string; version: number; file: MigrationFile },
  capabilities: ClientCapabilities,
): { edit: WorkspaceEdit; files: string[] } | { problem: string } {
  const workspaceEdit = capabilities.workspace?.workspaceEdit;
  if (!workspaceEdit?.documentChanges || !workspaceEdit.resourceOperations?.includes('create')) {
    return {
      problem: `This editor cannot create files through a language server, so "${refactoring.title}" cannot be applied here.`,
    };
  }
  const plan = refactoring.plan(source.file);
  if ('problem' in plan) return plan;
  const [first, ...rest] = plan.files;
  const lines = source.file.lines;
  const whole = { start: { line: 0, character: 0 }, end: lines.positionAt(source.file.text.length) };
  const start = { line: 0, character: 0 };
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [
    { textDocument: { uri: source.uri, version: source.version }, edits: [{ range: whole, newText: first.text }] },
  ];
  for (const part of rest) {
    const uri = pathToFileURL(part.path).href;
    documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
    documentChanges.push({
      textDocument: { uri, version: null },
      edits: [{ range: { start, end: start }, newText: part.text }],
    });
  }
  return { edit: { documentChanges }, files: rest.map((part) => part.path) };
}
