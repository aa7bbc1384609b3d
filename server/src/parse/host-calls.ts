import * as ts from 'typescript';
import { HostCall, SchemaCall, SqlCall, TABLELESS_METHODS, TransactionCall } from './host-types';
import { handlesOf } from './host-handles';
import { SQL_METHODS, beginsLikeSql, isSqlTag, sqlArgument, sqlFragmentOf } from './host-sql';
import { bindsName, methodAccess, nodeSpan, propertyValue, stringValue, unwrap } from './host-syntax';
import { Span } from './text';

/**
 * Recognises the calls a migration makes: SQL it sends, ORM and query-builder calls that change a table's
 * schema or data, and explicit transaction control. The names of ORM methods are common words
 * (`update`, `delete`, `addColumn`), so schema and data calls only count on a migration handle.
 */

export interface CallContext {
  source: ts.SourceFile;
  /** The `up`/`down` functions: their parameters are the migration handle (`queryInterface`, `knex`, `pgm`). */
  sectionFunctions: ReadonlySet<ts.Node>;
  /**
   * knex and TypeORM read `'schema.table'` as a qualified name; Sequelize and node-pg-migrate quote the whole
   * string as one identifier.
   */
  splitsDottedNames: boolean;
  /** Whether `x.execute(text)` sends SQL in this file (it imports MikroORM or mysql2). */
  executeSendsSql: boolean;
}

/** Names that mean a migration handle wherever they are bound (helpers often take the handle as `qi`, `db`). */
const HANDLE_NAMES = new Set([
  'queryInterface',
  'queryRunner',
  'pgm',
  'knex',
  'trx',
  'db',
  'sequelize',
  'qi',
  'transaction',
]);

/**
 * Schema changes called on the handle itself: Sequelize's QueryInterface, TypeORM's QueryRunner,
 * node-pg-migrate's `pgm` and db-migrate's `db`, and knex's `knex.schema` without chaining.
 */
const HANDLE_DDL = new Set([
  'createTable',
  'dropTable',
  'renameTable',
  'alterTable',
  'addColumn',
  'addColumns',
  'removeColumn',
  'dropColumn',
  'dropColumns',
  'changeColumn',
  'changeColumns',
  'renameColumn',
  'alterColumn',
  'addIndex',
  'removeIndex',
  'createIndex',
  'dropIndex',
  'addConstraint',
  'removeConstraint',
  'dropConstraint',
  'renameConstraint',
  'createForeignKey',
  'createForeignKeys',
  'dropForeignKey',
  'addForeignKey',
  'removeForeignKey',
  'createPrimaryKey',
  'dropPrimaryKey',
  'createUniqueConstraint',
  'dropUniqueConstraint',
  'createCheckConstraint',
  'dropCheckConstraint',
  'createSchema',
  'dropSchema',
  'createFunction',
  'dropFunction',
  'createTrigger',
  'dropTrigger',
  'dropEnum',
  'createType',
  'addTypeValue',
  'createExtension',
  'createView',
  'dropView',
]);

/** knex's SchemaBuilder (`knex.schema.<method>`), which chains and takes `withSchema('s')`. */
const SCHEMA_BUILDER_DDL = new Set([
  'createTable',
  'createTableIfNotExists',
  'alterTable',
  'table',
  'dropTable',
  'dropTableIfExists',
  'renameTable',
  'createView',
  'dropView',
  'createSchema',
  'dropSchema',
]);

const CREATES_TABLE = new Set(['createTable', 'createTableIfNotExists']);

type DmlAction = NonNullable<SchemaCall['dmlAction']>;

/** Data changes called on the handle with the table first: Sequelize's QueryInterface, TypeORM's QueryRunner. */
const HANDLE_DML = new Map<string, DmlAction>([
  ['bulkInsert', 'insert'],
  ['bulkUpdate', 'update'],
  ['bulkDelete', 'delete'],
  ['upsert', 'insert'],
  ['clearTable', 'truncate'],
]);

/**
 * TypeORM's EntityManager (`queryRunner.manager.insert('users', ...)`), and db-migrate's `db.insert('t', ...)`:
 * these only name a table when the first argument is a string; otherwise it is an entity class.
 */
const ENTITY_MANAGER_DML = new Map<string, DmlAction>([
  ['insert', 'insert'],
  ['update', 'update'],
  ['delete', 'delete'],
]);

/** The links of a knex query-builder chain that change data. */
const QUERY_BUILDER_DML = new Map<string, DmlAction>([
  ['insert', 'insert'],
  ['upsert', 'insert'],
  ['merge', 'insert'],
  ['update', 'update'],
  ['increment', 'update'],
  ['decrement', 'update'],
  ['del', 'delete'],
  ['delete', 'delete'],
  ['truncate', 'truncate'],
]);

/** The links of a knex query-builder chain that name its table. */
const QUERY_BUILDER_TABLE_LINKS = new Set(['table', 'from', 'into']);

const TRANSACTION_ACTIONS = new Map<string, TransactionCall['action']>([
  ['startTransaction', 'begin'],
  ['commitTransaction', 'commit'],
  ['rollbackTransaction', 'rollback'],
]);

/** What `call` does, or undefined when it is none of the calls Preflight follows. */
export function classifyCall(call: ts.CallExpression, ctx: CallContext): HostCall | undefined {
  return sqlCall(call, ctx) ?? handleCall(call, ctx) ?? schemaBuilderCall(call, ctx) ?? queryBuilderChain(call, ctx);
}

/** Methods that send SQL whatever they are called on: the receiver need not be recognised. */
const ALWAYS_SQL_METHODS: ReadonlySet<string> = new Set([
  'addSql',
  'runSql',
  'unsafe',
  '$executeRawUnsafe',
  '$queryRawUnsafe',
]);

/**
 * A query whose SQL the file does not show: `client.query(buildReport(range))`, `pgm.sql(statements[i])`. Its
 * statements cannot be checked, and are not guessed at: the lint says so once per file
 * (rules/sql-not-analysed.ts). Only calls on something known to be a database count, so that an unrelated
 * `query(...)` is not one.
 */
export function isOpaqueQuery(call: ts.CallExpression, ctx: CallContext): boolean {
  const access = methodAccess(call);
  const method = access?.name.text ?? '';
  // postgres-js `sql.file('seed.sql')` runs a file's statements: they are not in this one.
  if (access && method === 'file') return isPostgresJs(access.expression, ctx);
  if (!access || !(SQL_METHODS.has(method) || (method === 'execute' && ctx.executeSendsSql))) return false;
  const argument = call.arguments[0];
  // A tagged template there is a query builder's object (`sql.join`, Drizzle's `sql`), not text.
  if (!argument || sqlArgument(argument) || ts.isTaggedTemplateExpression(unwrap(argument)) || isEmbeddedRaw(call))
    return false;
  return ALWAYS_SQL_METHODS.has(method) || isDatabase(access.expression, ctx);
}

function isPostgresJs(receiver: ts.Expression, ctx: CallContext): boolean {
  const kind = handlesOf(ctx.source).resolve(receiver).kind;
  return kind.kind !== 'unknown' && kind.library === 'postgres-js';
}

/** A migration handle (or a path from one), or a pool, client or connection the handle model recognises. */
function isDatabase(receiver: ts.Expression, ctx: CallContext): boolean {
  return isHandleChain(chainOf(receiver), ctx) || handlesOf(ctx.source).resolve(receiver).kind.kind !== 'unknown';
}

/** A bare `sql\`...\`` query, unless it is a piece of a larger one or the argument of a query call. */
export function classifyTaggedTemplate(node: ts.TaggedTemplateExpression, ctx: CallContext): SqlCall | undefined {
  if (!isSqlTag(node.tag) || isComposedSqlPiece(node) || isQueryCallArgument(node)) return undefined;
  return {
    kind: 'sql',
    span: nodeSpan(node, ctx.source),
    node,
    receiver: node.tag,
    method: 'sql',
    fragment: sqlFragmentOf(node, ctx.source),
  };
}

function sqlCall(call: ts.CallExpression, ctx: CallContext): SqlCall | undefined {
  const access = methodAccess(call);
  const method = access?.name.text ?? '';
  if (!access || !(SQL_METHODS.has(method) || (method === 'execute' && ctx.executeSendsSql))) return undefined;
  const sql = sqlArgument(call.arguments[0]);
  if (!sql || (access.name.text === 'raw' && isEmbeddedRaw(call))) return undefined;
  const fragment = sqlFragmentOf(sql, ctx.source);
  // The cheap test first: asking what the receiver is may build the file's type checker.
  if (!ALWAYS_SQL_METHODS.has(method) && !beginsLikeSql(fragment) && !isDatabase(access.expression, ctx))
    return undefined;
  return { kind: 'sql', span: nodeSpan(call, ctx.source), node: call, receiver: access.expression, method, fragment };
}

/**
 * slonik and postgres-js compose queries: an `sql` template inside another template's `${}` or passed to
 * `sql.join(...)` is a piece of the outer statement, not a statement of its own.
 */
function isComposedSqlPiece(node: ts.Node): boolean {
  let child = node;
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (ts.isTemplateSpan(parent)) return true;
    if (
      ts.isCallExpression(parent) &&
      parent.arguments.includes(child as ts.Expression) &&
      isSqlTag(parent.expression)
    ) {
      return true;
    }
    child = parent;
  }
  return false;
}

/** `pool.query(sql\`...\`)`: the outer call reports the query, once. */
function isQueryCallArgument(node: ts.Node): boolean {
  let child = node;
  while (ts.isParenthesizedExpression(child.parent) || ts.isAsExpression(child.parent)) child = child.parent;
  const parent = child.parent;
  if (!ts.isCallExpression(parent) || parent.arguments[0] !== child) return false;
  const access = methodAccess(parent);
  return access !== undefined && SQL_METHODS.has(access.name.text);
}

/**
 * `knex.raw('now()')` handed to a builder (a column default, a `where`, an update value) is an SQL expression
 * inside a larger statement, not a statement: only a raw call that runs by itself is a query.
 */
function isEmbeddedRaw(call: ts.CallExpression): boolean {
  let child: ts.Node = call;
  let parent = call.parent;
  while (
    parent &&
    (ts.isParenthesizedExpression(parent) || ts.isArrayLiteralExpression(parent) || ts.isSpreadElement(parent))
  ) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return false;
  if (ts.isPropertyAssignment(parent) || ts.isTemplateSpan(parent)) return true;
  if (ts.isCallExpression(parent) && parent.arguments.includes(child as ts.Expression))
    return !isPromiseCombinator(parent);
  return false;
}

/** `Promise.all([...])` and its siblings run the queries they are given. */
function isPromiseCombinator(call: ts.CallExpression): boolean {
  const access = methodAccess(call);
  return access !== undefined && ts.isIdentifier(access.expression) && access.expression.text === 'Promise';
}

/** A call on the handle itself or a plain property path from it (`queryRunner.manager`, `knex.schema`). */
function handleCall(call: ts.CallExpression, ctx: CallContext): SchemaCall | TransactionCall | undefined {
  const access = methodAccess(call);
  if (!access) return undefined;
  const chain = chainOf(access.expression);
  if (!isPlainPath(chain) || !isHandleChain(chain, ctx)) return undefined;
  const method = access.name.text;
  const base = { span: nodeSpan(call, ctx.source), node: call, receiver: access.expression, method };
  const action = TRANSACTION_ACTIONS.get(method);
  if (action) return { ...base, kind: 'transaction', action };
  const firstArg = call.arguments[0];
  if (HANDLE_DDL.has(method)) {
    const table = TABLELESS_METHODS.has(method) ? undefined : tableOf(firstArg, ctx);
    return { ...base, kind: 'ddl', ...tableFields(table), createsTable: CREATES_TABLE.has(method) };
  }
  const handleAction = HANDLE_DML.get(method);
  if (handleAction) return { ...base, kind: 'dml', ...tableFields(tableOf(firstArg, ctx)), dmlAction: handleAction };
  const managerAction = ENTITY_MANAGER_DML.get(method);
  const named = managerAction ? stringValue(firstArg) : undefined;
  if (managerAction && named) {
    return { ...base, kind: 'dml', ...tableFields(tableOf(named.node, ctx)), dmlAction: managerAction };
  }
  return undefined;
}

/** `knex.schema.withSchema('s').createTable(...)` and chained `knex.schema.createTable(a).createTable(b)`. */
function schemaBuilderCall(call: ts.CallExpression, ctx: CallContext): SchemaCall | undefined {
  const access = methodAccess(call);
  if (!access || !SCHEMA_BUILDER_DDL.has(access.name.text)) return undefined;
  const chain = chainOf(access.expression);
  if (!chain.links.some((link) => !link.call && link.name === 'schema')) return undefined;
  const method = access.name.text;
  const table = TABLELESS_METHODS.has(method) ? undefined : tableOf(call.arguments[0], ctx, withSchemaOf(chain));
  return {
    kind: 'ddl',
    span: nodeSpan(call, ctx.source),
    node: call,
    receiver: access.expression,
    method,
    ...tableFields(table),
    createsTable: CREATES_TABLE.has(method),
  };
}

/**
 * A knex query-builder chain that changes data (`knex('users').where(...).update(...)`,
 * `knex.insert(rows).into('t')`), reported once, at its outermost call, with the table the chain names.
 */
function queryBuilderChain(call: ts.CallExpression, ctx: CallContext): SchemaCall | undefined {
  if (!isOutermostLink(call)) return undefined;
  const chain = chainOf(call);
  const root = chain.root;
  const rootIsBuilder = ts.isCallExpression(root) && ts.isIdentifier(unwrap(root.expression));
  const rootHandle = rootIsBuilder ? (unwrap(root.expression) as ts.Identifier) : root;
  if (!ts.isIdentifier(rootHandle) || !isHandle(rootHandle, ctx)) return undefined;
  // A property read (`knex.schema`, `queryRunner.manager`, `knex.fn`) leaves the query builder.
  if (chain.links.some((link) => !link.call)) return undefined;
  const action = chain.links.find((link) => QUERY_BUILDER_DML.has(link.name));
  // Sequelize's `queryInterface.upsert('t', ...)` is reported where it is called, not as a chain.
  if (!action?.call || handleCall(action.call, ctx)) return undefined;
  const tableLink = chain.links.find((link) => QUERY_BUILDER_TABLE_LINKS.has(link.name));
  const tableArg = rootIsBuilder ? root.arguments[0] : tableLink?.call?.arguments[0];
  const table = tableOf(tableArg, ctx, withSchemaOf(chain), { dropAlias: true });
  return {
    kind: 'dml',
    span: nodeSpan(call, ctx.source),
    node: call,
    receiver: action.access.expression,
    method: action.name,
    ...tableFields(table),
    dmlAction: QUERY_BUILDER_DML.get(action.name),
  };
}

/** One step of `a.b(...).c.d(...)`: a property read, or a method call when `call` is set. */
interface ChainLink {
  name: string;
  access: ts.PropertyAccessExpression;
  call?: ts.CallExpression;
}

/** A chain split into its root (`knex`, `knex('t')`, `this`) and its links in source order. */
interface Chain {
  root: ts.Expression;
  links: ChainLink[];
}

function chainOf(expr: ts.Expression): Chain {
  const links: ChainLink[] = [];
  let current = unwrap(expr);
  for (;;) {
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(unwrap(current.expression))) {
      const access = unwrap(current.expression) as ts.PropertyAccessExpression;
      links.unshift({ name: access.name.text, access, call: current });
      current = unwrap(access.expression);
    } else if (ts.isPropertyAccessExpression(current)) {
      links.unshift({ name: current.name.text, access: current });
      current = unwrap(current.expression);
    } else {
      return { root: current, links };
    }
  }
}

function isPlainPath(chain: Chain): boolean {
  return ts.isIdentifier(chain.root) && chain.links.every((link) => !link.call);
}

/** Rooted at a migration handle, or reaching the schema or data API through `.schema` (knex) / `.manager` (TypeORM). */
function isHandleChain(chain: Chain, ctx: CallContext): boolean {
  if (ts.isIdentifier(chain.root) && isHandle(chain.root, ctx)) return true;
  return chain.links.some((link) => !link.call && (link.name === 'schema' || link.name === 'manager'));
}

/**
 * A handle by name, or a parameter of `up`/`down` or of a transaction callback. A parameter of any other
 * function is not: knex's `createTable('t', (table) => table.dropColumn('x'))` builder is not a handle.
 */
function isHandle(id: ts.Identifier, ctx: CallContext): boolean {
  if (HANDLE_NAMES.has(id.text)) return true;
  for (let scope = id.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, id.text))) {
      return ctx.sectionFunctions.has(scope) || isTransactionCallback(scope);
    }
  }
  return false;
}

/**
 * Methods whose callback runs in a transaction they open and commit: Sequelize, knex, TypeORM, slonik, Kysely and
 * Drizzle `transaction(cb)`, postgres-js `begin(cb)`, MikroORM `em.transactional(cb)`, Prisma `$transaction(cb)`.
 * (postgres-js `savepoint(cb)` runs inside the enclosing `begin`.)
 */
const TRANSACTION_CALLBACK_METHODS = new Set(['transaction', 'begin', 'transactional', '$transaction']);

/** The callback of `sequelize.transaction(cb)`, `knex.transaction(cb)`, `dataSource.transaction(cb)`, `sql.begin(cb)`. */
export function isTransactionCallback(node: ts.Node): boolean {
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return false;
  let child: ts.Node = node;
  while (ts.isParenthesizedExpression(child.parent)) child = child.parent;
  const parent = child.parent;
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(child as ts.Expression)) return false;
  return TRANSACTION_CALLBACK_METHODS.has(methodAccess(parent)?.name.text ?? '');
}

/** Whether `call` ends its chain: it is not the object of a further `.method(...)`. */
function isOutermostLink(call: ts.CallExpression): boolean {
  let child: ts.Node = call;
  while (ts.isParenthesizedExpression(child.parent)) child = child.parent;
  const access = child.parent;
  return !(ts.isPropertyAccessExpression(access) && access.expression === child && ts.isCallExpression(access.parent));
}

function withSchemaOf(chain: Chain): string | undefined {
  const link = chain.links.find((l) => l.name === 'withSchema' && l.call);
  return stringValue(link?.call?.arguments[0])?.value;
}

interface TableRef {
  table: string;
  span: Span;
}

/**
 * The table a call's first argument names: `'users'`, `{ tableName: 'users', schema: 'app' }` (Sequelize),
 * `{ schema: 'app', name: 'users' }` (node-pg-migrate), `new Table({ name: 'users' })` (TypeORM). Names keep
 * their case: ORMs quote the identifiers they generate.
 */
function tableOf(
  arg: ts.Expression | undefined,
  ctx: CallContext,
  defaultSchema?: string,
  options: { dropAlias?: boolean } = {},
): TableRef | undefined {
  if (!arg) return undefined;
  const inner = unwrap(arg);
  const object = ts.isNewExpression(inner) ? inner.arguments?.[0] : inner;
  if (object && ts.isObjectLiteralExpression(unwrap(object))) {
    const literal = unwrap(object) as ts.ObjectLiteralExpression;
    const name = stringValue(propertyValue(literal, 'tableName') ?? propertyValue(literal, 'name'));
    if (!name) return undefined;
    const schema = stringValue(propertyValue(literal, 'schema'))?.value ?? defaultSchema;
    return { table: qualify(name.value, schema, ctx), span: nodeSpan(name.node, ctx.source) };
  }
  const named = stringValue(inner);
  if (!named) return undefined;
  // knex reads `'users as u'` as a table with an alias.
  const name = options.dropAlias ? named.value.split(/\s+as\s+/i)[0].trim() : named.value;
  return { table: qualify(name, defaultSchema, ctx), span: nodeSpan(named.node, ctx.source) };
}

function qualify(name: string, schema: string | undefined, ctx: CallContext): string {
  const parts = name.split('.');
  if (ctx.splitsDottedNames && parts.length > 1) return parts.slice(-2).join('.');
  return `${schema ?? 'public'}.${name}`;
}

function tableFields(ref: TableRef | undefined): Pick<SchemaCall, 'table' | 'tableSpan'> {
  return ref ? { table: ref.table, tableSpan: ref.span } : {};
}
