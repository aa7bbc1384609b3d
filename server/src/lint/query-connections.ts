import * as ts from 'typescript';
import type { SqlCall } from '../parse/host-types';
import { unwrap } from '../parse/host-syntax';
import type { MigrationFile, Operation } from '../parse/migration';
import { transactionState } from './transaction-context';

/**
 * Which database connection a query call in TS/JS runs on, found by following the object it is called on back
 * to where the file creates it, without running anything. What is session state in PostgreSQL (an advisory
 * lock, a SET, a temporary table) only stays together when every query runs on one connection.
 *
 * This module loads the TypeScript compiler: load it only for TS/JS files (see parse/typescript.ts).
 */
export type PoolLibrary = 'pg' | 'postgres-js' | 'knex' | 'sequelize' | 'slonik' | 'typeorm' | 'mysql2';

export type QueryConnection =
  /** Each query takes whichever pooled connection is free. */
  | { kind: 'pool'; library: PoolLibrary; name: string }
  /** One connection for every query through `owner`: a checked-out client, a reserved connection, a transaction. */
  | { kind: 'single'; owner: ts.Node; name: string }
  | { kind: 'unknown'; name: string };

/** Methods that hand out one connection of a pool: `pool.connect()`, `sql.reserve()`, `knex.transaction()`, ... */
const CHECKOUT_METHODS = new Set(['connect', 'reserve', 'transaction', 'acquireConnection', 'createQueryRunner', 'getConnection']);

/** Methods whose callback gets one connection: `pool.connect(cb)`, `sql.begin(cb)`, `knex.transaction(cb)`, ... */
const CALLBACK_CHECKOUT_METHODS = new Set(['connect', 'begin', 'transaction', 'reserve', 'task', 'tx']);

/** `new X(...)` by class name. */
const CONSTRUCTED: Record<string, QueryConnectionKind> = {
  Pool: { kind: 'pool', library: 'pg' },
  Client: { kind: 'single' },
  Sequelize: { kind: 'pool', library: 'sequelize' },
  DataSource: { kind: 'pool', library: 'typeorm' },
};

/** Factories by the module they come from (`postgres(...)`, `require('knex')(...)`) or by name. */
const FACTORIES: Record<string, PoolLibrary> = { postgres: 'postgres-js', knex: 'knex', createPool: 'slonik' };

/** MySQL's drivers: `mysql.createPool()` hands out pooled connections, `mysql.createConnection()` is one. */
const MYSQL_MODULES = new Set(['mysql2', 'mysql2/promise', 'mysql']);
const MYSQL_FACTORIES: Record<string, QueryConnectionKind> = { createPool: { kind: 'pool', library: 'mysql2' }, createConnection: { kind: 'single' } };

type QueryConnectionKind = { kind: 'pool'; library: PoolLibrary } | { kind: 'single' } | { kind: 'unknown' };

/** Resolves the connections of one file's query calls; builds a type checker for the file on first use. */
export class QueryConnections {
  private checker: ts.TypeChecker | undefined;
  constructor(private readonly file: MigrationFile) {}

  of(operation: Operation): QueryConnection {
    const call = operation.call;
    const source = this.file.host?.source;
    if (!call || call.kind !== 'sql' || !call.receiver || !source) return { kind: 'unknown', name: 'this call' };
    const name = call.receiver.getText(source);
    // knex: `knex.raw(sql).connection(conn)` runs on `conn`.
    const pinned = this.pinnedConnection(call);
    if (pinned) return this.named(this.resolve(pinned, operation), pinned.getText(source));
    if (this.isSequelize(call.receiver)) {
      const transaction = this.transactionOption(call);
      if (!transaction) return { kind: 'pool', library: 'sequelize', name };
      return this.named(this.resolve(transaction, operation), `${name} with { transaction: ${transaction.getText(source)} }`);
    }
    return this.named(this.resolve(call.receiver, operation), name);
  }

  private named(resolved: { kind: QueryConnectionKind; owner?: ts.Node }, name: string): QueryConnection {
    const { kind, owner } = resolved;
    if (kind.kind === 'pool') return { kind: 'pool', library: kind.library, name };
    if (kind.kind === 'single' && owner) return { kind: 'single', owner, name };
    return { kind: 'unknown', name };
  }

  /** What `expr` is, and the declaration that owns it (so that two calls on one connection compare equal). */
  private resolve(expr: ts.Expression, operation: Operation, depth = 0): { kind: QueryConnectionKind; owner?: ts.Node } {
    const inner = unwrapExpression(expr);
    if (depth > 8) return { kind: { kind: 'unknown' } };
    if (ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner)) {
      const declaration = this.declarationOf(inner);
      if (!declaration) return { kind: { kind: 'unknown' } };
      if (ts.isParameter(declaration)) return { kind: this.parameterKind(declaration, operation), owner: declaration };
      const initializer = initializerOf(declaration);
      if (!initializer) return { kind: { kind: 'unknown' }, owner: declaration };
      const value = unwrapExpression(initializer);
      // `const db = pool`: the same object under another name.
      if (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value)) return this.resolve(value, operation, depth + 1);
      return { kind: this.createdKind(value), owner: declaration };
    }
    return { kind: this.createdKind(inner) };
  }

  /** What an expression that creates a database object creates. */
  private createdKind(expr: ts.Expression): QueryConnectionKind {
    if (ts.isNewExpression(expr)) return CONSTRUCTED[lastName(expr.expression) ?? ''] ?? { kind: 'unknown' };
    if (!ts.isCallExpression(expr)) return { kind: 'unknown' };
    const callee = unwrapExpression(expr.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      // `pool.connect()`, `sql.reserve()`, `knex.transaction()` (no callback), `knex.client.acquireConnection()`.
      if (CHECKOUT_METHODS.has(method) && !expr.arguments.some((arg) => isFunction(arg))) return { kind: 'single' };
      const mysql = MYSQL_FACTORIES[method];
      if (mysql && MYSQL_MODULES.has(this.moduleOf(unwrapExpression(callee.expression)) ?? '')) return mysql;
      return { kind: 'unknown' };
    }
    const library = FACTORIES[this.moduleOf(callee) ?? ''] ?? FACTORIES[ts.isIdentifier(callee) ? callee.text : ''];
    return library ? { kind: 'pool', library } : { kind: 'unknown' };
  }

  /**
   * A parameter of `up`/`down` is the migration runner's handle; a parameter of a checkout callback
   * (`pool.connect(async (client) => ...)`, `knex.transaction(async (trx) => ...)`) is one connection.
   */
  private parameterKind(parameter: ts.ParameterDeclaration, operation: Operation): QueryConnectionKind {
    const fn = parameter.parent;
    const host = this.file.host!;
    const source = host.source;
    const body = ts.isFunctionLike(fn) ? (fn as ts.FunctionLikeDeclaration).body : undefined;
    const isSection = body !== undefined && host.sections.some((s) => s.span.start === body.getStart(source) && s.span.end === body.end);
    if (isSection) {
      // knex hands `up`/`down` a transaction when it wraps the migration in one, and the pooled instance otherwise.
      if (host.framework === 'knex') {
        return transactionState(this.file, operation) === 'autocommit' ? { kind: 'pool', library: 'knex' } : { kind: 'single' };
      }
      // TypeORM's QueryRunner, node-pg-migrate's `pgm` and db-migrate's `db` each hold one connection.
      return host.framework === 'sequelize' || host.framework === 'script' ? { kind: 'unknown' } : { kind: 'single' };
    }
    const call = fn.parent;
    if (ts.isCallExpression(call) && call.arguments.includes(fn as ts.Expression)) {
      const callee = unwrapExpression(call.expression);
      if (ts.isPropertyAccessExpression(callee) && CALLBACK_CHECKOUT_METHODS.has(callee.name.text)) return { kind: 'single' };
    }
    return { kind: 'unknown' };
  }

  /** `sequelize.query(...)`, `queryInterface.sequelize.query(...)`, or a `new Sequelize(...)` under any name. */
  private isSequelize(receiver: ts.Expression): boolean {
    const inner = unwrapExpression(receiver);
    if (lastName(inner) === 'sequelize') return true;
    const declaration = ts.isIdentifier(inner) ? this.declarationOf(inner) : undefined;
    const initializer = declaration && initializerOf(declaration);
    return initializer !== undefined && ts.isNewExpression(initializer) && lastName(initializer.expression) === 'Sequelize';
  }

  /** The value of the `transaction` option of `sequelize.query(sql, { transaction: t })`. */
  private transactionOption(call: SqlCall): ts.Expression | undefined {
    const options = ts.isCallExpression(call.node) ? call.node.arguments[1] : undefined;
    if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
    for (const property of options.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'transaction') {
        return property.initializer;
      }
      if (ts.isShorthandPropertyAssignment(property) && property.name.text === 'transaction') return property.name;
    }
    return undefined;
  }

  private pinnedConnection(call: SqlCall): ts.Expression | undefined {
    const access = call.node.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.name.text !== 'connection') return undefined;
    const pin = access.parent;
    return ts.isCallExpression(pin) && pin.expression === access ? pin.arguments[0] : undefined;
  }

  /** The declaration a name refers to in this file (a variable, parameter, class property or `this.x = ...`). */
  private declarationOf(expr: ts.Identifier | ts.PropertyAccessExpression): ts.Declaration | undefined {
    this.checker ??= checkerFor(this.file.host!.source);
    const symbol = this.checker.getSymbolAtLocation(ts.isIdentifier(expr) ? expr : expr.name);
    return symbol?.declarations?.[0];
  }

  /** The module an imported or required name comes from: `postgres` for `import postgres from 'postgres'`. */
  private moduleOf(callee: ts.Expression): string | undefined {
    // `require('knex')(config)`
    if (ts.isCallExpression(callee)) return requiredModule(callee);
    if (!ts.isIdentifier(callee)) return undefined;
    const declaration = this.declarationOf(callee);
    if (!declaration) return undefined;
    if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
      return requiredModule(unwrapExpression(declaration.initializer));
    }
    let node: ts.Node | undefined = declaration;
    while (node && !ts.isImportDeclaration(node)) node = node.parent;
    return node && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
  }
}

function requiredModule(expr: ts.Expression): string | undefined {
  if (!ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression) || expr.expression.text !== 'require') return undefined;
  const [name] = expr.arguments;
  return name && ts.isStringLiteral(name) ? name.text : undefined;
}

function initializerOf(declaration: ts.Declaration): ts.Expression | undefined {
  if (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) return declaration.initializer;
  // JavaScript: `this.pool = new Pool()` declares `pool`.
  if (ts.isBinaryExpression(declaration)) return declaration.right;
  return undefined;
}

/** Looks through parentheses, type-only wrappers and `await`. */
function unwrapExpression(expr: ts.Expression): ts.Expression {
  let inner = unwrap(expr);
  while (ts.isAwaitExpression(inner)) inner = unwrap(inner.expression);
  return inner;
}

function lastName(expr: ts.Expression): string | undefined {
  const inner = unwrapExpression(expr);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text;
  return undefined;
}

function isFunction(expr: ts.Expression): boolean {
  return ts.isArrowFunction(expr) || ts.isFunctionExpression(expr);
}

/**
 * A type checker over this one file, for its scopes only: no lib, no imports resolved. Finding what a name
 * refers to (shadowing, destructuring, hoisting, `this.x`) is the binder's job; rewriting it here would be
 * wrong in the corners.
 */
function checkerFor(source: ts.SourceFile): ts.TypeChecker {
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === source.fileName ? source : undefined),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '',
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => name === source.fileName,
    readFile: () => undefined,
  };
  const options: ts.CompilerOptions = { noLib: true, noResolve: true, allowJs: true, types: [] };
  return ts.createProgram([source.fileName], options, host).getTypeChecker();
}
