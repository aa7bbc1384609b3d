import type { DirectiveComment, MigrationFile } from '../parse/migration';
import type { Span } from '../parse/text';

/**
 * `-- preflight-ignore rule-a, rule-b: reason` silences those rules on the next statement (in TS/JS, the
 * next call: `// preflight-ignore rule-a`); `-- preflight-ignore-file rule-a` on the whole file. No rule
 * list means every rule. squawk's `squawk-ignore` / `squawk-ignore-file` are honoured too, so teams can
 * switch without rewriting their migrations.
 */
export interface IgnoreDirective {
  comment: DirectiveComment;
  /** Rule ids as written; empty means all rules. */
  rules: string[];
  /** The region whose findings are silenced. */
  scope: Span;
  /** Rule ids (or '*') that silenced at least one finding. */
  used: Set<string>;
}

const IGNORE_DIRECTIVE = /^\s*(?:preflight|squawk)-ignore(-file)?(?=\s|:|$)([^:]*)/;

export function findIgnoreDirectives(file: MigrationFile): IgnoreDirective[] {
  const directives: IgnoreDirective[] = [];
  for (const comment of file.comments) {
    const match = IGNORE_DIRECTIVE.exec(comment.body);
    if (!match) continue;
    const rules = match[2].split(/[\s,]+/).filter(Boolean);
    const scope = match[1] ? { start: 0, end: file.text.length } : nextStatementScope(file, comment.span.end);
    directives.push({ comment, rules, scope, used: new Set() });
  }
  return directives;
}

/** From the comment to the end of the next statement (TS/JS: of the call that holds it). */
function nextStatementScope(file: MigrationFile, after: number): Span {
  const next = file.operations.find((operation) => operation.fileSpan.start >= after);
  if (!next) return { start: after, end: after };
  const end = next.call && next.call.kind === 'sql' ? next.call.span.end : next.fileSpan.end;
  return { start: after, end };
}

/**
 * Drops the diagnostics that a directive silences, recording which directive rule ids were used. A directive
 * needs only a finding's rule and where it starts, so the rule API (which hands directives to rules) and
 * this module do not import each other.
 */
export function applyIgnoreDirectives<D extends { rule: string; span: Span }>(
  diagnostics: D[],
  directives: IgnoreDirective[],
): D[] {
  if (directives.length === 0) return diagnostics;
  return diagnostics.filter((diagnostic) => {
    let silenced = false;
    for (const directive of directives) {
      if (diagnostic.span.start < directive.scope.start || diagnostic.span.start > directive.scope.end) continue;
      if (directive.rules.length === 0) directive.used.add('*');
      else if (directive.rules.includes(diagnostic.rule)) directive.used.add(diagnostic.rule);
      else continue;
      silenced = true;
    }
    return !silenced;
  });
}
