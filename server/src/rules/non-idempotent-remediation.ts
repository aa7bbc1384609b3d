import { fileRole } from '../lint/file-role';
import { newTables } from '../lint/new-tables';
import { Rule } from '../lint/rule';
import { rowChanges } from '../lint/row-changes';
import { truncations } from '../lint/truncations';
import { PgNode, columnName, qualifiedName, walk } from '../parse/ast';
import { runsNow } from '../parse/execution';
import type { MigrationFile, Operation } from '../parse/migration';
import { routineBody } from '../parse/plpgsql';

export const rule: Rule = {
  id: 'non-idempotent-remediation',
  severity: 'warning',
  summary: 'A one-off script whose INSERT or relative UPDATE would apply twice if the script were run again.',
  examples: {
    fileName: 'scripts/remediation.sql',
    bad: 'UPDATE accounts SET balance = balance - 25 WHERE id IN (SELECT account_id FROM over_limit_visits);',
    good:
      'UPDATE accounts SET balance = balance - 25, over_limit_fee_charged = true\n' +
      ' WHERE id IN (SELECT account_id FROM over_limit_visits) AND NOT over_limit_fee_charged;',
  },
  check({ file, config, report }) {
    // Migrations run once per database, recorded by their runner; scripts are run by hand, and again.
    if (fileRole(file, config) !== 'script') return;
    const created = newTables(file);
    const emptied = new Map<string, Operation[]>();
    for (const truncation of truncations(file))
      emptied.set(truncation.table, [...(emptied.get(truncation.table) ?? []), truncation.operation]);
    for (const change of rowChanges(file)) {
      if (change.action === 'delete' && change.everyRow)
        emptied.set(change.table, [...(emptied.get(change.table) ?? []), change.operation]);
    }
    const emptiedBefore = (table: string, operation: Operation) =>
      (emptied.get(table) ?? []).some(
        (o) => o.section === operation.section && file.operations.indexOf(o) < file.operations.indexOf(operation),
      );

    for (const operation of file.operations) {
      const statement = operation.statement;
      if (!statement?.node || !runsNow(statement) || isGuardedInBody(file, operation)) continue;
      walk(statement.node, (type, fields) => {
        if (type === 'InsertStmt') {
          const table = qualifiedName(fields.relation);
          if (!table || created.isNew(table, operation) || emptiedBefore(table, operation) || insertIsGuarded(fields))
            return;
          report({
            span: statement.locate(fields.relation.location),
            message:
              `Run again, this script inserts the same rows into ${table} a second time: duplicates, or a unique violation ` +
              'that aborts the re-run halfway. A one-off script does get run twice — after a timeout, by a colleague, on ' +
              'the next environment.',
            help:
              'Make a re-run find nothing to do: INSERT ... ON CONFLICT DO NOTHING (or DO UPDATE), or INSERT ... SELECT ... ' +
              'WHERE NOT EXISTS (SELECT 1 FROM <table> WHERE <same key>).',
          });
        } else if (type === 'UpdateStmt') {
          const relative = relativeColumns(fields);
          const table = qualifiedName(fields.relation);
          if (
            relative.length === 0 ||
            !table ||
            created.isNew(table, operation) ||
            whereSkipsDoneRows(fields, relative)
          )
            return;
          report({
            span: statement.locate(fields.relation.location),
            message:
              `SET ${relative[0]} = ${relative[0]} ... changes ${table} relative to its current value, and nothing in the ` +
              'WHERE clause excludes rows this script already changed: run again, it applies the change a second time ' +
              '(charges twice, counts twice).',
            help:
              'Record that a row was done and exclude done rows in the WHERE clause (SET ..., fee_charged = true WHERE ... ' +
              'AND NOT fee_charged), or compute the value from its source (SET balance = <original> - fee) so a re-run ' +
              "writes the same result. Incident 4's fix: a re-run finds nothing to do.",
          });
        }
      });
    }
  },
};

/** A statement a DO block runs only under IF/CASE or in an exception block: the body decides whether it runs again. */
function isGuardedInBody(file: MigrationFile, operation: Operation): boolean {
  if (!operation.executedBy) return false;
  return routineBody(operation.executedBy).statements.some(
    (body) => body.statement === operation.statement && body.guarded,
  );
}

/** ON CONFLICT, or a SELECT that leaves out rows already there (NOT EXISTS, NOT IN, EXCEPT, an anti-join). */
function insertIsGuarded(insert: PgNode): boolean {
  if (insert.onConflictClause) return true;
  let guarded = false;
  walk(insert.selectStmt, (type, fields) => {
    if (guarded) return 'skip';
    if (
      type === 'BoolExpr' &&
      fields.boolop === 'NOT_EXPR' &&
      fields.args?.[0]?.SubLink?.subLinkType === 'EXISTS_SUBLINK'
    )
      guarded = true;
    if (type === 'SubLink' && fields.subLinkType === 'ALL_SUBLINK') guarded = true;
    if (type === 'SelectStmt' && fields.op === 'SETOP_EXCEPT') guarded = true;
    if (type === 'NullTest' && fields.nulltesttype === 'IS_NULL') guarded = true;
    return undefined;
  });
  return guarded;
}

/** The columns an UPDATE sets relative to their current value (`balance = balance - 25`, `tags = tags || '{x}'`). */
function relativeColumns(update: PgNode): string[] {
  const relative: string[] = [];
  for (const target of (update.targetList as PgNode[] | undefined) ?? []) {
    const column = target.ResTarget?.name;
    const value = target.ResTarget?.val;
    if (!column || !value) continue;
    let selfReference = false;
    walk(value, (type, fields) => {
      if (type === 'SubLink') return 'skip';
      if (type === 'ColumnRef' && columnName({ ColumnRef: fields }) === column) selfReference = true;
      return undefined;
    });
    if (selfReference && !value.ColumnRef) relative.push(column);
  }
  return relative;
}

/**
 * Whether the WHERE clause reads a column the UPDATE sets to a value of its own (`fee_charged = true ... WHERE
 * NOT fee_charged`): the usual way to skip rows already done. A column set relative to itself is no such mark.
 */
function whereSkipsDoneRows(update: PgNode, relative: readonly string[]): boolean {
  const marks = new Set(
    ((update.targetList as PgNode[] | undefined) ?? [])
      .map((t) => t.ResTarget?.name)
      .filter((name) => name && !relative.includes(name)),
  );
  let tests = false;
  walk(update.whereClause, (type, fields) => {
    if (type === 'ColumnRef' && marks.has(columnName({ ColumnRef: fields }))) tests = true;
  });
  return tests;
}
