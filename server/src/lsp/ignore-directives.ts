import { IgnoreDirective, findIgnoreDirectives } from '../lint/directives';
import type { Diagnostic, TextEdit } from '../lint/rule';
import type { MigrationFile, Operation } from '../parse/migration';
import { lineBreakOf } from '../parse/text';

/** Written where the reason goes: a directive without one hides why the risk was accepted. */
const REASON_PLACEHOLDER = 'explain why this is safe';

/**
 * The edits behind "Ignore <rule> for this statement / for this file" for one lint of a file: a directive
 * comment in the file's own comment syntax (`-- preflight-ignore rule: reason` in SQL,
 * `// preflight-ignore rule: reason` in TS/JS), or the rule id added to a directive that already covers the
 * statement, so that a statement never collects a stack of directives. The semantics are those of
 * `lint/directives.ts`.
 */
export class IgnoreDirectiveEdits {
  private readonly directives: readonly IgnoreDirective[];
  private readonly fileEdits = new Map<string, TextEdit>();

  constructor(private readonly file: MigrationFile) {
    this.directives = findIgnoreDirectives(file);
  }

  /** Silences `diagnostic` on its statement; undefined where no statement holds it. */
  statement(diagnostic: Diagnostic): TextEdit | undefined {
    const { file } = this;
    const offset = diagnostic.span.start;
    const index = operationAt(file.operations, offset);
    if (index < 0) return undefined;
    const operation = file.operations[index];
    const covering = this.directives.find(
      (d) => !isFileDirective(d) && d.rules.length > 0 && d.scope.start <= offset && offset <= d.scope.end,
    );
    const extension = covering && extendDirective(file, covering, diagnostic.rule);
    if (extension) return extension;

    const anchor = anchorOf(operation);
    const line = file.lines.positionAt(anchor).line;
    const lineStart = file.lines.offsetAt({ line, character: 0 });
    const indent = /^[ \t]*/.exec(file.lines.lineText(line))![0];
    const directive = `${commentMarker(file)} preflight-ignore ${diagnostic.rule}: ${REASON_PLACEHOLDER}`;
    const eol = lineBreakOf(file.text);
    // A directive silences the next statement after it; when another statement starts earlier on the same
    // line, the directive must go between the two.
    const previous = file.operations[index - 1];
    const sharesLine =
      previous !== undefined &&
      previous.fileSpan.start >= lineStart &&
      previous.fileSpan.start < anchor &&
      !sameCall(previous, operation);
    if (sharesLine)
      return { span: { start: anchor, end: anchor }, newText: `${eol}${indent}${directive}${eol}${indent}` };
    return { span: { start: lineStart, end: lineStart }, newText: `${indent}${directive}${eol}` };
  }

  /** Silences `rule` in the whole file. */
  wholeFile(rule: string): TextEdit {
    let edit = this.fileEdits.get(rule);
    if (!edit) {
      edit = this.newFileEdit(rule);
      this.fileEdits.set(rule, edit);
    }
    return edit;
  }

  private newFileEdit(rule: string): TextEdit {
    const { file } = this;
    const existing = this.directives.find(
      (d) => isFileDirective(d) && d.rules.length > 0 && /^\s*preflight-ignore-file\b/.test(d.comment.body),
    );
    const extension = existing && extendDirective(file, existing, rule);
    if (extension) return extension;
    // Below a `#!` line, which must stay the first line of an executable script.
    const line = file.text.startsWith('#!') && file.lines.lineCount > 1 ? 1 : 0;
    const at = file.lines.offsetAt({ line, character: 0 });
    return {
      span: { start: at, end: at },
      newText: `${commentMarker(file)} preflight-ignore-file ${rule}: ${REASON_PLACEHOLDER}${lineBreakOf(file.text)}`,
    };
  }
}

/** The index of the operation holding `offset` (operations are in file order and do not overlap), or -1. */
function operationAt(operations: readonly Operation[], offset: number): number {
  let low = 0;
  let high = operations.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (operations[mid].fileSpan.start <= offset) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found >= 0 && offset <= operations[found].fileSpan.end ? found : -1;
}

/** Adds `, rule` after the rule list of a `preflight-ignore` directive (not squawk's: that one is squawk's). */
function extendDirective(file: MigrationFile, directive: IgnoreDirective, rule: string): TextEdit | undefined {
  const comment = file.text.slice(directive.comment.span.start, directive.comment.span.end);
  const match = /preflight-ignore(?:-file)?[ \t]+[^:*\r\n]*[^:*\s]/.exec(comment);
  if (!match) return undefined;
  const at = directive.comment.span.start + match.index + match[0].length;
  return { span: { start: at, end: at }, newText: `, ${rule}` };
}

function isFileDirective(directive: IgnoreDirective): boolean {
  return /^\s*(?:preflight|squawk)-ignore-file\b/.test(directive.comment.body);
}

/** Where a statement begins for a reader: in TS/JS, the call that sends it. */
function anchorOf(operation: Operation): number {
  return operation.call ? operation.call.span.start : operation.fileSpan.start;
}

function sameCall(a: Operation, b: Operation): boolean {
  return a.call !== undefined && a.call === b.call;
}

function commentMarker(file: MigrationFile): string {
  return file.language === 'sql' ? '--' : '//';
}
