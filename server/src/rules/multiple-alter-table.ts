import { AlterTableCommand, alterTableCommands } from '../lint/alter-table';
import { newTables } from '../lint/new-tables';
import { ormCallOf } from '../lint/orm-calls';
import { Rule } from '../lint/rule';
import { TableWork, alterActionWork } from '../lint/table-work';
import { transactionBlockOf } from '../lint/transaction-context';
import type { Statement } from '../parse/sql';
import type { TransactionBlock } from '../parse/transactions';

/** An ALTER TABLE statement whose actions make PostgreSQL rewrite or check every row. */
interface Pass {
  statement: Statement;
  work: TableWork;
}

export const rule: Rule = {
  id: 'multiple-alter-table',
  severity: 'warning',
  summary: 'Several ALTER TABLE statements on one table in one transaction that each rewrite or check every row.',
  examples: {
    bad: 'ALTER TABLE visits ALTER COLUMN facility_id SET NOT NULL;\nALTER TABLE visits ALTER COLUMN patient_id SET NOT NULL;',
    good: 'ALTER TABLE visits\n  ALTER COLUMN facility_id SET NOT NULL,\n  ALTER COLUMN patient_id SET NOT NULL;',
  },
  check({ file, config, catalog, report }) {
    const created = newTables(file);
    // One pass list per table and transaction: separate transactions are separate on purpose.
    const passes = new Map<TransactionBlock | AlterTableCommand['operation'], Map<string, Pass[]>>();
    const seen = new Set<Statement>();
    for (const command of alterTableCommands(file)) {
      if (created.isNew(command.table, command.operation) || seen.has(command.statement)) continue;
      // The statements an ORM call sends are its framework's (Sequelize's changeColumn sends three ALTER TABLEs): there
      // is no SQL of the author's to combine.
      if (ormCallOf(command.operation)) continue;
      // Index builds and foreign-key validations are separate passes even inside one ALTER TABLE.
      const work = alterActionWork(command.cmd, { file, pgVersion: config.pgVersion, catalog, table: command.table });
      if (!work || (work.kind !== 'rewrite' && work.kind !== 'check')) continue;
      seen.add(command.statement);
      const block = transactionBlockOf(file, command.operation) ?? command.operation;
      const tables = passes.get(block) ?? new Map<string, Pass[]>();
      passes.set(block, tables);
      const list = tables.get(command.table) ?? [];
      tables.set(command.table, list);
      list.push({ statement: command.statement, work });
      if (list.length < 2) continue;
      const first = list[0];
      const line = file.lines.positionAt(first.statement.fileSpan.start).line + 1;
      report({
        span: command.statement.fileSpan,
        message:
          `This ALTER TABLE ${work.kind === 'rewrite' ? 'rewrites' : 'reads'} every row of ${command.table} (${work.cause}), and ` +
          `so does the one on line ${line} (${first.work.cause}): two passes over the table under an ACCESS EXCLUSIVE ` +
          'lock where one would do. PostgreSQL makes all rewrites and checks of one ALTER TABLE in a single pass.',
        help: `Combine them into one statement, separating the actions with commas: ALTER TABLE ${command.table} <action>, <action>;`,
      });
    }
  },
};
