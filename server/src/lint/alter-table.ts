import { PgNode, qualifiedName } from '../parse/ast';
import type { MigrationFile } from '../parse/migration';
import { newTables } from './new-tables';
import { Span } from '../parse/text';
import { SqlToken, clauseEnd, fileSpanIn, statementTokens, tokenIndexAt, tokenRange } from './sql-tokens';
import { SqlStatement, sqlStatements } from './statements';

/**
 * One action of an `ALTER TABLE` (`ADD COLUMN ...`, `ALTER COLUMN ... TYPE ...`, `ADD CONSTRAINT ...`): most
 * lock and rewrite hazards are per action, and an ALTER TABLE can hold several.
 */
export interface AlterTableCommand extends SqlStatement {
  /** `schema.table`. */
  table: string;
  /** The AlterTableCmd's fields: `subtype` (`AT_AddColumn`, ...), `name`, `def`, `behavior`, `missing_ok`. */
  cmd: PgNode;
  /** How many actions the statement has: a fix that rewrites the statement needs it to be one. */
  actionCount: number;
  /** The action's tokens in `statementTokens(statement)`: `first..last` inclusive, or undefined if not found. */
  tokens?: { first: number; last: number };
}

const cache = new WeakMap<MigrationFile, AlterTableCommand[]>();

/** Every action of every `ALTER TABLE` on a table (not ALTER INDEX, VIEW or SEQUENCE), in file order. */
export function alterTableCommands(file: MigrationFile): AlterTableCommand[] {
  let commands = cache.get(file);
  if (commands) return commands;
  commands = [];
  for (const statement of sqlStatements(file, 'AlterTableStmt')) {
    if (statement.node.objtype !== 'OBJECT_TABLE') continue;
    const table = qualifiedName(statement.node.relation);
    if (!table) continue;
    const cmds = ((statement.node.cmds as PgNode[] | undefined) ?? []).map((c) => c.AlterTableCmd ?? {});
    const clauses = actionClauses(statement);
    cmds.forEach((cmd, k) => {
      commands!.push({
        ...statement,
        table,
        cmd,
        actionCount: cmds.length,
        tokens: clauses.length === cmds.length ? clauses[k] : undefined,
      });
    });
  }
  cache.set(file, commands);
  return commands;
}

/**
 * The actions of the given subtypes (`AT_DropColumn`, ...) on tables that existed before the migration: the
 * lock and compatibility hazards do not apply to a table the migration itself created (see new-tables.ts).
 */
export function commandsOnExistingTables(file: MigrationFile, ...subtypes: string[]): AlterTableCommand[] {
  const created = newTables(file);
  return alterTableCommands(file).filter(
    (command) => subtypes.includes(command.cmd.subtype) && !created.isNew(command.table, command.operation),
  );
}

/** The span of the whole action in the file (`ADD COLUMN x int NOT NULL`), or of the statement if unknown. */
export function actionFileSpan(command: AlterTableCommand): Span {
  if (!command.tokens) return command.statement.fileSpan;
  return fileSpanIn(
    command.statement,
    tokenRange(statementTokens(command.statement), command.tokens.first, command.tokens.last),
  );
}

/** The action's tokens (empty if unknown). */
export function actionTokens(command: AlterTableCommand): { tokens: readonly SqlToken[]; first: number; last: number } {
  const tokens = statementTokens(command.statement);
  return command.tokens ? { tokens, ...command.tokens } : { tokens, first: tokens.length, last: tokens.length - 1 };
}

/**
 * Splits `ALTER TABLE [IF EXISTS] [ONLY] name [*] action, action, ...` into its actions' token ranges; they
 * come in the order of the parse tree's `cmds`.
 */
function actionClauses({ statement, node }: SqlStatement): { first: number; last: number }[] {
  const tokens = statementTokens(statement);
  let i = tokenIndexAt(statement, node.relation?.location);
  if (i < 0) return [];
  while (tokens[i + 1]?.text === '.') i += 2;
  if (tokens[i + 1]?.text === '*') i++;
  const clauses: { first: number; last: number }[] = [];
  for (let first = i + 1; first < tokens.length;) {
    const end = clauseEnd(tokens, first);
    if (end > first) clauses.push({ first, last: end - 1 });
    if (tokens[end]?.text !== ',') break;
    first = end + 1;
  }
  return clauses;
}
