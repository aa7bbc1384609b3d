import { Hover, MarkupKind } from 'vscode-languageserver/node';
import { allRules } from '../lint/registry';
import type { Diagnostic } from '../lint/rule';
import type { LintedDocument } from './document-linter';
import { ruleDocsUri, toRange } from './diagnostics';

/** On a finding: what goes wrong, what to do instead, and the rule's page. */
export function findingHover(linted: LintedDocument, offset: number): Hover | null {
  const lines = linted.file?.lines;
  if (!lines) return null;
  const findings = linted.result.diagnostics.filter((d) => d.span.start <= offset && offset <= d.span.end);
  if (findings.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: findings.map(explain).join('\n\n---\n\n') },
    range: toRange(lines, findings[0].span),
  };
}

function explain(diagnostic: Diagnostic): string {
  const rule = allRules().get(diagnostic.rule);
  const parts = [`**${diagnostic.rule}** (${diagnostic.severity})${rule ? ` — ${rule.summary}` : ''}`, diagnostic.message];
  if (diagnostic.help) parts.push(`**Instead:** ${diagnostic.help}`);
  parts.push(`[Rule documentation](${ruleDocsUri(diagnostic.rule)})`);
  return parts.join('\n\n');
}
