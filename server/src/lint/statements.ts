import { PgNode, fieldsOf, nameList } from '../parse/ast';
import type { MigrationFile, Operation } from '../parse/migration';
import type { Statement } from '../parse/sql';
import type { Span } from '../parse/text';
import { clauseEnd, fileSpanIn, statementTokens, tokenRange } from './sql-tokens';

/** A parsed SQL statement of the migration with the operation it belongs to. */
export interface SqlStatement {
  operation: Operation;
  statement: Statement;
  /** The fields of the statement's node (`{ UpdateStmt: fields }` → fields). */
  node: PgNode;
}

interface StatementIndex {
  all: SqlStatement[];
  /** Positions in `all` of each node type's statements. */
  byType: Map<string, number[]>;
}

const indexes = new WeakMap<MigrationFile, StatementIndex>();

/**
 * The file's parsed statements of the given node types (all of them when no type is given), in file order. Two
 * dozen rules ask for their statement types: the file is indexed by type once, so that each asks for what it
 * reads rather than walking every operation of a 200,000-statement file.
 */
export function sqlStatements(file: MigrationFile, ...types: string[]): SqlStatement[] {
  const { all, byType } = statementIndex(file);
  if (types.length === 0) return all.slice();
  const positions = [...new Set(types)].flatMap((type) => byType.get(type) ?? []);
  if (types.length > 1) positions.sort((a, b) => a - b);
  return positions.map((position) => all[position]);
}

function statementIndex(file: MigrationFile): StatementIndex {
  let index = indexes.get(file);
  if (index) return index;
  index = { all: [], byType: new Map() };
  for (const operation of file.operations) {
    const statement = operation.statement;
    if (!statement?.node || !statement.type) continue;
    let positions = index.byType.get(statement.type);
    if (!positions) index.byType.set(statement.type, (positions = []));
    positions.push(index.all.length);
    index.all.push({ operation, statement, node: fieldsOf(statement.node) });
  }
  indexes.set(file, index);
  return index;
}

/** An object a DROP statement names, with where its name is written. */
export interface DroppedObject {
  /** `schema.name` (`public` when unqualified). */
  name: string;
  /** The name in the file (`app.users`). */
  span: Span;
  /** The name's tokens in `statementTokens(statement)`. */
  tokens: { first: number; last: number };
}

const OBJECT_KEYWORDS: Record<string, number> = {
  OBJECT_TABLE: 1,
  OBJECT_INDEX: 1,
  OBJECT_VIEW: 1,
  OBJECT_MATVIEW: 2,
  OBJECT_SEQUENCE: 1,
};

/**
 * The names of a `DROP TABLE|INDEX|VIEW|MATERIALIZED VIEW|SEQUENCE [CONCURRENTLY] [IF EXISTS] a, b` (the
 * parse tree lists them without locations).
 */
export function droppedObjects({ statement, node }: SqlStatement): DroppedObject[] {
  const keywords = OBJECT_KEYWORDS[node.removeType];
  if (keywords === undefined) return [];
  const tokens = statementTokens(statement);
  let at = 1 + keywords + (node.concurrent ? 1 : 0) + (node.missing_ok ? 2 : 0);
  const objects: DroppedObject[] = [];
  for (const object of (node.objects as PgNode[] | undefined) ?? []) {
    const parts = nameList(object.List?.items);
    const end = clauseEnd(tokens, at);
    let last = end - 1;
    while (last > at && (tokens[last].lower === 'cascade' || tokens[last].lower === 'restrict')) last--;
    if (parts.length === 0 || last < at) break;
    const name = parts.length === 1 ? `public.${parts[0]}` : parts.slice(-2).join('.');
    objects.push({ name, span: fileSpanIn(statement, tokenRange(tokens, at, last)), tokens: { first: at, last } });
    at = end + 1;
  }
  return objects;
}
