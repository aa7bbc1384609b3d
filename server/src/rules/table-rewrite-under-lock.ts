import { newTables } from '../lint/new-tables';
import { Rule } from '../lint/rule';
import { sqlStatements } from '../lint/statements';
import { clauseEnd, findToken, statementTokens, tokenFileSpan, tokenIndexAt } from '../lint/sql-tokens';
import { PgNode, qualifiedName } from '../parse/ast';
import type { Span } from '../parse/text';

/** The ALTER TABLE actions that copy the whole relation while holding ACCESS EXCLUSIVE, with what to do instead. */
const REWRITING_ACTIONS: Record<string, { keyword: string; help: string }> = {
  AT_SetTableSpace: {
    keyword: 'set',
    help:
      'Move it online instead: pg_repack --tablespace moves a table (and --moveidx its indexes) with only short ' +
      'locks; or build a new index CONCURRENTLY in the target tablespace and drop the old one.',
  },
  AT_SetLogged: {
    keyword: 'set',
    help: 'There is no online way: run it in a maintenance window with a short lock_timeout, or create the table LOGGED in the first place.',
  },
  AT_SetUnLogged: {
    keyword: 'set',
    help: 'There is no online way: run it in a maintenance window with a short lock_timeout. An UNLOGGED table is also emptied after a crash and not replicated.',
  },
  AT_SetAccessMethod: {
    keyword: 'set',
    help: 'There is no online way: create a new table with the access method, copy rows in batches while writing to both, and swap the tables.',
  },
};

const KINDS: Record<string, string> = {
  OBJECT_TABLE: 'table',
  OBJECT_INDEX: 'index',
  OBJECT_MATVIEW: 'materialized view',
};

export const rule: Rule = {
  id: 'table-rewrite-under-lock',
  severity: 'warning',
  summary:
    'SET TABLESPACE, SET LOGGED/UNLOGGED, SET ACCESS METHOD or REFRESH MATERIALIZED VIEW copies the relation while blocking reads.',
  examples: {
    bad: 'ALTER TABLE visits SET TABLESPACE fast_ssd;',
    good: 'REFRESH MATERIALIZED VIEW CONCURRENTLY visit_totals;',
  },
  check({ file, config, report }) {
    const created = newTables(file);
    for (const { statement, node, operation } of sqlStatements(file, 'AlterTableStmt')) {
      const kind = KINDS[node.objtype];
      const name = qualifiedName(node.relation);
      if (!kind || !name || created.isNew(name, operation)) continue;
      for (const cmd of ((node.cmds as PgNode[] | undefined) ?? []).map((c) => c.AlterTableCmd ?? {})) {
        const action = REWRITING_ACTIONS[cmd.subtype];
        if (!action) continue;
        const tokens = statementTokens(statement);
        const at = findToken(tokens, action.keyword, Math.max(0, tokenIndexAt(statement, node.relation?.location)));
        const span: Span = at >= 0 ? tokenFileSpan(statement, at, clauseEnd(tokens, at) - 1) : statement.fileSpan;
        const versionNote =
          cmd.subtype === 'AT_SetAccessMethod' && config.pgVersion < 15
            ? `; and on PostgreSQL ${config.pgVersion} (pgVersion) SET ACCESS METHOD does not exist yet: it fails with a syntax error`
            : '';
        report({
          span,
          message:
            `This copies every row of the ${kind} ${name} into new files while holding an ACCESS EXCLUSIVE lock: reads ` +
            `and writes wait until ${kind === 'table' ? 'the copy and the rebuild of its indexes finish' : 'the copy finishes'}${versionNote}.`,
          help: action.help,
        });
      }
    }
    for (const { statement, node, operation } of sqlStatements(file, 'RefreshMatViewStmt')) {
      const name = qualifiedName(node.relation);
      if (node.concurrent || !name || created.isNew(name, operation)) continue;
      report({
        span: statement.locate(node.relation.location),
        message:
          `REFRESH MATERIALIZED VIEW without CONCURRENTLY recomputes ${name} into new files while holding an ACCESS ` +
          'EXCLUSIVE lock: every query that reads it waits for the whole refresh.',
        help:
          'Use REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique index on the view): readers keep seeing the ' +
          'old contents until the new ones are ready; only other refreshes wait.',
      });
    }
  },
};
