import { Rule } from '../lint/rule';
import { sqlStatements } from '../lint/statements';
import { transactionBlockOf, transactionState } from '../lint/transaction-context';
import { nameList, walk } from '../parse/ast';
import type { Statement } from '../parse/sql';
import type { Span } from '../parse/text';
import { tokenFileSpan, tokenIndexAt } from '../lint/sql-tokens';

export const rule: Rule = {
  id: 'alter-enum-add-value-in-transaction',
  severity: 'error',
  summary:
    'ALTER TYPE ... ADD VALUE in a transaction: an error before PostgreSQL 12, and from 12 the new value cannot be used until it commits.',
  examples: {
    bad: "ALTER TYPE visit_status ADD VALUE 'over_limit';\nUPDATE visits SET status = 'over_limit' WHERE visit_count > visit_cap;",
    good: "ALTER TYPE visit_status ADD VALUE 'over_limit';",
  },
  check({ file, config, report }) {
    const pgVersion = config.pgVersion;
    for (const { statement, node, operation } of sqlStatements(file, 'AlterEnumStmt')) {
      if (!node.newVal) continue;
      const type = nameList(node.typeName).join('.');
      const state = transactionState(file, operation);
      if (pgVersion < 12) {
        if (state === 'autocommit') continue;
        report({
          span: statement.fileSpan,
          severity: state === 'transaction' ? 'error' : 'warning',
          message:
            `Before PostgreSQL 12 (pgVersion is ${pgVersion}) ALTER TYPE ... ADD VALUE cannot run inside a transaction ` +
            `block: ${state === 'transaction' ? 'this migration fails' : 'if the migration runner wraps this file in a transaction, it fails'} ` +
            'with "ALTER TYPE ... ADD cannot run inside a transaction block" (25001).',
          help: "Run it in a migration of its own without a transaction (-- preflight-transaction: none, or the runner's option for it).",
        });
        continue;
      }
      const block = transactionBlockOf(file, operation);
      if (state !== 'transaction' || !block) continue;
      const later = block.operations.slice(block.operations.indexOf(operation) + 1);
      for (const use of later) {
        const span = use.statement ? literalUse(use.statement, node.newVal) : undefined;
        if (!span) continue;
        const line = file.lines.positionAt(statement.fileSpan.start).line + 1;
        report({
          span,
          message:
            `'${node.newVal}' was added to ${type} on line ${line}, in this same transaction: PostgreSQL refuses to use an ` +
            `enum value before the transaction that added it commits, so this fails with "unsafe use of new value ` +
            `'${node.newVal}' of enum type ${type}" (55P04) and the whole migration rolls back.`,
          help: 'Add the value in a migration of its own (or COMMIT right after it), and use it in a later one.',
        });
        break;
      }
    }
  },
};

/** Where the statement writes the string constant `value` (e.g. `'over_limit'` in a SET or WHERE). */
function literalUse(statement: Statement, value: string): Span | undefined {
  let span: Span | undefined;
  walk(statement.node, (type, fields) => {
    if (span || type !== 'A_Const' || fields.sval?.sval !== value) return;
    const token = tokenIndexAt(statement, fields.location);
    span = token >= 0 ? tokenFileSpan(statement, token) : statement.locate(fields.location);
  });
  return span;
}
