import * as path from 'path';
import * as ts from 'typescript';
import { CallContext, classifyCall, classifyTaggedTemplate, isOpaqueQuery, isTransactionCallback } from './host-calls';
import { callConditions } from './host-conditions';
import { Framework, HostCall, HostExtraction, HostSection, SchemaCall } from './host-types';
import {
  functionOf,
  importedModules,
  methodAccess,
  nameText,
  nodeSpan,
  propertyValue,
  resolveConst,
  unwrap,
} from './host-syntax';
import { EXECUTE_SQL_MODULES } from './host-sql';
import { callSiteChain, findCallSites } from './host-call-sites';
import { forEachNode } from './typescript';

/**
 * Reads a TS/JS migration or script without running it: where `up` and `down` are, which framework wrote it,
 * the SQL and ORM calls it makes, whether it opts out of the runner's transaction, and its directive comments.
 * Never throws on user input: a file that does not compile yields what its syntax tree still shows.
 */
export function extractHost(filePath: string, text: string): HostExtraction {
  const source = parseSource(filePath, text);
  const result: HostExtraction = {
    source,
    framework: 'script',
    sections: [],
    calls: [],
    transactionSwitch: undefined,
    opaqueQueries: [],
    comments: [],
  };
  try {
    // Filled step by step, so that input nested deep enough to exhaust the stack still keeps what was found.
    const exports = readExports(source);
    result.sections = exports.sections;
    result.transactionSwitch = exports.transactionSwitch;
    result.framework = detectFramework(source, exports.sectionFunctions);
    const ctx: CallContext = {
      source,
      sectionFunctions: exports.sectionFunctions,
      splitsDottedNames: result.framework === 'knex' || result.framework === 'typeorm',
      executeSendsSql: importedModules(source).some((module) =>
        EXECUTE_SQL_MODULES.some((prefix) => module.startsWith(prefix)),
      ),
    };
    collectCalls(ctx, result);
    result.comments = directiveComments(source);
  } catch {
    // Only a pathological tree gets here (a RangeError from recursion); the partial result stands.
  }
  result.calls.sort(inRunOrder);
  generateOrmSql(result);
  return result;
}

/**
 * Each ORM schema call gets the SQL its framework sends (parse/orm/); one whose SQL the file does not show is a
 * query not analysed, like `client.query(buildSql())`.
 */
function generateOrmSql(result: HostExtraction): void {
  const ddl = result.calls.filter((call): call is SchemaCall => call.kind === 'ddl');
  if (ddl.length === 0) return;
  // The generators load knex or Sequelize: only files that make schema calls load them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ormCallSql } = require('./orm') as typeof import('./orm');
  for (const call of ddl) {
    const generated = ormCallSql(result.framework, call, result.source);
    if ('sql' in generated) call.sql = generated.sql;
    else {
      call.notAnalysed = generated.reason;
      result.opaqueQueries.push(call.span);
    }
  }
  result.opaqueQueries.sort((a, b) => a.start - b.start);
}

/**
 * Calls in the order they run: a helper's calls where the helper is called from, the rest by position. A
 * chain's inner call starts where the outer one does and runs first: `knex.schema.table(a).createTable(b)`.
 */
function inRunOrder(a: HostCall, b: HostCall): number {
  const aPath = runPath(a);
  const bPath = runPath(b);
  for (let i = 0; i < Math.min(aPath.length, bPath.length); i++) {
    if (aPath[i] !== bPath[i]) return aPath[i] - bPath[i];
  }
  return aPath.length - bPath.length || a.span.end - b.span.end;
}

/** The offsets of the call sites the call runs under, outermost first, then its own. */
function runPath(call: HostCall): number[] {
  return [...(call.calledFrom ?? []).map((site) => site.start), call.span.start];
}

const JS_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.jsx']);

function scriptKindFor(filePath: string): ts.ScriptKind {
  const extension = path.extname(filePath).toLowerCase();
  if (extension === '.tsx') return ts.ScriptKind.TSX;
  return JS_EXTENSIONS.has(extension) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

function parseSource(filePath: string, text: string): ts.SourceFile {
  try {
    return ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, true, scriptKindFor(filePath));
  } catch {
    // TypeScript's own parser recurses: nesting about a thousand levels deep exhausts the stack. Such a
    // file is not a migration anyone wrote; it yields an empty tree rather than an exception.
    return ts.createSourceFile(filePath, '', ts.ScriptTarget.Latest, true, scriptKindFor(filePath));
  }
}

interface ExportShape {
  sections: HostSection[];
  sectionFunctions: Set<ts.Node>;
  transactionSwitch: boolean | undefined;
}

/**
 * Finds `up`/`down` and the transaction opt-outs in the shapes migration tools load: `export function up`,
 * `export const up`, `exports.up =`, `module.exports = { up, down }`, `export default { ... }`, objects
 * passed to a helper (`module.exports = defineMigration({ ... })`), and class methods (TypeORM).
 */
function readExports(source: ts.SourceFile): ExportShape {
  const functions = new Map<ts.FunctionLikeDeclaration, HostSection['name']>();
  let transactionSwitch: boolean | undefined;

  const addSection = (name: string | undefined, fn: ts.FunctionLikeDeclaration | undefined) => {
    if ((name === 'up' || name === 'down') && fn?.body) functions.set(fn, name);
  };
  const readNamedExport = (name: string | undefined, value: ts.Expression | undefined) => {
    if (name === 'config') transactionSwitch = transactionConfig(value) ?? transactionSwitch;
    else addSection(name, functionOf(value, source));
  };
  const readClass = (cls: ts.ClassLikeDeclaration) => {
    for (const member of cls.members) {
      if (ts.isMethodDeclaration(member)) addSection(nameText(member.name), member);
      // TypeORM: `transaction = false` on the migration class runs it outside a transaction, `true` inside one.
      if (ts.isPropertyDeclaration(member) && nameText(member.name) === 'transaction') {
        transactionSwitch = booleanValue(member.initializer) ?? transactionSwitch;
      }
      // MikroORM: `isTransactional(): boolean { return false; }` does.
      if (ts.isMethodDeclaration(member) && nameText(member.name) === 'isTransactional' && returnsFalse(member)) {
        transactionSwitch = false;
      }
    }
  };
  const readExportedValue = (value: ts.Expression, depth = 0) => {
    const inner = unwrap(value);
    // `const alteration = { up, down }; export default alteration;` (logto), `module.exports = migration;`.
    if (ts.isIdentifier(inner)) {
      const initializer = depth < 8 ? resolveConst(inner) : undefined;
      if (initializer) readExportedValue(initializer, depth + 1);
      return;
    }
    if (ts.isClassExpression(inner)) readClass(inner);
    if (ts.isCallExpression(inner)) inner.arguments.forEach((argument) => readExportedValue(argument, depth + 1));
    if (!ts.isObjectLiteralExpression(inner)) return;
    for (const property of inner.properties) {
      const name = nameText(property.name);
      if (ts.isMethodDeclaration(property)) addSection(name, property);
      if (ts.isPropertyAssignment(property)) readNamedExport(name, property.initializer);
      if (ts.isShorthandPropertyAssignment(property)) readNamedExport(name, property.name);
    }
  };

  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement)) addSection(statement.name?.text, statement);
    if (ts.isClassDeclaration(statement)) readClass(statement);
    if (ts.isExportAssignment(statement)) readExportedValue(statement.expression);
    if (ts.isVariableStatement(statement)) {
      const exported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
      for (const declaration of statement.declarationList.declarations) {
        const name = ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
        if (name === 'config' && !exported) continue;
        readNamedExport(name, declaration.initializer);
      }
    }
    if (ts.isExpressionStatement(statement)) {
      const target = exportAssignmentTarget(statement.expression);
      if (target?.name) readNamedExport(target.name, target.value);
      else if (target) readExportedValue(target.value);
    }
  }

  const sections = [...functions].map(([fn, name]) => ({ name, span: nodeSpan(fn.body!, source) }));
  sections.sort((a, b) => a.span.start - b.span.start);
  return { sections, sectionFunctions: new Set(functions.keys()), transactionSwitch };
}

/** `module.exports = value` (no name), `exports.up = value` / `module.exports.up = value` (name `up`). */
function exportAssignmentTarget(expr: ts.Expression): { name?: string; value: ts.Expression } | undefined {
  if (!ts.isBinaryExpression(expr) || expr.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const left = unwrap(expr.left);
  if (isModuleExports(left)) return { value: expr.right };
  if (!ts.isPropertyAccessExpression(left)) return undefined;
  const object = unwrap(left.expression);
  const isExportsObject = (ts.isIdentifier(object) && object.text === 'exports') || isModuleExports(object);
  return isExportsObject ? { name: left.name.text, value: expr.right } : undefined;
}

function isModuleExports(expr: ts.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(expr) &&
    expr.name.text === 'exports' &&
    ts.isIdentifier(expr.expression) &&
    expr.expression.text === 'module'
  );
}

/** Knex's `config = { transaction: false | true }`: the file's own switch, else undefined. */
function transactionConfig(value: ts.Expression | undefined): boolean | undefined {
  const inner = value && unwrap(value);
  if (inner === undefined || !ts.isObjectLiteralExpression(inner)) return undefined;
  return booleanValue(propertyValue(inner, 'transaction'));
}

function returnsFalse(method: ts.MethodDeclaration): boolean {
  const statements = method.body?.statements ?? [];
  return (
    statements.length === 1 && ts.isReturnStatement(statements[0]) && booleanValue(statements[0].expression) === false
  );
}

/** A literal `true` or `false` (`false as const` too); undefined for anything else. */
function booleanValue(value: ts.Expression | undefined): boolean | undefined {
  const kind = value && unwrap(value).kind;
  return kind === ts.SyntaxKind.TrueKeyword ? true : kind === ts.SyntaxKind.FalseKeyword ? false : undefined;
}

/** Names whose presence anywhere in the file identifies the framework (handles, imported types). */
const FRAMEWORK_NAMES = new Map<string, Framework>([
  ['pgm', 'node-pg-migrate'],
  ['MigrationBuilder', 'node-pg-migrate'],
  ['queryRunner', 'typeorm'],
  ['QueryRunner', 'typeorm'],
  ['MigrationInterface', 'typeorm'],
  ['queryInterface', 'sequelize'],
  ['QueryInterface', 'sequelize'],
]);

/** db-migrate's own methods on its `db` handle (`db.schema...` would be knex or Kysely instead). */
const DB_MIGRATE_METHODS = new Set(['runSql', 'createTable']);

/** When a file shows signs of several frameworks, the most specific wins. */
const FRAMEWORK_PRIORITY: Framework[] = ['node-pg-migrate', 'typeorm', 'mikro-orm', 'sequelize', 'knex', 'db-migrate'];

function detectFramework(source: ts.SourceFile, sectionFunctions: ReadonlySet<ts.Node>): Framework {
  const seen = new Set<Framework>();
  for (const fn of sectionFunctions) {
    const names = (fn as ts.FunctionLikeDeclaration).parameters.map((p) =>
      ts.isIdentifier(p.name) ? p.name.text : '',
    );
    if (names.includes('Sequelize')) seen.add('sequelize');
    if (names[0] === 'knex') seen.add('knex');
    // db-migrate passes `(db, callback)` to callback-style migrations.
    if (names[0] === 'db' && names[1] === 'callback') seen.add('db-migrate');
  }
  // MikroORM: `import { Migration } from '@mikro-orm/migrations'` (the class its migrations extend).
  if (importedModules(source).includes('@mikro-orm/migrations')) seen.add('mikro-orm');
  forEachNode(source, (node) => {
    const named = ts.isIdentifier(node) ? FRAMEWORK_NAMES.get(node.text) : undefined;
    if (named) seen.add(named);
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'schema' &&
      isIdentifierNamed(node.expression, 'knex')
    ) {
      seen.add('knex');
    }
    if (ts.isTypeReferenceNode(node) && leftmostName(node.typeName) === 'Knex') seen.add('knex');
    if (ts.isCallExpression(node)) {
      const access = methodAccess(node);
      if (access && DB_MIGRATE_METHODS.has(access.name.text) && isIdentifierNamed(access.expression, 'db')) {
        seen.add('db-migrate');
      }
    }
  });
  return FRAMEWORK_PRIORITY.find((framework) => seen.has(framework)) ?? 'script';
}

function isIdentifierNamed(expr: ts.Expression, name: string): boolean {
  return ts.isIdentifier(expr) && expr.text === name;
}

function leftmostName(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : leftmostName(name.left);
}

function collectCalls(ctx: CallContext, result: HostExtraction): void {
  const sites = findCallSites(ctx.source);
  forEachNode(ctx.source, (node) => {
    let call: HostCall | undefined;
    try {
      call = classifyNode(node, ctx, result);
      const conditions = call && callConditions(node, ctx.source, ctx.sectionFunctions);
      if (call && conditions) call.conditions = conditions;
      if (!call && ts.isCallExpression(node) && isOpaqueQuery(node, ctx))
        result.opaqueQueries.push(nodeSpan(node, ctx.source));
    } catch {
      // A query concatenated from thousands of pieces can exhaust the stack: skip it, keep the other calls.
    }
    if (!call) return;
    // A helper's call runs in the transaction callback and the `try` of the place the helper is called from.
    const chain = callSiteChain(sites, node);
    const runsUnder = [node, ...chain];
    const scope = firstOf(runsUnder, transactionScopeOf);
    if (scope) call.transactionScope = scope;
    Object.assign(
      call,
      firstOf(runsUnder, (site) => {
        const context = tryContextOf(site);
        return context.guardedBy || context.recovers ? context : undefined;
      }),
    );
    if (chain.length > 0) call.calledFrom = chain.map((site) => nodeSpan(site, ctx.source)).reverse();
    result.calls.push(call);
  });
}

function firstOf<T>(nodes: readonly ts.Node[], read: (node: ts.Node) => T | undefined): T | undefined {
  for (const node of nodes) {
    const value = read(node);
    if (value !== undefined) return value;
  }
  return undefined;
}

function classifyNode(node: ts.Node, ctx: CallContext, result: HostExtraction): HostCall | undefined {
  if (ts.isTaggedTemplateExpression(node)) return classifyTaggedTemplate(node, ctx);
  if (!ts.isCallExpression(node)) return undefined;
  // node-pg-migrate: `pgm.noTransaction()` runs this migration outside a transaction.
  if (methodAccess(node)?.name.text === 'noTransaction') result.transactionSwitch = false;
  return classifyCall(node, ctx);
}

/** The innermost `x.transaction(cb)` callback around `node`: its queries share that transaction. */
function transactionScopeOf(node: ts.Node): ts.Node | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (isTransactionCallback(parent)) return parent;
  }
  return undefined;
}

/**
 * Where `node` sits in the innermost `try` around it: in its `try` block, or in its `catch` block. The
 * node-postgres idiom opens a transaction in `try` and rolls it back in `catch`: that ROLLBACK ends the same
 * transaction on the error path, it is no stray.
 */
function tryContextOf(node: ts.Node): Pick<HostCall, 'guardedBy' | 'recovers'> {
  let child = node;
  for (let parent = node.parent; parent && !ts.isFunctionLike(parent); parent = parent.parent) {
    if (ts.isTryStatement(parent)) {
      if (child === parent.tryBlock) return { guardedBy: parent };
      if (child === parent.catchClause) return { recovers: parent };
    }
    child = parent;
  }
  return {};
}

const DIRECTIVE_BODY = /^(?:preflight-|squawk-ignore)/;

/**
 * `// preflight-...` and `/* squawk-ignore ... *\/` comments. Every comment lies next to some token: TypeScript
 * calls the ones on the token's own line trailing and the ones on the lines before it leading, so both kinds
 * are read around every token. Tokens inside JSDoc and JSX text are skipped: their text is not code, and a
 * `//` there is no comment.
 */
function directiveComments(source: ts.SourceFile): HostExtraction['comments'] {
  const text = source.text;
  // Finding the comments asks every node for its tokens, which TypeScript makes and keeps on the tree (a fifth of
  // the parse of a 20,000-query migration); a file holding neither marker cannot have a directive.
  if (!text.includes('preflight-') && !text.includes('squawk-ignore')) return [];
  const byStart = new Map<number, HostExtraction['comments'][number]>();
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.JsxText) return;
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    const children = node.getChildren(source);
    if (children.length > 0) {
      children.forEach(visit);
      return;
    }
    const ranges = [
      ...(ts.getLeadingCommentRanges(text, node.pos) ?? []),
      ...(ts.getTrailingCommentRanges(text, node.end) ?? []),
    ];
    for (const range of ranges) {
      if (byStart.has(range.pos)) continue;
      const isBlock = range.kind === ts.SyntaxKind.MultiLineCommentTrivia;
      const closed = isBlock && range.end - range.pos >= 4 && text.startsWith('*/', range.end - 2);
      const body = text.slice(range.pos + 2, closed ? range.end - 2 : range.end).trim();
      if (DIRECTIVE_BODY.test(body)) byStart.set(range.pos, { span: { start: range.pos, end: range.end }, body });
    }
  };
  visit(source);
  return [...byStart.values()].sort((a, b) => a.span.start - b.span.start);
}
