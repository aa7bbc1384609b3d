import { describeOperation } from '../lint/describe';
import { Rule } from '../lint/rule';
import type { Operation } from '../parse/migration';

export const rule: Rule = {
  id: 'mixed-ddl-dml',
  severity: 'warning',
  summary: 'Schema changes (DDL) and data changes (DML) in one transaction.',
  examples: {
    bad: 'ALTER TABLE sync_lookup ADD COLUMN note text;\nUPDATE sync_lookup SET note = \'\';',
    good: 'BEGIN;\nALTER TABLE sync_lookup ADD COLUMN note text;\nCOMMIT;\nBEGIN;\nUPDATE sync_lookup SET note = \'\';\nCOMMIT;',
  },
  check({ file, report }) {
    for (const block of file.transactions) {
      const created = new Set<string>();
      let firstDdl: Operation | undefined;
      let firstDml: Operation | undefined;
      for (const operation of block.operations) {
        if (operation.effect === 'ddl') firstDdl ??= operation;
        // Seeding a table created earlier in the same transaction is safe: nobody else can see it yet.
        if (operation.effect === 'dml' && !operation.tables.every((t) => created.has(t.table))) firstDml ??= operation;
        operation.creates.forEach((table) => created.add(table));
      }
      if (!firstDdl || !firstDml) continue;
      const ddlLine = file.lines.positionAt(firstDdl.fileSpan.start).line + 1;
      report({
        span: firstDml.fileSpan,
        message:
          `${describeOperation(firstDml)} changes data in the same transaction as ${describeOperation(firstDdl)} ` +
          `(line ${ddlLine}). Where tables have deferred (audit) constraint triggers, an ALTER TABLE after the data ` +
          `change fails with "cannot ALTER TABLE ... because it has pending trigger events"; in any case the DDL's ` +
          `lock is held until the whole data change commits.`,
        help:
          'Split it into separate migrations that each run in their own transaction: the schema change, then the ' +
          'data change, then any schema change that depends on the data (DDL / DML / DDL).',
      });
    }
  },
};
