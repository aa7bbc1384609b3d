import { vacuumIsFull } from '../lint/locks';
import { makeFix, matchCase, replaceText } from '../lint/fix-edits';
import { newTables } from '../lint/new-tables';
import { Fix, Rule } from '../lint/rule';
import { findToken, statementTokens, writtenName } from '../lint/sql-tokens';
import { sqlStatements } from '../lint/statements';
import { PgNode, qualifiedName } from '../parse/ast';
import type { Statement } from '../parse/sql';

export const rule: Rule = {
  id: 'prefer-repack',
  severity: 'warning',
  summary:
    'VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock; REPACK (CONCURRENTLY) or pg_repack do not block.',
  fixable: true,
  examples: { bad: 'VACUUM FULL events;', good: 'VACUUM (ANALYZE) events;' },
  check({ file, config, report }) {
    const created = newTables(file);
    for (const { statement, node, operation } of sqlStatements(file, 'VacuumStmt', 'ClusterStmt')) {
      const vacuum = statement.type === 'VacuumStmt';
      if (vacuum && !vacuumIsFull(node)) continue;
      const relations: PgNode[] = vacuum
        ? ((node.rels as PgNode[] | undefined) ?? []).map((r) => r.VacuumRelation?.relation)
        : [node.relation];
      const tables = relations.map((relation) => qualifiedName(relation)).filter((t): t is string => t !== undefined);
      if (tables.length > 0 && tables.every((table) => created.isNew(table, operation))) continue;
      const what = vacuum ? 'VACUUM FULL' : 'CLUSTER';
      const target = tables.length > 0 ? tables.join(', ') : 'every table it applies to';
      // REPACK arrived in PostgreSQL 19, replacing VACUUM FULL and CLUSTER.
      const repack = config.pgVersion >= 19;
      report({
        span: statement.fileSpan,
        message:
          `${what} rewrites ${target} (and rebuilds its indexes) while holding an ACCESS EXCLUSIVE lock: reads and writes ` +
          'wait for the whole rewrite, which takes as long as copying the table.',
        help: repack
          ? 'Use REPACK (CONCURRENTLY), which rewrites the table while reads and writes continue.'
          : 'Use the pg_repack extension (or, from PostgreSQL 19, REPACK (CONCURRENTLY)), which rewrite the table without blocking it.',
        // REPACK needs PostgreSQL 19 and CONCURRENTLY rules out a transaction block: review before applying.
        fix: repack && tables.length === 1 ? repackFix(statement, vacuum, relations[0]) : undefined,
      });
    }
  },
};

/** `REPACK (CONCURRENTLY) t [USING INDEX i]`, with the names as written and the keywords in the statement's case. */
function repackFix(statement: Statement, vacuum: boolean, relation: PgNode): Fix | undefined {
  const tokens = statementTokens(statement);
  const table = writtenName(statement, relation.location);
  const using = vacuum ? -1 : findToken(tokens, 'using');
  if (!table || (!vacuum && using < 0)) return undefined;
  const keyword = (text: string) => matchCase(tokens[0].text, text);
  const index = using >= 0 ? ` ${keyword('using index')} ${tokens[using + 1].text}` : '';
  const text = `${keyword('repack (concurrently)')} ${table}${index}`;
  return makeFix(
    'Use REPACK (CONCURRENTLY)',
    [replaceText(statement, { start: 0, end: statement.text.length }, text)],
    false,
  );
}
