import { describeOperation } from '../lint/describe';
import { Rule } from '../lint/rule';
import { touchesOnlySessionPrivate } from '../lint/session-private';
import { DIALECTS, DIALECT_NAMES } from '../parse/dialect';
import type { Operation } from '../parse/migration';
import { pendingTriggerFailures } from '../schema/pending-triggers';

const SPLIT_HELP =
  'Split it into separate migrations that each run in their own transaction: the schema change, then the ' +
  'data change, then any schema change that depends on the data (DDL / DML / DDL).';

export const rule: Rule = {
  id: 'mixed-ddl-dml',
  severity: 'warning',
  summary: 'Schema changes (DDL) and data changes (DML) in one transaction.',
  dialects: DIALECTS,
  examples: {
    bad: 'ALTER TABLE sync_lookup ADD COLUMN note text;\nUPDATE sync_lookup SET note = \'\';',
    good: 'BEGIN;\nALTER TABLE sync_lookup ADD COLUMN note text;\nCOMMIT;\nBEGIN;\nUPDATE sync_lookup SET note = \'\';\nCOMMIT;',
  },
  check({ file, catalog, report }) {
    // With a schema, a data change on a table with a deferred constraint trigger followed by DDL on that table
    // is not a style problem: PostgreSQL refuses the DDL, and the migration fails.
    const failures = catalog && file.dialect === 'postgresql' ? pendingTriggerFailures(file, catalog) : new Map();
    for (const block of file.transactions) {
      const created = new Set<string>();
      let firstDdl: Operation | undefined;
      let firstDml: Operation | undefined;
      for (const operation of block.operations) {
        // A TEMP staging table is the session's own: creating, filling or altering it changes no shared schema or data.
        if (touchesOnlySessionPrivate(file, operation)) continue;
        if (operation.effect === 'ddl') firstDdl ??= operation;
        // Seeding a table created earlier in the same transaction is safe: nobody else can see it yet.
        if (operation.effect === 'dml' && !operation.tables.every((t) => created.has(t.table))) firstDml ??= operation;
        operation.creates.forEach((table) => created.add(table));
      }
      if (!firstDdl || !firstDml) continue;
      const failure = failures.get(block);
      if (failure) {
        const relname = failure.table.slice(failure.table.indexOf('.') + 1);
        report({
          span: failure.write.fileSpan,
          severity: 'error',
          message:
            `This migration will fail: ${describeOperation(failure.write)} fires the deferred constraint trigger ` +
            `${failure.trigger.name} on ${failure.table}, whose events stay pending until commit, so ` +
            `${describeOperation(failure.ddl)} (line ${file.lines.positionAt(failure.ddl.fileSpan.start).line + 1}) in the ` +
            `same transaction fails with "cannot ${failure.command} \"${relname}\" because it has pending trigger events" ` +
            `(SQLSTATE 55006) as soon as the data change touches a row, and the whole migration rolls back.`,
          help: SPLIT_HELP,
        });
        continue;
      }
      const ddlLine = file.lines.positionAt(firstDdl.fileSpan.start).line + 1;
      if (file.dialect !== 'postgresql') {
        // MySQL commits the open transaction before and after each DDL statement: there is no such transaction.
        report({
          span: firstDml.fileSpan,
          message:
            `${describeOperation(firstDml, file.dialect)} changes data in the same migration as ${describeOperation(firstDdl, file.dialect)} (line ` +
            `${ddlLine}), but ${DIALECT_NAMES[file.dialect]} commits implicitly before and after every DDL statement: the ` +
            `transaction silently ends there, so if a later statement fails, the statements before it stay applied ` +
            `and the migration is left half done, with nothing rolled back.`,
          help: SPLIT_HELP,
        });
        continue;
      }
      report({
        span: firstDml.fileSpan,
        message:
          `${describeOperation(firstDml)} changes data in the same transaction as ${describeOperation(firstDdl)} ` +
          `(line ${ddlLine}). Where tables have deferred (audit) constraint triggers, an ALTER TABLE after the data ` +
          `change fails with "cannot ALTER TABLE ... because it has pending trigger events"; in any case the DDL's ` +
          `lock is held until the whole data change commits.`,
        help: SPLIT_HELP,
      });
    }
  },
};
