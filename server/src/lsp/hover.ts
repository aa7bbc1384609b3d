import { Hover, MarkupKind } from 'vscode-languageserver/node';
import { allRules } from '../lint/registry';
import type { Diagnostic } from '../lint/rule';
import { qualifiedName, walk } from '../parse/ast';
import type { TableTouch } from '../parse/classify';
import type { MigrationFile, Operation } from '../parse/migration';
import type { Span } from '../parse/text';
import type { Catalog, IndexInfo, TableInfo, TriggerInfo } from '../schema/catalog';
import type { CatalogTimeline } from '../schema/timeline';
import type { LintedDocument } from './document-linter';
import { ruleDocsUri, toRange } from './diagnostics';

/**
 * Hover: on a table name, what the schema model knows of the table at that point of the migration (earlier
 * migrations replayed, plus what this file did before the statement); on a finding, what to do instead and the
 * rule's page. The finding's message is not repeated: editors show it in their own diagnostic hover next to
 * this one, and the schema comes first so that it is not pushed below the fold by text already on screen.
 */
export function hover(linted: LintedDocument, offset: number): Hover | null {
  const lines = linted.file?.lines;
  if (!lines) return null;
  const findings = linted.result.diagnostics.filter((d) => d.span.start <= offset && offset <= d.span.end);
  const table =
    linted.file && linted.catalog && linted.result.timeline
      ? describeTableAt(linted.catalog, linted.result.timeline, linted.file, offset)
      : undefined;
  const sections = [...(table ? [table.markdown] : []), ...findings.map(explain)];
  if (sections.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') },
    range: toRange(lines, table?.span ?? findings[0].span),
  };
}

function explain(diagnostic: Diagnostic): string {
  const rule = allRules().get(diagnostic.rule);
  const parts = [`**${diagnostic.rule}** (${diagnostic.severity})${rule ? ` — ${rule.summary}` : ''}`];
  if (diagnostic.help) parts.push(`**Instead:** ${diagnostic.help}`);
  parts.push(`[Rule documentation](${ruleDocsUri(diagnostic.rule)})`);
  return parts.join('\n\n');
}

/** The table named at `offset` as the lint's timeline has it just before that statement. */
function describeTableAt(
  before: Catalog,
  timeline: CatalogTimeline,
  file: MigrationFile,
  offset: number,
): { markdown: string; span: Span } | undefined {
  const operation = file.operations.find((op) => op.fileSpan.start <= offset && offset <= op.fileSpan.end);
  const reference = operation && tableReferenceAt(operation, offset);
  const table = reference && timeline.catalogAt(operation).tables.get(reference.table);
  return table
    ? { markdown: describeTable(table, before.tables.has(reference.table)), span: reference.span }
    : undefined;
}

/** The table named at `offset`: a table the operation changes, or any relation its SQL reads or writes. */
function tableReferenceAt(operation: Operation, offset: number): TableTouch | undefined {
  const within = (span: Span) => span.start <= offset && offset <= span.end;
  const touched = operation.tables.find(
    (touch) =>
      touch.span.end - touch.span.start < operation.fileSpan.end - operation.fileSpan.start && within(touch.span),
  );
  if (touched) return touched;
  const statement = operation.statement;
  let found: TableTouch | undefined;
  walk(statement?.node, (type, fields) => {
    if (found || type !== 'RangeVar') return;
    const span = statement!.locate(fields.location);
    const table = qualifiedName(fields);
    if (table && within(span)) found = { table, span };
  });
  return found;
}

function describeTable(table: TableInfo, existedBefore: boolean): string {
  const origin = existedBefore ? 'before this migration' : 'created earlier in this migration';
  const parts = [`**${table.name}** — table, as the schema stands ${origin}`];
  if (table.uncertain) parts.push(`_Possibly incomplete: ${table.uncertain}_`);
  parts.push(
    [
      '| Column | Type | Null | Default |',
      '|---|---|---|---|',
      ...table.columns.map(
        (c) =>
          `| ${c.name} | ${c.type} | ${c.nullable ? 'null' : 'not null'} | ${c.identity ? `identity (${c.identity})` : (c.default ?? '')} |`,
      ),
    ].join('\n'),
  );
  parts.push(`**Indexes:** ${table.indexes.length ? table.indexes.map(describeIndex).join('; ') : 'none'}`);
  if (table.triggers.length) parts.push(`**Triggers:** ${table.triggers.map(describeTrigger).join('; ')}`);
  parts.push(
    `**Rows:** ${table.rowEstimate !== undefined ? `about ${table.rowEstimate.toLocaleString('en-US')} (database statistics)` : 'unknown (replayed migrations carry no row counts)'}`,
  );
  return parts.join('\n\n');
}

function describeIndex(index: IndexInfo): string {
  const keys = index.keys
    .map((key) => ('column' in key ? key.column : key.expression) + (key.descending ? ' DESC' : ''))
    .join(', ');
  const kind = index.primary ? 'primary key ' : index.unique ? 'unique ' : '';
  return `\`${index.name}\` ${kind}${index.method} (${keys})${index.predicate ? ` WHERE ${index.predicate}` : ''}`;
}

function describeTrigger(trigger: TriggerInfo): string {
  const events = trigger.events.map((e) => e.toUpperCase()).join(' OR ');
  const deferred = trigger.constraint && trigger.initiallyDeferred ? ', deferred constraint trigger' : '';
  return `\`${trigger.name}\` ${trigger.timing.toUpperCase()} ${events}${trigger.forEachRow ? ' FOR EACH ROW' : ''} → ${trigger.function}()${deferred}${trigger.enabled ? '' : ' (disabled)'}`;
}
