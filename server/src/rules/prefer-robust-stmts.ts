import { actionFileSpan, actionTokens, alterTableCommands } from '../lint/alter-table';
import { insertText, makeFix, matchCase } from '../lint/fix-edits';
import { newTables } from '../lint/new-tables';
import { Finding, Rule, RuleContext } from '../lint/rule';
import { SqlToken, findToken, statementTokens } from '../lint/sql-tokens';
import { sqlStatements } from '../lint/statements';
import { transactionState } from '../lint/transaction-context';
import { qualifiedName } from '../parse/ast';
import type { Statement } from '../parse/sql';

const RERUN =
  'it runs outside a transaction, so if the migration fails after it, running the migration again fails here';

/** DROP statements whose object keywords are followed by IF EXISTS, and how many keywords they have. */
const DROP_KEYWORDS: Record<string, number> = {
  OBJECT_TABLE: 1,
  OBJECT_INDEX: 1,
  OBJECT_VIEW: 1,
  OBJECT_MATVIEW: 2,
  OBJECT_SEQUENCE: 1,
  OBJECT_TYPE: 1,
  OBJECT_DOMAIN: 1,
  OBJECT_SCHEMA: 1,
  OBJECT_EXTENSION: 1,
  OBJECT_FUNCTION: 1,
  OBJECT_TRIGGER: 1,
};

export const rule: Rule = {
  id: 'prefer-robust-stmts',
  severity: 'info',
  summary:
    'Outside a transaction, a statement without IF [NOT] EXISTS makes a half-applied migration impossible to re-run.',
  fixable: true,
  examples: {
    bad: '-- preflight-transaction: none\nCREATE TABLE plans (id bigint);\nALTER TABLE users ADD COLUMN plan_id bigint;',
    good: '-- preflight-transaction: none\nCREATE TABLE IF NOT EXISTS plans (id bigint);\nALTER TABLE users ADD COLUMN IF NOT EXISTS plan_id bigint;',
  },
  check(context) {
    const { file } = context;
    for (const { statement, node, operation } of sqlStatements(file, 'CreateStmt', 'IndexStmt', 'DropStmt')) {
      const state = transactionState(file, operation);
      const tokens = statementTokens(statement);
      if (statement.type === 'IndexStmt') {
        // CONCURRENTLY never runs in a transaction: a failed build even leaves an INVALID index behind.
        if (
          node.if_not_exists ||
          !node.idxname ||
          (state !== 'autocommit' && !(node.concurrent && state === 'unknown'))
        )
          continue;
        // CREATE [UNIQUE] INDEX [CONCURRENTLY] name ON ...
        const name = findToken(tokens, 'index') + (node.concurrent ? 2 : 1);
        reportMissing(context, statement, 'IF NOT EXISTS', name, 'before', {
          // On an existing table the build should become CONCURRENTLY (require-concurrent-index-creation), and a
          // failed concurrent build leaves an INVALID index that IF NOT EXISTS would keep: review, do not apply.
          safe: !node.concurrent && newTables(file).isNew(qualifiedName(node.relation), operation),
          help: node.concurrent
            ? 'Add IF NOT EXISTS; if a concurrent build failed, it left an INVALID index with this name: drop it (DROP INDEX CONCURRENTLY IF EXISTS) before the retry, or IF NOT EXISTS keeps the broken one.'
            : undefined,
        });
        continue;
      }
      if (state !== 'autocommit') continue;
      if (statement.type === 'CreateStmt') {
        // A temporary table dropped at commit is gone after a failure anyway.
        if (node.if_not_exists || (node.relation?.relpersistence === 't' && node.oncommit === 'ONCOMMIT_DROP'))
          continue;
        reportMissing(context, statement, 'IF NOT EXISTS', findToken(tokens, 'table'), 'after');
      } else if (!node.missing_ok && DROP_KEYWORDS[node.removeType] !== undefined) {
        reportMissing(
          context,
          statement,
          'IF EXISTS',
          DROP_KEYWORDS[node.removeType] + (node.concurrent ? 1 : 0),
          'after',
        );
      }
    }
    for (const command of alterTableCommands(file)) {
      if (transactionState(file, command.operation) !== 'autocommit') continue;
      const { tokens, first } = actionTokens(command);
      const { subtype, missing_ok: guarded } = command.cmd;
      if (subtype === 'AT_AddColumn' && !guarded) {
        reportAction(
          context,
          command.statement,
          actionFileSpan(command),
          'IF NOT EXISTS',
          columnKeyword(tokens, first),
        );
      } else if ((subtype === 'AT_DropColumn' || subtype === 'AT_DropConstraint') && !guarded) {
        reportAction(context, command.statement, actionFileSpan(command), 'IF EXISTS', columnKeyword(tokens, first));
      } else if (subtype === 'AT_AddConstraint') {
        context.report({
          span: actionFileSpan(command),
          message: `This constraint is added by a statement that cannot say IF NOT EXISTS: ${RERUN} ("already exists").`,
          help: 'Drop it first with ALTER TABLE ... DROP CONSTRAINT IF EXISTS, or run the migration in a transaction.',
        });
      }
    }
  },
};

/** The keyword after which IF [NOT] EXISTS goes: `ADD COLUMN`, `ADD`, `DROP CONSTRAINT`, `DROP COLUMN`, `DROP`. */
function columnKeyword(tokens: readonly SqlToken[], first: number): number {
  return ['column', 'constraint'].includes(tokens[first + 1]?.lower) ? first + 1 : first;
}

function reportAction(
  context: RuleContext,
  statement: Statement,
  span: Finding['span'],
  guard: string,
  after: number,
): void {
  reportMissing(context, statement, guard, after, 'after', { span });
}

function reportMissing(
  { report }: RuleContext,
  statement: Statement,
  guard: string,
  at: number,
  side: 'before' | 'after',
  extra: { safe?: boolean; help?: string; span?: Finding['span'] } = {},
): void {
  const token = statementTokens(statement)[at];
  if (!token) return;
  const text =
    side === 'after' ? ` ${matchCase(token.text, guard)}` : `${matchCase(statementTokens(statement)[0].text, guard)} `;
  report({
    span: extra.span ?? statement.fileSpan,
    message: `Missing ${guard}: ${RERUN} (the object ${guard === 'IF EXISTS' ? 'is already gone' : 'already exists'}).`,
    help: extra.help ?? `Add ${guard}, so that a re-run skips what the failed run already did.`,
    // Skipping an object that already exists is what a re-run needs; it never runs anything new.
    fix: makeFix(
      `Add ${guard}`,
      [insertText(statement, side === 'after' ? token.end : token.start, text, side)],
      extra.safe ?? true,
    ),
  });
}
