import { inSqlFile, makeFix } from '../lint/fix-edits';
import { Rule } from '../lint/rule';

export const rule: Rule = {
  id: 'ban-uncommitted-transaction',
  severity: 'error',
  summary: 'A BEGIN with no COMMIT: psql and most runners end the session and roll the whole migration back.',
  fixable: true,
  examples: {
    bad: '-- preflight-transaction: none\nBEGIN;\nCREATE TABLE plans (id bigint);',
    good: '-- preflight-transaction: none\nBEGIN;\nCREATE TABLE plans (id bigint);\nCOMMIT;',
  },
  check({ file, report }) {
    // A file that COMMITs the runner's transaction and BEGINs a new one ("commit and continue") leaves the
    // last transaction open for the runner to commit, as it would have committed its own.
    const runnerCommitted = new Set(
      file.transactions
        .filter((block) => block.implicit && block.operations.some((o) => o.transactionAction === 'commit'))
        .map((block) => block.section),
    );
    for (const block of file.transactions) {
      const begin = block.operations[0];
      const last = block.operations[block.operations.length - 1];
      if (
        block.implicit ||
        begin.transactionAction !== 'begin' ||
        !begin.statement ||
        runnerCommitted.has(block.section)
      )
        continue;
      if (last.transactionAction === 'commit' || last.transactionAction === 'rollback') continue;
      const end = file.text.length;
      const newline = file.text.endsWith('\n') || end === 0 ? '' : '\n';
      report({
        span: begin.fileSpan,
        message:
          'This transaction is never committed: when the script ends the session, PostgreSQL rolls back everything since ' +
          'BEGIN, so the migration reports success but changes nothing (and on a pooled connection the open transaction ' +
          'holds its locks until someone notices).',
        help: 'Add COMMIT where the transaction should end (or ROLLBACK, if this is a dry run on purpose).',
        // Not applied by --fix: a missing ROLLBACK is as possible as a missing COMMIT.
        fix: inSqlFile(begin.statement)
          ? makeFix('Add COMMIT at the end', [{ span: { start: end, end }, newText: `${newline}COMMIT;\n` }], false)
          : undefined,
      });
    }
  },
};
