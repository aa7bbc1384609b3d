import { makeFix, replaceText } from '../lint/fix-edits';
import { Fix, Rule } from '../lint/rule';
import { charOffset, statementTokens, tokenFileSpan, tokenIndexAt } from '../lint/sql-tokens';
import { sqlStatements } from '../lint/statements';
import { PgNode, walk } from '../parse/ast';
import type { Statement } from '../parse/sql';

/** A column named in a list, with its parse-tree location. */
interface Named {
  name: string;
  location?: number;
  /** `SET a[1] = ...` or `SET a.f = ...` assign part of a column: several such parts are fine. */
  partial: boolean;
  /** For UPDATE's SET list: a plain `col = value` item, which a fix may delete. */
  assignment?: PgNode;
}

export const rule: Rule = {
  id: 'ban-duplicate-column-assignments',
  severity: 'error',
  summary: 'A column assigned or declared twice in one statement: PostgreSQL rejects the statement.',
  fixable: true,
  examples: {
    bad: "UPDATE users SET plan = 'free', plan = 'pro' WHERE id = 1;",
    good: "UPDATE users SET plan = 'pro' WHERE id = 1;",
  },
  check({ file, report }) {
    for (const { statement } of sqlStatements(file)) {
      walk(statement.node, (type, fields) => {
        for (const list of namedLists(type, fields)) {
          for (const [name, items] of duplicates(list.items)) {
            const last = items[items.length - 1];
            for (const item of items) {
              const token = tokenIndexAt(statement, item.location);
              report({
                span: token >= 0 ? tokenFileSpan(statement, token) : statement.fileSpan,
                message: `Column ${name} is ${list.verb} more than once in this statement: PostgreSQL rejects it ("${list.error}"), so the migration fails here.`,
                help: `Keep one ${list.verb === 'assigned' ? 'assignment' : 'declaration'} of ${name}.`,
                fix: item === last && list.update ? keepLastFix(statement, list.items, items) : undefined,
              });
            }
          }
        }
      });
    }
  },
};

interface NamedList {
  items: Named[];
  verb: 'assigned' | 'declared';
  error: string;
  /** UPDATE / ON CONFLICT DO UPDATE SET lists, whose duplicates a fix can delete. */
  update?: boolean;
}

function namedLists(type: string, fields: PgNode): NamedList[] {
  const targets = (list: PgNode[] | undefined): Named[] =>
    (list ?? [])
      .map((item) => item.ResTarget)
      .filter((t) => t?.name)
      .map((t) => ({ name: t.name, location: t.location, partial: Boolean(t.indirection?.length), assignment: t }));
  switch (type) {
    case 'UpdateStmt':
      return [
        {
          items: targets(fields.targetList),
          verb: 'assigned',
          error: 'multiple assignments to same column',
          update: true,
        },
      ];
    case 'InsertStmt':
      return [
        { items: targets(fields.cols), verb: 'assigned', error: 'column specified more than once' },
        // ON CONFLICT ... DO UPDATE SET (the clause is not a wrapped node, so walk() does not visit it).
        {
          items: targets(fields.onConflictClause?.targetList),
          verb: 'assigned',
          error: 'multiple assignments to same column',
          update: true,
        },
      ];
    case 'CreateStmt': {
      const columns = ((fields.tableElts as PgNode[] | undefined) ?? []).map((e) => e.ColumnDef).filter(Boolean);
      return [
        {
          items: columns.map((c) => ({ name: c.colname, location: c.location, partial: false })),
          verb: 'declared',
          error: 'column specified more than once',
        },
      ];
    }
    default:
      return [];
  }
}

function duplicates(items: Named[]): Map<string, Named[]> {
  const byName = new Map<string, Named[]>();
  for (const item of items) byName.set(item.name, [...(byName.get(item.name) ?? []), item]);
  for (const [name, group] of byName) if (group.length < 2 || group.every((item) => item.partial)) byName.delete(name);
  return byName;
}

/**
 * Deletes every assignment to the column but the last (`a = 1, ` in `SET a = 1, a = 2`): PostgreSQL
 * rejects the statement, and this keeps the value a reader would take as meant. Not applied by --fix:
 * the first value might be the intended one.
 */
function keepLastFix(statement: Statement, all: Named[], group: Named[]): Fix | undefined {
  const tokens = statementTokens(statement);
  const edits = group.slice(0, -1).map((item) => {
    const next = all[all.indexOf(item) + 1];
    if (
      item.partial ||
      item.assignment?.val?.MultiAssignRef ||
      next?.location === undefined ||
      item.location === undefined
    )
      return undefined;
    const start = charOffset(statement, item.location);
    const end = charOffset(statement, next.location);
    // Only a plain `col = value,` item ends where the next starts.
    if (!tokens.some((t) => t.text === ',' && t.start >= start && t.end <= end)) return undefined;
    return replaceText(statement, { start, end }, '');
  });
  return makeFix(`Keep only the last assignment to ${group[0].name}`, edits, false);
}
