import { alterTableCommands, actionFileSpan } from '../lint/alter-table';
import { downSpans, isInDown } from '../lint/down-sections';
import { Rule } from '../lint/rule';
import { rowChanges } from '../lint/row-changes';
import { droppedObjects, sqlStatements } from '../lint/statements';
import { truncations } from '../lint/truncations';
import type { Operation } from '../parse/migration';
import type { Span } from '../parse/text';

/** A statement or call of a down migration that destroys stored data. */
interface DataLoss {
  span: Span;
  operation: Operation;
  /** What is lost: `table public.visit_notes and its rows`, `column billing_code of public.visits`. */
  what: string;
}

/** `-- DESTRUCTIVE: what is lost` (or `// DESTRUCTIVE:` in TS/JS), with something after the colon. */
const ACKNOWLEDGEMENT = /(?:--|\/\/|\/\*|^\s*\*|#)[ \t]*DESTRUCTIVE:[ \t]*\S/m;

export const rule: Rule = {
  id: 'destructive-down',
  severity: 'warning',
  summary: 'A down migration that drops tables, columns or rows without a `DESTRUCTIVE:` comment saying what is lost.',
  examples: {
    fileName: 'example.down.sql',
    bad: 'ALTER TABLE visits DROP COLUMN billing_code;',
    good: '-- DESTRUCTIVE: drops visits.billing_code, the billing codes entered since the up migration ran\nALTER TABLE visits DROP COLUMN billing_code;',
  },
  check({ file, report }) {
    const spans = downSpans(file);
    if (spans.length === 0) return;
    const losses = dataLosses(file).filter((loss) => isInDown(spans, loss.operation));
    for (const span of spans) {
      const inSection = losses.filter((loss) => span.start <= loss.span.start && loss.span.start < span.end);
      if (inSection.length === 0 || ACKNOWLEDGEMENT.test(file.text.slice(span.start, span.end))) continue;
      // One finding per down migration: one comment answers for all of it.
      const [first, ...more] = inSection;
      report({
        span: first.span,
        message:
          `This down migration drops ${first.what}${alsoLost(more)}. Rolling back loses whatever was written there since ` +
          'the up migration ran — data no later up migration brings back — and nothing in the file says so.',
        help:
          'If losing it is accepted, say what is lost where the person rolling back will read it: ' +
          '`-- DESTRUCTIVE: <what is lost>` in the down migration. Otherwise keep the data (rename the table or column ' +
          'aside, or copy it out) instead of dropping it.',
      });
    }
  },
};

/** `, and column x of t` / `, and 3 more (a; b; ...)`. */
function alsoLost(more: readonly DataLoss[]): string {
  if (more.length === 0) return '';
  if (more.length === 1) return `, and ${more[0].what}`;
  const listed = more
    .slice(0, 2)
    .map((loss) => loss.what)
    .join('; ');
  return `, and ${more.length} more (${listed}${more.length > 2 ? '; ...' : ''})`;
}

function dataLosses(file: Parameters<Rule['check']>[0]['file']): DataLoss[] {
  const losses: DataLoss[] = [];
  for (const dropped of sqlStatements(file, 'DropStmt')) {
    if (dropped.node.removeType === 'OBJECT_TABLE') {
      for (const object of droppedObjects(dropped))
        losses.push({ span: object.span, operation: dropped.operation, what: `table ${object.name} and its rows` });
    } else if (dropped.node.removeType === 'OBJECT_SCHEMA') {
      losses.push({
        span: dropped.statement.fileSpan,
        operation: dropped.operation,
        what: 'a schema and every table in it',
      });
    }
  }
  for (const command of alterTableCommands(file)) {
    if (command.cmd.subtype !== 'AT_DropColumn') continue;
    losses.push({
      span: actionFileSpan(command),
      operation: command.operation,
      what: `column ${command.cmd.name} of ${command.table} and its values`,
    });
  }
  for (const truncation of truncations(file)) {
    losses.push({
      span: truncation.tableSpan,
      operation: truncation.operation,
      what: `every row of ${truncation.table}`,
    });
  }
  for (const change of rowChanges(file)) {
    if (change.action === 'delete' && change.everyRow)
      losses.push({ span: change.tableSpan, operation: change.operation, what: `every row of ${change.table}` });
  }
  return losses.sort((a, b) => a.span.start - b.span.start);
}
