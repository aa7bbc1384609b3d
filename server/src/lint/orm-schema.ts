import type * as ts from 'typescript';
import type { MigrationFile, Operation } from '../parse/migration';
import type { Framework, SchemaCall } from '../parse/host-types';
import { typescript } from '../parse/typescript';
import type { Span } from '../parse/text';
import type { LockMode } from './locks';
import { newTables } from './new-tables';

/**
 * What an ORM or query-builder schema call does, in the terms the SQL rules use: Sequelize's
 * `removeColumn`, TypeORM's `dropColumn`, node-pg-migrate's `pgm.dropColumns` and knex's
 * `table.dropColumn` inside `alterTable` all drop a column. The extractor (parse/host.ts) finds the calls
 * on a migration handle; this module reads their arguments and, for knex, the table builder callback.
 */
export type OrmActionKind =
  | 'add-column'
  | 'drop-column'
  | 'rename-column'
  | 'change-column-type'
  | 'drop-table'
  | 'rename-table'
  | 'create-index'
  | 'drop-index'
  | 'add-constraint';

export interface OrmSchemaAction {
  kind: OrmActionKind;
  operation: Operation;
  /** `schema.table` as the call names it, when it does with a literal. */
  table?: string;
  /** The column, for column actions named with a literal. */
  column?: string;
  /** `concurrently: true` given (index actions). */
  concurrently: boolean;
  /** Whether the ORM has a way to ask for CONCURRENTLY (knex and TypeORM have none: use raw SQL). */
  supportsConcurrently: boolean;
  /** From the method name to the end of the call: `removeColumn('users', 'email')`. */
  span: Span;
  method: string;
}

/** Methods called on the migration handle, by framework family (the extractor already checked the receiver). */
const HANDLE_ACTIONS: Record<string, OrmActionKind> = {
  addColumn: 'add-column',
  addColumns: 'add-column',
  removeColumn: 'drop-column',
  dropColumn: 'drop-column',
  dropColumns: 'drop-column',
  renameColumn: 'rename-column',
  changeColumn: 'change-column-type',
  changeColumns: 'change-column-type',
  dropTable: 'drop-table',
  dropTableIfExists: 'drop-table',
  renameTable: 'rename-table',
  addIndex: 'create-index',
  createIndex: 'create-index',
  removeIndex: 'drop-index',
  dropIndex: 'drop-index',
  addConstraint: 'add-constraint',
  createForeignKey: 'add-constraint',
  createForeignKeys: 'add-constraint',
  addForeignKey: 'add-constraint',
  createPrimaryKey: 'add-constraint',
  createUniqueConstraint: 'add-constraint',
  createCheckConstraint: 'add-constraint',
};

/** knex's table builder methods (`table.dropColumn('x')` inside `knex.schema.alterTable('t', (table) => ...)`). */
const KNEX_BUILDER_ACTIONS: Record<string, OrmActionKind> = {
  dropColumn: 'drop-column',
  dropColumns: 'drop-column',
  renameColumn: 'rename-column',
  index: 'create-index',
  dropIndex: 'drop-index',
  unique: 'add-constraint',
  primary: 'add-constraint',
  foreign: 'add-constraint',
};

/** Frameworks whose index calls take `{ concurrently: true }`. */
const CONCURRENT_INDEX_FRAMEWORKS = new Set<Framework>(['sequelize', 'node-pg-migrate']);

const cache = new WeakMap<MigrationFile, OrmSchemaAction[]>();

/** Every ORM schema action of a TS/JS migration, in file order. */
export function ormSchemaActions(file: MigrationFile): OrmSchemaAction[] {
  let actions = cache.get(file);
  if (actions) return actions;
  actions = [];
  const source = file.host?.source;
  const framework = file.host?.framework ?? 'script';
  if (source) {
    const ts = typescript();
    for (const operation of file.operations) {
      const call = operation.call;
      if (!call || call.kind !== 'ddl' || !ts.isCallExpression(call.node)) continue;
      if (call.method === 'alterTable' || call.method === 'table') {
        actions.push(...knexBuilderActions(call, operation, source));
        continue;
      }
      // node-pg-migrate's `alterColumn(table, column, options)` changes the type only when `type` is given.
      const kind =
        call.method === 'alterColumn'
          ? changesType(call.node)
            ? 'change-column-type'
            : undefined
          : HANDLE_ACTIONS[call.method];
      if (kind) actions.push(handleAction(kind, call, call.node, operation, source, framework));
    }
  }
  actions.sort((a, b) => a.span.start - b.span.start);
  cache.set(file, actions);
  return actions;
}

/** The ORM actions of one kind on tables that existed before the migration. */
export function ormActionsOnExistingTables(file: MigrationFile, kind: OrmActionKind): OrmSchemaAction[] {
  const created = newTables(file);
  return ormSchemaActions(file).filter(
    (action) => action.kind === kind && !created.isNew(action.table, action.operation),
  );
}

/** The lock an ORM action takes on its (existing) table. */
export function ormActionLock(action: OrmSchemaAction): LockMode {
  if (action.kind === 'create-index') return action.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE';
  if (action.kind === 'drop-index' && action.concurrently) return 'SHARE UPDATE EXCLUSIVE';
  return 'ACCESS EXCLUSIVE';
}

function handleAction(
  kind: OrmActionKind,
  call: SchemaCall,
  node: ts.CallExpression,
  operation: Operation,
  source: ts.SourceFile,
  framework: Framework,
): OrmSchemaAction {
  return {
    kind,
    operation,
    table: call.table,
    column: columnArgument(kind, node),
    concurrently: hasTrueOption(node, 'concurrently'),
    supportsConcurrently: CONCURRENT_INDEX_FRAMEWORKS.has(framework),
    span: methodSpan(node, source),
    method: call.method,
  };
}

/** The column a column action names: the second argument of `removeColumn('t', 'c')` and its siblings. */
function columnArgument(kind: OrmActionKind, node: ts.CallExpression): string | undefined {
  const { stringValue } = hostSyntax();
  if (!['drop-column', 'rename-column', 'change-column-type', 'add-column'].includes(kind)) return undefined;
  return stringValue(node.arguments[1])?.value;
}

/** Whether any object-literal argument sets `name: true` (`addIndex('t', ['c'], { concurrently: true })`). */
function hasTrueOption(node: ts.CallExpression, name: string): boolean {
  const ts = typescript();
  const { propertyValue, unwrap } = hostSyntax();
  return node.arguments.some((arg) => {
    const inner = unwrap(arg);
    if (!ts.isObjectLiteralExpression(inner)) return false;
    const value = propertyValue(inner, name);
    return value !== undefined && unwrap(value).kind === ts.SyntaxKind.TrueKeyword;
  });
}

function changesType(node: ts.CallExpression): boolean {
  const ts = typescript();
  const { propertyValue, unwrap } = hostSyntax();
  const options = node.arguments[2] && unwrap(node.arguments[2]);
  return options !== undefined && ts.isObjectLiteralExpression(options) && propertyValue(options, 'type') !== undefined;
}

function methodSpan(node: ts.CallExpression, source: ts.SourceFile): Span {
  const access = hostSyntax().methodAccess(node);
  return { start: access ? access.name.getStart(source) : node.getStart(source), end: node.end };
}

/**
 * The actions inside a knex `alterTable('t', (table) => { ... })` callback: builder calls on the callback's
 * parameter, and column definitions chained with `.alter()`, which change an existing column's type.
 */
function knexBuilderActions(call: SchemaCall, operation: Operation, source: ts.SourceFile): OrmSchemaAction[] {
  const ts = typescript();
  const { functionOf, methodAccess, stringValue, unwrap } = hostSyntax();
  const node = call.node as ts.CallExpression;
  const callback = functionOf(node.arguments[1], source);
  const parameter = callback?.parameters[0]?.name;
  if (!callback?.body || !parameter || !ts.isIdentifier(parameter)) return [];
  const builder = parameter.text;
  const actions: OrmSchemaAction[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isCallExpression(child)) {
      const access = methodAccess(child);
      const receiver = access && unwrap(access.expression);
      if (access && receiver && ts.isIdentifier(receiver) && receiver.text === builder) {
        const kind = KNEX_BUILDER_ACTIONS[access.name.text];
        if (kind)
          actions.push(knexAction(kind, child, call, operation, source, stringValue(child.arguments[0])?.value));
      }
      if (access?.name.text === 'alter') {
        const column = alteredColumn(child, builder);
        if (column)
          actions.push(knexAction('change-column-type', column.definition, call, operation, source, column.name));
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(callback.body);
  return actions;
}

function knexAction(
  kind: OrmActionKind,
  node: ts.CallExpression,
  call: SchemaCall,
  operation: Operation,
  source: ts.SourceFile,
  column: string | undefined,
): OrmSchemaAction {
  const { methodAccess, nodeSpan } = hostSyntax();
  return {
    kind,
    operation,
    table: call.table,
    column: kind === 'create-index' || kind === 'drop-index' || kind === 'add-constraint' ? undefined : column,
    concurrently: false,
    supportsConcurrently: false,
    span: kind === 'change-column-type' ? nodeSpan(node, source) : methodSpan(node, source),
    method: kind === 'change-column-type' ? 'alter' : (methodAccess(node)?.name.text ?? 'alter'),
  };
}

/** In `table.bigInteger('user_id').notNullable().alter()`, the `table.bigInteger('user_id')` call. */
function alteredColumn(
  alter: ts.CallExpression,
  builder: string,
): { definition: ts.CallExpression; name?: string } | undefined {
  const ts = typescript();
  const { methodAccess, stringValue, unwrap } = hostSyntax();
  let current: ts.Expression = unwrap(alter.expression);
  while (ts.isPropertyAccessExpression(current)) {
    const inner = unwrap(current.expression);
    if (!ts.isCallExpression(inner)) return undefined;
    const access = methodAccess(inner);
    const receiver = access && unwrap(access.expression);
    if (access && receiver && ts.isIdentifier(receiver) && receiver.text === builder) {
      return { definition: inner, name: stringValue(inner.arguments[0])?.value };
    }
    current = unwrap(inner.expression);
  }
  return undefined;
}

/** Helpers over TypeScript syntax trees: like the compiler, loaded only once a TS/JS migration is read. */
function hostSyntax(): typeof import('../parse/host-syntax') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../parse/host-syntax');
}
