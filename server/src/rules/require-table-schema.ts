import { PgNode } from '../parse/ast';
import type { Statement } from '../parse/sql';
import { insertText, makeFix } from '../lint/fix-edits';
import { Rule, RuleContext } from '../lint/rule';
import { statementTokens, tokenFileSpan, tokenIndexAt } from '../lint/sql-tokens';
import { droppedObjects, sqlStatements } from '../lint/statements';

export const rule: Rule = {
  id: 'require-table-schema',
  severity: 'off',
  summary: 'A table named without its schema resolves through search_path, which can differ between environments.',
  fixable: true,
  options: {
    schema: { type: 'string', default: 'public', description: 'The schema the quick fix adds to unqualified names.' },
  },
  examples: { bad: 'CREATE TABLE invoices (id bigint);', good: 'CREATE TABLE billing.invoices (id bigint);' },
  check(context) {
    const { file } = context;
    for (const found of sqlStatements(file, 'CreateStmt', 'CreateTableAsStmt', 'AlterTableStmt', 'DropStmt')) {
      const { statement, node } = found;
      if (found.statement.type === 'DropStmt') {
        if (node.removeType !== 'OBJECT_TABLE') continue;
        for (const object of droppedObjects(found)) {
          if (object.tokens.first === object.tokens.last) reportName(context, statement, object.tokens.first);
        }
        continue;
      }
      if (found.statement.type === 'AlterTableStmt' && node.objtype !== 'OBJECT_TABLE') continue;
      if (found.statement.type === 'CreateTableAsStmt' && node.objtype !== 'OBJECT_TABLE') continue;
      // CREATE TABLE AS keeps its target in an unwrapped `into` clause.
      const relation: PgNode | undefined =
        found.statement.type === 'CreateTableAsStmt' ? node.into?.rel : node.relation;
      // Temporary tables live in the session's own schema; they cannot be qualified with another.
      if (!relation || relation.schemaname || relation.relpersistence === 't') continue;
      reportName(context, statement, tokenIndexAt(statement, relation.location));
    }
  },
};

function reportName({ options, report }: RuleContext, statement: Statement, token: number): void {
  if (token < 0) return;
  const name = statementTokens(statement)[token];
  // A name interpolated from a `${}` hole is whatever the code puts there, schema included.
  const at = statement.span.start + name.start;
  if (statement.fragment.holes.some((hole) => hole.start < at + name.text.length && hole.end > at)) return;
  const schema = String(options.schema);
  report({
    span: tokenFileSpan(statement, token),
    message:
      `${name.text} has no schema: PostgreSQL looks it up through search_path, so the same migration can create or ` +
      `change a table in another schema where search_path differs (a role setting, a pooler, a psql -c).`,
    help: `Qualify it: ${schema}.${name.text}.`,
    // search_path might not start with that schema: adding it could change which table is meant.
    fix: makeFix(`Qualify with ${schema}.`, [insertText(statement, name.start, `${schema}.`, 'before')], false),
  });
}
