import * as ts from 'typescript';
import { declaredHandleOf } from './declared-types';
import { importedModules, requiredModule, unwrap } from './host-syntax';

/**
 * What a database handle in TS/JS is, found by data flow from where the file creates or receives it — an
 * import and a factory call (`const client = postgres(url)`), a constructor (`new pg.Pool()`), a checkout
 * (`await pool.connect()`, `await client.reserve()`), a callback parameter (`client.begin(async (tx) => ...)`),
 * a type annotation (`constructor(private readonly pool: Pool)`, `db: postgres.Sql`), a class field assigned in
 * the constructor, a Knex seed's parameter — never by the name the author chose. A handle the file does not
 * show is `unknown`: never guessed.
 *
 * The TypeScript binder answers "what does this name refer to" (shadowing, destructuring, `this.x`); it runs over
 * this one file only (no lib, no imports resolved), built on first use.
 */
export type HandleLibrary = 'pg' | 'postgres-js' | 'knex' | 'sequelize' | 'slonik' | 'typeorm' | 'mysql2';

export type HandleKind =
  /** Each query takes whichever pooled connection is free. */
  | { kind: 'pool'; library: HandleLibrary }
  /** One connection for every query through it: a checked-out client, a reserved connection, a transaction. */
  | { kind: 'single'; library?: HandleLibrary }
  | { kind: 'unknown' };

export interface ResolvedHandle {
  kind: HandleKind;
  /** The declaration that owns the handle: two queries on one connection have the same owner. */
  owner?: ts.Node;
}

const UNKNOWN: HandleKind = { kind: 'unknown' };

/** Methods that hand out one connection of a pool: `pool.connect()`, `sql.reserve()`, `knex.transaction()`, ... */
const CHECKOUT_METHODS = new Set([
  'connect',
  'reserve',
  'transaction',
  'acquireConnection',
  'createQueryRunner',
  'getConnection',
]);

/**
 * Methods whose callback gets one connection: `pool.connect(cb)`, postgres-js `sql.begin(cb)` and
 * `tx.savepoint(cb)`, `knex.transaction(cb)`, pg-promise `db.task(cb)` / `db.tx(cb)`.
 */
const CALLBACK_CHECKOUT_METHODS = new Set(['connect', 'begin', 'savepoint', 'transaction', 'reserve', 'task', 'tx']);

/** `new X(...)` by class name. */
const CONSTRUCTED: Record<string, HandleKind> = {
  Pool: { kind: 'pool', library: 'pg' },
  Client: { kind: 'single', library: 'pg' },
  Sequelize: { kind: 'pool', library: 'sequelize' },
  DataSource: { kind: 'pool', library: 'typeorm' },
};

/** Factories by the module they come from (`postgres(...)`, `require('knex')(...)`) or by name. */
const FACTORIES: Record<string, HandleLibrary> = { postgres: 'postgres-js', knex: 'knex', createPool: 'slonik' };

/** MySQL's drivers: `mysql.createPool()` hands out pooled connections, `mysql.createConnection()` is one. */
const MYSQL_MODULES = new Set(['mysql2', 'mysql2/promise', 'mysql']);
const MYSQL_FACTORIES: Record<string, HandleKind> = {
  createPool: { kind: 'pool', library: 'mysql2' },
  createConnection: { kind: 'single', library: 'mysql2' },
};

/** Types that name a handle, by the module that exports them (`pool: Pool` from 'pg', `db: postgres.Sql`). */
const TYPED_HANDLES: Record<string, Record<string, HandleKind>> = {
  pg: {
    Pool: { kind: 'pool', library: 'pg' },
    PoolClient: { kind: 'single', library: 'pg' },
    Client: { kind: 'single', library: 'pg' },
  },
  postgres: {
    Sql: { kind: 'pool', library: 'postgres-js' },
    TransactionSql: { kind: 'single', library: 'postgres-js' },
    ReservedSql: { kind: 'single', library: 'postgres-js' },
  },
  knex: { Knex: { kind: 'pool', library: 'knex' }, Transaction: { kind: 'single', library: 'knex' } },
  slonik: {
    DatabasePool: { kind: 'pool', library: 'slonik' },
    DatabasePoolConnection: { kind: 'single', library: 'slonik' },
    DatabaseTransactionConnection: { kind: 'single', library: 'slonik' },
  },
  typeorm: { DataSource: { kind: 'pool', library: 'typeorm' }, QueryRunner: { kind: 'single', library: 'typeorm' } },
  sequelize: { Sequelize: { kind: 'pool', library: 'sequelize' } },
};

/** A name bound (or a value assigned) through more steps than this is not followed: `const a = b; const b = a;`. */
const MAX_DEPTH = 8;

const models = new WeakMap<ts.SourceFile, HandleModel>();

/** The handle model of one file, shared by extraction (which tags are postgres-js) and the lint (which connection). */
export function handlesOf(source: ts.SourceFile): HandleModel {
  let model = models.get(source);
  if (!model) models.set(source, (model = new HandleModel(source)));
  return model;
}

export class HandleModel {
  private checker: ts.TypeChecker | undefined;
  private mayTagPostgresJs: boolean | undefined;

  constructor(private readonly source: ts.SourceFile) {}

  /**
   * Whether a tagged template's tag is a postgres-js handle under any name (`client\`...\``, `tx\`...\``,
   * `this.db\`...\``). Only asked in a file that imports or requires 'postgres' or a module of the project's own
   * (whose export's declared type may be postgres-js's `Sql`): elsewhere a tag is not one.
   */
  isPostgresJsTag(tag: ts.Expression): boolean {
    // A handle from the project's own module (`import { sql as db } from './db'`) is for its type to say.
    this.mayTagPostgresJs ??= importedModules(this.source).some((m) => m === 'postgres' || m.startsWith('.'));
    if (!this.mayTagPostgresJs) return false;
    const inner = unwrap(tag);
    if (!ts.isIdentifier(inner) && !ts.isPropertyAccessExpression(inner)) return false;
    const kind = this.resolve(inner).kind;
    return kind.kind !== 'unknown' && kind.library === 'postgres-js';
  }

  /**
   * What `expr` is, and the declaration that owns it. `parameterKind` answers first for a parameter (the
   * migration runner's handle in `up`/`down` is the lint's to judge, by the framework and transaction mode).
   */
  resolve(
    expr: ts.Expression,
    parameterKind?: (parameter: ts.ParameterDeclaration) => HandleKind | undefined,
    depth = 0,
  ): ResolvedHandle {
    const inner = unwrapAwait(expr);
    if (depth > MAX_DEPTH) return { kind: UNKNOWN };
    const bySyntax = this.resolveBySyntax(inner, parameterKind, depth);
    if (bySyntax.kind.kind !== 'unknown' || bySyntax.decidedByRunner) return bySyntax;
    return this.resolveByTypes(inner, bySyntax.owner) ?? bySyntax;
  }

  /** What the file's syntax shows `inner` is; `decidedByRunner` when the migration runner's handle is unknown. */
  private resolveBySyntax(
    inner: ts.Expression,
    parameterKind: ((parameter: ts.ParameterDeclaration) => HandleKind | undefined) | undefined,
    depth: number,
  ): ResolvedHandle & { decidedByRunner?: boolean } {
    if (!ts.isIdentifier(inner) && !ts.isPropertyAccessExpression(inner))
      return { kind: this.createdKind(inner, parameterKind, depth) };
    const declaration = this.declarationOf(inner);
    if (!declaration) return { kind: UNKNOWN };
    if (ts.isParameter(declaration)) {
      const runners = parameterKind?.(declaration);
      if (runners) return { kind: runners, owner: declaration, decidedByRunner: true };
      const kind = this.typedKind(declaration.type) ?? this.callbackParameterKind(declaration, parameterKind, depth);
      return { kind, owner: declaration };
    }
    const typed =
      ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)
        ? this.typedKind(declaration.type)
        : undefined;
    if (typed) return { kind: typed, owner: declaration };
    const initializer = initializerOf(declaration) ?? this.assignedInConstructor(declaration);
    if (!initializer) return { kind: UNKNOWN, owner: declaration };
    const value = unwrapAwait(initializer);
    // `const db = pool`: the same object under another name.
    if (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value))
      return this.resolve(value, parameterKind, depth + 1);
    return { kind: this.createdKind(value, parameterKind, depth), owner: declaration };
  }

  /**
   * What the type checker says `inner` is, where the workspace has the libraries' declarations: a handle
   * imported from the project's own module, a parameter or field typed by an alias, a factory of its own.
   */
  private resolveByTypes(inner: ts.Expression, owner: ts.Node | undefined): ResolvedHandle | undefined {
    if (!ts.isIdentifier(inner) && !ts.isPropertyAccessExpression(inner) && !ts.isCallExpression(inner))
      return undefined;
    const declared = declaredHandleOf(inner);
    const kind = declared && TYPED_HANDLES[declared.type.module]?.[declared.type.name];
    return kind ? { kind, owner: owner ?? declared.declaration } : undefined;
  }

  /** The declaration a name refers to in this file (a variable, parameter, class property or `this.x = ...`). */
  declarationOf(expr: ts.Identifier | ts.PropertyAccessExpression): ts.Declaration | undefined {
    this.checker ??= checkerFor(this.source);
    const symbol = this.checker.getSymbolAtLocation(ts.isIdentifier(expr) ? expr : expr.name);
    return symbol?.declarations?.[0];
  }

  /** The module an imported or required name comes from: `postgres` for `import postgres from 'postgres'`. */
  moduleOf(callee: ts.Expression): string | undefined {
    // `require('knex')(config)`
    if (ts.isCallExpression(callee)) return requiredModule(callee);
    if (!ts.isIdentifier(callee)) return undefined;
    const declaration = this.declarationOf(callee);
    if (!declaration) return undefined;
    let node: ts.Node | undefined = declaration;
    // `const { Pool } = require('pg')` declares `Pool` in a binding element of the declaration.
    while (node && ts.isBindingElement(node)) node = node.parent.parent;
    if (node && ts.isVariableDeclaration(node) && node.initializer) return requiredModule(unwrap(node.initializer));
    while (node && !ts.isImportDeclaration(node)) node = node.parent;
    return node && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
  }

  /** What an expression that creates a database object creates. */
  private createdKind(
    expr: ts.Expression,
    parameterKind: ((parameter: ts.ParameterDeclaration) => HandleKind | undefined) | undefined,
    depth: number,
  ): HandleKind {
    if (ts.isNewExpression(expr)) return CONSTRUCTED[lastName(expr.expression) ?? ''] ?? UNKNOWN;
    if (!ts.isCallExpression(expr)) return UNKNOWN;
    const callee = unwrapAwait(expr.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      // `pool.connect()`, `sql.reserve()`, `knex.transaction()` (no callback), `knex.client.acquireConnection()`.
      if (CHECKOUT_METHODS.has(method) && !expr.arguments.some(isFunction)) {
        return { kind: 'single', library: this.libraryOf(callee.expression, parameterKind, depth) };
      }
      const mysql = MYSQL_FACTORIES[method];
      if (mysql && MYSQL_MODULES.has(this.moduleOf(unwrapAwait(callee.expression)) ?? '')) return mysql;
      return UNKNOWN;
    }
    const module = this.moduleOf(callee);
    // A factory of the project's own (`import { createPool } from './database'`) is not slonik's by its name:
    // what it returns is for its declared type to say.
    const byName = module?.startsWith('.') ? undefined : FACTORIES[ts.isIdentifier(callee) ? callee.text : ''];
    const library = FACTORIES[module ?? ''] ?? byName;
    return library ? { kind: 'pool', library } : UNKNOWN;
  }

  private libraryOf(
    expr: ts.Expression,
    parameterKind: ((parameter: ts.ParameterDeclaration) => HandleKind | undefined) | undefined,
    depth: number,
  ): HandleLibrary | undefined {
    const kind = this.resolve(expr, parameterKind, depth + 1).kind;
    return kind.kind === 'unknown' ? undefined : kind.library;
  }

  /**
   * A parameter of a checkout callback (`pool.connect(async (client) => ...)`, `client.begin(async (tx) => ...)`)
   * is one connection of the receiver's library; the first parameter of a Knex seed (`exports.seed = async
   * (knex) => ...`) is the pooled instance, since knex runs seeds outside any transaction.
   */
  private callbackParameterKind(
    parameter: ts.ParameterDeclaration,
    parameterKind: ((parameter: ts.ParameterDeclaration) => HandleKind | undefined) | undefined,
    depth: number,
  ): HandleKind {
    const fn = parameter.parent;
    if (isKnexSeed(fn) && fn.parameters[0] === parameter) return { kind: 'pool', library: 'knex' };
    const call = fn.parent;
    if (!ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return UNKNOWN;
    const callee = unwrapAwait(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || !CALLBACK_CHECKOUT_METHODS.has(callee.name.text)) return UNKNOWN;
    return { kind: 'single', library: this.libraryOf(callee.expression, parameterKind, depth) };
  }

  /** The handle a type annotation names (`pg.Pool`, `Sql`, `Knex.Transaction`), when its module is imported here. */
  private typedKind(type: ts.TypeNode | undefined): HandleKind | undefined {
    if (!type || !ts.isTypeReferenceNode(type)) return undefined;
    const name = type.typeName;
    const leftmost = leftmostIdentifier(name);
    const module = this.moduleOf(leftmost);
    const exported = module !== undefined ? TYPED_HANDLES[module] : undefined;
    return exported?.[ts.isIdentifier(name) ? name.text : name.right.text];
  }

  /** TypeScript: `private readonly db: pg.Pool;` then `this.db = new pg.Pool()` in the constructor. */
  private assignedInConstructor(declaration: ts.Declaration): ts.Expression | undefined {
    if (!ts.isPropertyDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
    const name = declaration.name.text;
    const constructor = declaration.parent.members.find(ts.isConstructorDeclaration);
    for (const statement of constructor?.body?.statements ?? []) {
      if (!ts.isExpressionStatement(statement)) continue;
      const assignment = statement.expression;
      if (!ts.isBinaryExpression(assignment) || assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      const target = assignment.left;
      if (
        ts.isPropertyAccessExpression(target) &&
        target.expression.kind === ts.SyntaxKind.ThisKeyword &&
        target.name.text === name
      ) {
        return assignment.right;
      }
    }
    return undefined;
  }
}

/** `export async function seed(knex)`, `exports.seed = async (knex) => ...`, `export const seed = ...`. */
function isKnexSeed(fn: ts.Node): fn is ts.FunctionLikeDeclaration {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text === 'seed';
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  const holder = fn.parent;
  if (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder))
    return ts.isIdentifier(holder.name) && holder.name.text === 'seed';
  return (
    ts.isBinaryExpression(holder) &&
    ts.isPropertyAccessExpression(holder.left) &&
    holder.left.name.text === 'seed' &&
    holder.right === fn
  );
}

function initializerOf(declaration: ts.Declaration): ts.Expression | undefined {
  if (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) return declaration.initializer;
  // JavaScript: `this.pool = new Pool()` declares `pool`.
  if (ts.isBinaryExpression(declaration)) return declaration.right;
  return undefined;
}

function leftmostIdentifier(name: ts.EntityName): ts.Identifier {
  return ts.isIdentifier(name) ? name : leftmostIdentifier(name.left);
}

/** Looks through parentheses, type-only wrappers and `await`. */
export function unwrapAwait(expr: ts.Expression): ts.Expression {
  let inner = unwrap(expr);
  while (ts.isAwaitExpression(inner)) inner = unwrap(inner.expression);
  return inner;
}

export function lastName(expr: ts.Expression): string | undefined {
  const inner = unwrapAwait(expr);
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
