import { PgNode, columnName } from '../parse/ast';
import type { MigrationFile } from '../parse/migration';
import type { Statement } from '../parse/sql';
import type { Span } from '../parse/text';
import { AlterTableCommand, actionFileSpan, commandsOnExistingTables } from './alter-table';
import { clauseEnd, statementTokens, tokenFileSpan, tokenIndexAt } from './sql-tokens';

/**
 * Constraints as libpg-query writes them (`{ Constraint: { contype: 'CONSTR_CHECK', ... } }`). Column
 * definitions carry NOT NULL, DEFAULT, identity and generation clauses as constraints too.
 */
export type ConstraintType =
  | 'CONSTR_NULL'
  | 'CONSTR_NOTNULL'
  | 'CONSTR_DEFAULT'
  | 'CONSTR_IDENTITY'
  | 'CONSTR_GENERATED'
  | 'CONSTR_CHECK'
  | 'CONSTR_PRIMARY'
  | 'CONSTR_UNIQUE'
  | 'CONSTR_EXCLUSION'
  | 'CONSTR_FOREIGN';

/** The Constraint fields of a column definition or a list of constraint nodes. */
export function constraintsOf(def: PgNode | undefined): PgNode[] {
  return ((def?.constraints as PgNode[] | undefined) ?? []).map((c) => c.Constraint).filter(Boolean);
}

export function findConstraint(def: PgNode | undefined, ...types: ConstraintType[]): PgNode | undefined {
  return constraintsOf(def).find((c) => types.includes(c.contype));
}

/** `... NOT VALID`: existing rows are not checked now (only CHECK and FOREIGN KEY accept it). */
export function isNotValid(constraint: PgNode): boolean {
  return Boolean(constraint.skip_validation);
}

/** `UNIQUE USING INDEX idx` / `PRIMARY KEY USING INDEX idx`: adopts an index built beforehand. */
export function usesExistingIndex(constraint: PgNode): boolean {
  return Boolean(constraint.indexname);
}

/** For `CHECK (col IS NOT NULL)`, the column; otherwise undefined. */
export function notNullCheckColumn(constraint: PgNode): string | undefined {
  const test = constraint.raw_expr?.NullTest;
  if (constraint.contype !== 'CONSTR_CHECK' || test?.nulltesttype !== 'IS_NOT_NULL') return undefined;
  return columnName(test.arg);
}

/** Whether a column definition generates its values (identity, `GENERATED ... STORED`), so NULLs never occur. */
export function generatesValues(def: PgNode): boolean {
  return findConstraint(def, 'CONSTR_IDENTITY', 'CONSTR_GENERATED') !== undefined;
}

/**
 * The tokens of a constraint clause (`CONSTRAINT c CHECK (x > 0) NOT VALID`, `UNIQUE`, `REFERENCES t (id)`):
 * from its location up to the next of its `siblings` (the other constraints of the same column) or the end
 * of the column definition or ALTER TABLE action.
 */
export function constraintTokens(
  statement: Statement,
  constraint: PgNode,
  siblings: readonly PgNode[] = [],
): { first: number; last: number } | undefined {
  const tokens = statementTokens(statement);
  const first = tokenIndexAt(statement, constraint.location);
  if (first < 0) return undefined;
  let end = clauseEnd(tokens, first);
  for (const sibling of siblings) {
    const start = tokenIndexAt(statement, sibling.location);
    if (start > first && start < end) end = start;
  }
  return { first, last: end - 1 };
}

/** A constraint an ALTER TABLE adds to a table that existed before the migration. */
export interface AddedConstraint {
  command: AlterTableCommand;
  constraint: PgNode;
  /** A column constraint of `ADD COLUMN` (`ADD COLUMN x int UNIQUE`), rather than `ADD CONSTRAINT`. */
  inline: boolean;
  /** The constraint clause, or the whole action for `ADD CONSTRAINT`. */
  span: Span;
}

/** The constraints of one type added to existing tables, by `ADD CONSTRAINT` or inline in `ADD COLUMN`. */
export function constraintsAddedToExistingTables(file: MigrationFile, type: ConstraintType): AddedConstraint[] {
  const added: AddedConstraint[] = [];
  for (const command of commandsOnExistingTables(file, 'AT_AddConstraint', 'AT_AddColumn')) {
    const constraint = command.cmd.def?.Constraint;
    if (constraint?.contype === type) added.push({ command, constraint, inline: false, span: actionFileSpan(command) });
    const column = command.cmd.def?.ColumnDef;
    for (const inline of constraintsOf(column).filter((c) => c.contype === type)) {
      const tokens = constraintTokens(command.statement, inline, constraintsOf(column));
      const span = tokens ? tokenFileSpan(command.statement, tokens.first, tokens.last) : actionFileSpan(command);
      added.push({ command, constraint: inline, inline: true, span });
    }
  }
  return added;
}
