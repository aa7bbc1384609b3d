import * as ts from 'typescript';
import type { SqlCall } from '../parse/host-types';
import { isSqlTag } from '../parse/host-sql';
import { bindsName, blockBindings, functionOf, nameText, resolveConst, unwrap } from '../parse/host-syntax';
import { forEachNode } from '../parse/typescript';
import type { Span } from '../parse/text';

/**
 * The pieces of a query's text that TS/JS fills in at run time: `${}` holes of a template literal and non-literal
 * operands of `+`, with whether the file shows their value is fixed. This module loads the TypeScript compiler:
 * load it only for TS/JS files.
 */
export interface QueryTextHole {
  /** The interpolated expression in the file. */
  span: Span;
  /** As written, shortened for messages. */
  text: string;
  /** Where the hole sits in the SQL: inside a quoted literal, where a name goes, or where a value goes. */
  position: 'literal' | 'identifier' | 'value';
}

/**
 * Holes of a query call whose value is not fixed by the file. Holes of an `sql` tagged template are bind
 * parameters (slonik, postgres-js), not text, and values passed through an escaping function
 * (`escapeIdentifier`, `pgFormat.ident`, `quote_literal`) are escaped: neither is returned.
 */
export function variableHoles(call: SqlCall, source: ts.SourceFile): QueryTextHole[] {
  const holes: QueryTextHole[] = [];
  const fragment = call.fragment;
  for (const hole of fragment.holes) {
    const fileSpan = fragment.toFile(hole);
    const expression = expressionIn(source, fileSpan);
    if (!expression || isBoundParameter(expression) || isConstant(expression, 0) || isEscaped(expression)) continue;
    const text = expression.getText(source).replace(/\s+/g, ' ');
    holes.push({
      span: { start: expression.getStart(source), end: expression.end },
      text: text.length > 40 ? `${text.slice(0, 37)}...` : text,
      position: positionOf(fragment.sql, hole.start),
    });
  }
  return holes;
}

/**
 * The outermost expression that lies within `span` (a hole covers `${ expression }`): the first in source order,
 * descending only into nodes that overlap the span. Siblings are in source order and do not overlap, so a list of
 * children (the thousands of statements of a migration's `up`) is entered by binary search, not scanned, which
 * keeps a file of many holes linear.
 */
function expressionIn(source: ts.SourceFile, span: Span): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): true | undefined => {
    if (found || node.end <= span.start || node.getStart(source) >= span.end) return undefined;
    if (node.getStart(source) >= span.start && node.end <= span.end && isExpressionNode(node)) {
      found = node;
      return true;
    }
    ts.forEachChild(node, visit, visitList);
    return found ? true : undefined;
  };
  const visitList = (nodes: ts.NodeArray<ts.Node>): true | undefined => {
    for (let i = firstEndingAfter(nodes, span.start); i < nodes.length && nodes[i].pos < span.end; i++) {
      if (visit(nodes[i])) return true;
    }
    return undefined;
  };
  visit(source);
  return found;
}

/** The index of the first node whose end is past `offset` (nodes in source order), or `nodes.length`. */
function firstEndingAfter(nodes: ts.NodeArray<ts.Node>, offset: number): number {
  let low = 0;
  let high = nodes.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (nodes[mid].end <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

function isExpressionNode(node: ts.Node): node is ts.Expression {
  return (
    ts.isIdentifier(node) ||
    ts.isPropertyAccessExpression(node) ||
    ts.isElementAccessExpression(node) ||
    ts.isCallExpression(node) ||
    ts.isBinaryExpression(node) ||
    ts.isConditionalExpression(node) ||
    ts.isTemplateExpression(node) ||
    ts.isParenthesizedExpression(node) ||
    ts.isLiteralExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isAwaitExpression(node) ||
    ts.isArrayLiteralExpression(node) ||
    ts.isObjectLiteralExpression(node) ||
    ts.isPrefixUnaryExpression(node) ||
    ts.isTaggedTemplateExpression(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    node.kind === ts.SyntaxKind.ThisKeyword
  );
}

/** A hole of an `sql` tagged template is sent as a bind parameter (or a composed fragment), never as text. */
function isBoundParameter(expression: ts.Expression): boolean {
  const span = expression.parent;
  const template = span && ts.isTemplateSpan(span) ? span.parent : undefined;
  const tagged = template?.parent;
  if (!tagged || !ts.isTaggedTemplateExpression(tagged)) return false;
  const tag = unwrap(tagged.tag);
  return (
    isSqlTag(tag) ||
    (ts.isPropertyAccessExpression(tag) && ts.isIdentifier(tag.expression) && tag.expression.text === 'sql')
  );
}

const ESCAPING_FUNCTION = /escape|quote|ident|literal|^format$|^ref$/i;

/** `client.escapeIdentifier(name)`, `pgFormat.ident(x)`, `knex.ref('t.c')`: the author escaped it. */
function isEscaped(expression: ts.Expression): boolean {
  const inner = unwrap(expression);
  if (!ts.isCallExpression(inner)) return false;
  const callee = unwrap(inner.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  return ESCAPING_FUNCTION.test(name);
}

const MAX_DEPTH = 8;

/**
 * Whether the file fixes the expression's value: literals, `const`s holding constants, members of constant
 * object and array literals, loop variables over constant arrays, and `+`, templates, `?:` and `.join()` of
 * those. Parameters, `let`s, imports and function results are not fixed here.
 */
function isConstant(expression: ts.Expression, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const inner = unwrap(expression);
  if (
    ts.isStringLiteral(inner) ||
    ts.isNumericLiteral(inner) ||
    ts.isNoSubstitutionTemplateLiteral(inner) ||
    ts.isBigIntLiteral(inner)
  )
    return true;
  if ([ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword].includes(inner.kind))
    return true;
  if (ts.isPrefixUnaryExpression(inner)) return isConstant(inner.operand, depth + 1);
  if (ts.isTemplateExpression(inner))
    return inner.templateSpans.every((span) => isConstant(span.expression, depth + 1));
  if (ts.isBinaryExpression(inner)) return isConstant(inner.left, depth + 1) && isConstant(inner.right, depth + 1);
  if (ts.isConditionalExpression(inner))
    return isConstant(inner.whenTrue, depth + 1) && isConstant(inner.whenFalse, depth + 1);
  if (ts.isArrayLiteralExpression(inner)) {
    return inner.elements.every((e) => isConstant(ts.isSpreadElement(e) ? e.expression : e, depth + 1));
  }
  if (ts.isObjectLiteralExpression(inner)) {
    return inner.properties.every((p) => ts.isPropertyAssignment(p) && isConstant(p.initializer, depth + 1));
  }
  if (ts.isIdentifier(inner)) return inner.text === 'undefined' || constantBinding(inner, depth);
  if (ts.isPropertyAccessExpression(inner)) return constantMember(inner.expression, inner.name.text, depth);
  if (ts.isElementAccessExpression(inner)) return constantMember(inner.expression, undefined, depth);
  if (ts.isCallExpression(inner)) {
    const callee = unwrap(inner.expression);
    // `['a', 'b'].join(', ')`, `COLUMNS.join(', ')`, `String(LIMIT)`.
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'join') {
      return isConstant(callee.expression, depth + 1) && inner.arguments.every((a) => isConstant(a, depth + 1));
    }
    // `COLUMNS.map((c) => `"${c}"`)`: a callback that makes constants from each element of a constant list.
    if (ts.isPropertyAccessExpression(callee) && ELEMENT_METHODS.has(callee.name.text)) {
      const callback = inner.arguments[0] && unwrap(inner.arguments[0]);
      const isCallback = callback !== undefined && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback));
      return isCallback && isConstant(callee.expression, depth + 1) && returnsConstants(callback, depth);
    }
    if (ts.isIdentifier(callee) && ['String', 'Number'].includes(callee.text))
      return inner.arguments.every((a) => isConstant(a, depth + 1));
    // A function of the project's code called with constants (`alterColumnIfExists('order', ['status'], 'DROP NOT
    // NULL')` from a shared module): code, fed only what the file fixes.
    if (ts.isIdentifier(callee) && declarationOf(callee)?.kind === 'import')
      return inner.arguments.every((a) => isConstant(a, depth + 1));
    // A function of this file that only ever returns constants (`columnsFor(table)` picking from fixed lists).
    if (ts.isIdentifier(callee)) return returnsOnlyConstants(callee, depth);
  }
  return false;
}

/** Array methods whose callback's first parameter is each element of the array, in turn. */
const ELEMENT_METHODS = new Set(['map', 'flatMap', 'filter']);

function returnsOnlyConstants(callee: ts.Identifier, depth: number): boolean {
  const fn = functionOf(callee, callee.getSourceFile());
  return fn !== undefined && returnsConstants(fn, depth);
}

function returnsConstants(fn: ts.FunctionLikeDeclaration, depth: number): boolean {
  const body = fn.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return isConstant(body, depth + 1);
  const returned: (ts.Expression | undefined)[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node)) returned.push(node.expression);
    if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return returned.length > 0 && returned.every((value) => value !== undefined && isConstant(value, depth + 1));
}

function constantBinding(id: ts.Identifier, depth: number): boolean {
  const initializer = resolveConst(id);
  if (initializer) return isConstant(initializer, depth + 1);
  const loop = loopOver(id) ?? elementOf(id);
  if (loop) return isConstant(loop, depth + 1);
  const declaration = declarationOf(id);
  if (!declaration) return false;
  // Imports are code of the project (a constants module), not data that reaches the query at run time.
  if (declaration.kind === 'import') return true;
  // A `let` (or a destructured `const`) whose every value in this file is a constant.
  return declaration.values.every((value) => isConstant(value, depth + 1));
}

/** For `for (const name of <array>)` (also `for (const [a, b] of ...)`, `for (const { a } of ...)`), the array. */
function loopOver(id: ts.Identifier): ts.Expression | undefined {
  for (let node: ts.Node | undefined = id.parent; node; node = node.parent) {
    if (ts.isFunctionLike(node)) return undefined;
    if (!ts.isForOfStatement(node) || !ts.isVariableDeclarationList(node.initializer)) continue;
    const declaration = node.initializer.declarations[0];
    if (declaration && bindsName(declaration.name, id.text)) return node.expression;
  }
  return undefined;
}

/** For the first parameter of `<array>.map((name) => ...)` (and `flatMap`, `filter`), the array. */
function elementOf(id: ts.Identifier): ts.Expression | undefined {
  for (let node: ts.Node | undefined = id.parent; node; node = node.parent) {
    if (!ts.isFunctionLike(node) || !node.parameters.some((p) => bindsName(p.name, id.text))) continue;
    const [first] = node.parameters;
    if (!bindsName(first.name, id.text)) return undefined;
    const call = node.parent;
    if (!ts.isCallExpression(call) || unwrap(call.arguments[0] ?? call) !== node) return undefined;
    const callee = unwrap(call.expression);
    return ts.isPropertyAccessExpression(callee) && ELEMENT_METHODS.has(callee.name.text)
      ? callee.expression
      : undefined;
  }
  return undefined;
}

type Declaration = { kind: 'import' } | { kind: 'variable'; values: ts.Expression[] };

/**
 * How the nearest binding of `id`'s name gets its values: an import, or a variable with its initializer and every
 * value assigned to it in the file (`let tableName = 'a'; ... tableName = 'b';`). Undefined for parameters and
 * anything else.
 */
function declarationOf(id: ts.Identifier): Declaration | undefined {
  const name = id.text;
  for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name))) return undefined;
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    const { imports, variables } = blockBindings(scope.statements);
    const imported = imports.get(name);
    const variable = variables.get(name);
    if (imported && !(variable && variable.pos < imported.pos)) return { kind: 'import' };
    if (!variable) continue;
    const declaration = variable.declarationList.declarations.find((d) => bindsName(d.name, name))!;
    if (!ts.isIdentifier(declaration.name)) {
      // `const { X } = require('./constants')` is an import; other destructuring is not followed.
      return declaration.initializer && isRequire(declaration.initializer) ? { kind: 'import' } : undefined;
    }
    const values = declaration.initializer ? [declaration.initializer] : [];
    values.push(...(assignmentsIn(scope).get(name) ?? []));
    return { kind: 'variable', values };
  }
  return undefined;
}

const ASSIGNMENTS = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.PlusEqualsToken]);

const assignmentsOfScope = new WeakMap<ts.Node, Map<string, ts.Expression[]>>();

/**
 * The values assigned to each name anywhere in `scope`, in source order: `x += y` keeps the old text and appends,
 * so both count. Collected in one walk per scope, kept as long as the syntax tree.
 */
function assignmentsIn(scope: ts.Node): Map<string, ts.Expression[]> {
  let assignments = assignmentsOfScope.get(scope);
  if (assignments) return assignments;
  const found = new Map<string, ts.Expression[]>();
  forEachNode(scope, (node) => {
    if (!ts.isBinaryExpression(node) || !ASSIGNMENTS.has(node.operatorToken.kind) || !ts.isIdentifier(node.left))
      return;
    let values = found.get(node.left.text);
    if (!values) found.set(node.left.text, (values = []));
    values.push(node.right);
  });
  assignmentsOfScope.set(scope, (assignments = found));
  return assignments;
}

function isRequire(expression: ts.Expression): boolean {
  const inner = unwrap(expression);
  return ts.isCallExpression(inner) && ts.isIdentifier(inner.expression) && inner.expression.text === 'require';
}

/** `OBJ.key` / `ARR[i]` / `ARR.length` of a constant object or array literal. */
function constantMember(object: ts.Expression, key: string | undefined, depth: number): boolean {
  const inner = unwrap(object);
  // `LOCATION_BOOKABLE_VIEW.ALL` of an imported constants object.
  if (ts.isIdentifier(inner) && declarationOf(inner)?.kind === 'import') return true;
  if (ts.isPropertyAccessExpression(inner)) return constantMember(inner.expression, undefined, depth + 1);
  const literal = ts.isIdentifier(inner) ? resolveConst(inner) : inner;
  const value = literal && unwrap(literal);
  if (!value) return false;
  if (ts.isArrayLiteralExpression(value)) return key === 'length' || isConstant(value, depth + 1);
  if (!ts.isObjectLiteralExpression(value)) return false;
  return value.properties.some(
    (p) =>
      ts.isPropertyAssignment(p) &&
      (key === undefined || nameText(p.name) === key) &&
      isConstant(p.initializer, depth + 1),
  );
}

/** Where the hole sits in the query text: inside quotes, after a keyword that names a relation, or elsewhere. */
function positionOf(sql: string, at: number): QueryTextHole['position'] {
  let inLiteral = false;
  for (let i = 0; i < at; i++) if (sql[i] === "'") inLiteral = !inLiteral;
  if (inLiteral) return 'literal';
  const before = sql.slice(Math.max(0, at - 40), at);
  // A quoted name: PostgreSQL's "name" or MySQL's `name`.
  if (/["`]$/.test(before) || /\.$/.test(before)) return 'identifier';
  if (
    /\b(from|join|into|update|table|index|on|exists|references|column|constraint|schema|sequence|view|type|trigger|function|drop|rename|to|alter)\s+(if\s+(not\s+)?exists\s+)?$/i.test(
      before,
    )
  ) {
    return 'identifier';
  }
  return 'value';
}
