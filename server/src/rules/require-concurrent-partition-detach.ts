import { actionFileSpan, actionTokens, alterTableCommands } from '../lint/alter-table';
import { insertText, makeFix, matchCase } from '../lint/fix-edits';
import { Rule } from '../lint/rule';
import { nameEnd, tokenIndexAt } from '../lint/sql-tokens';
import { transactionState } from '../lint/transaction-context';

export const rule: Rule = {
  id: 'require-concurrent-partition-detach',
  severity: 'warning',
  summary: 'DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the whole partitioned table.',
  fixable: true,
  examples: {
    bad: 'ALTER TABLE measurements DETACH PARTITION measurements_2019;',
    good: '-- preflight-transaction: none\nALTER TABLE measurements DETACH PARTITION measurements_2019 CONCURRENTLY;\nSELECT 1;',
  },
  check({ file, config, report }) {
    // DETACH PARTITION ... CONCURRENTLY exists from PostgreSQL 14.
    if (config.pgVersion < 14) return;
    for (const command of alterTableCommands(file)) {
      const partition = command.cmd.def?.PartitionCmd;
      if (command.cmd.subtype !== 'AT_DetachPartition' || !partition || partition.concurrent) continue;
      const { tokens } = actionTokens(command);
      const name = tokenIndexAt(command.statement, partition.name?.location);
      const last = name >= 0 ? nameEnd(tokens, name) : -1;
      const possible =
        command.actionCount === 1 && last >= 0 && transactionState(file, command.operation) !== 'transaction';
      report({
        span: actionFileSpan(command),
        message:
          `Detaching ${partition.name?.relname ?? 'a partition'} takes an ACCESS EXCLUSIVE lock on ${command.table}: reads and ` +
          'writes to every partition wait, including while it queues behind long-running queries.',
        help:
          'Use DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+): it only takes SHARE UPDATE EXCLUSIVE on the parent, but it ' +
          'cannot run in a transaction block, alone in its ALTER TABLE, and not when the table has a default partition.',
        // Not applied by --fix: it fails if the table has a default partition, which the migration does not show.
        fix: possible
          ? makeFix(
              'Add CONCURRENTLY',
              [insertText(command.statement, tokens[last].end, ` ${matchCase(tokens[name].text, 'concurrently')}`)],
              false,
            )
          : undefined,
      });
    }
  },
};
