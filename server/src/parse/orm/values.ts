import * as ts from 'typescript';
import { methodAccess, resolveConst, unwrap } from '../host-syntax';
import { declaredConstantOf } from '../declared-types';
import { computedArgument, expressionText } from './computed';
import { UnreadableCall, unreadable } from './literals';

/**
 * The JavaScript value an ORM call's argument spells out, to hand to the framework's own SQL generator: literals,
 * arrays and object literals of them, `const`s holding them, and the framework's own value objects reached from
 * a name (`Sequelize.STRING(100)`, `knex.fn.now()`), looked up on the real framework object. Nothing of the
 * file runs: a value computed at run time (a variable, a call of the file's own code, a callback) makes the call
 * unreadable, and it is reported as not analysed rather than guessed.
 */
export interface FrameworkValues {
  /**
   * The framework object a path like `Sequelize.STRING` or `knex.fn.now()` starts from, given the root name and
   * the path's first link; undefined when no such path of the framework starts with that link.
   */
  root(name: string, firstLink: string): object | undefined;
  /**
   * Option properties that carry a run-time handle the SQL does not depend on (Sequelize's `{ transaction }`): left
   * out of the value, rather than making the call unreadable.
   */
  runTimeOptions?: ReadonlySet<string>;
}

/** Bounded, like every walk over a file's consts: `const a = b; const b = a;` is legal syntax. */
const MAX_DEPTH = 32;

export function literalValue(expr: ts.Expression | undefined, framework: FrameworkValues, depth = 0): unknown {
  if (!expr) return undefined;
  if (depth > MAX_DEPTH) return unreadable('a value nests too deep');
  const inner = unwrap(expr);
  if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) return inner.text;
  if (ts.isNumericLiteral(inner)) return Number(inner.text);
  if (
    ts.isPrefixUnaryExpression(inner) &&
    inner.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(inner.operand)
  )
    return -Number(inner.operand.text);
  switch (inner.kind) {
    case ts.SyntaxKind.TrueKeyword:
      return true;
    case ts.SyntaxKind.FalseKeyword:
      return false;
    case ts.SyntaxKind.NullKeyword:
      return null;
  }
  if (ts.isIdentifier(inner)) {
    if (inner.text === 'undefined') return undefined;
    const initializer = resolveConst(inner);
    if (!initializer) return knownOrComputed(inner);
    try {
      return literalValue(initializer, framework, depth + 1);
    } catch (error) {
      // Named where the call uses it: `fields`, rather than the const's initializer.
      if (error instanceof UnreadableCall) computedAtRunTime(inner);
      throw error;
    }
  }
  if (ts.isArrayLiteralExpression(inner)) {
    return inner.elements.flatMap((element) => {
      if (!ts.isSpreadElement(element)) return [literalValue(element, framework, depth + 1)];
      // `[...baseIndexColumns, 'x']`: a const array of the file spreads as written.
      const spread = literalValue(element.expression, framework, depth + 1);
      return Array.isArray(spread) ? spread : unreadable('an array spreads what is not an array');
    });
  }
  if (ts.isTemplateExpression(inner)) return templateValue(inner, framework, depth);
  if (ts.isObjectLiteralExpression(inner)) return objectValue(inner, framework, depth);
  if (ts.isCallExpression(inner) || ts.isPropertyAccessExpression(inner))
    return frameworkValue(inner, framework, depth);
  return knownOrComputed(inner);
}

/**
 * A value the file does not spell out: an imported constant the type checker resolves, else the placeholder of an
 * argument computed at run time (parse/orm/computed.ts), else (a call of the file's code) unreadable.
 */
export function knownOrComputed(expr: ts.Expression): unknown {
  return declaredConstantOf(expr) ?? computedArgument(expr) ?? computedAtRunTime(expr);
}

/** Quoted from the file, shortened: `process.env.FIELDS.split(',')` is computed at run time. */
export function computedAtRunTime(expr: ts.Expression): never {
  const text = expressionText(expr);
  return unreadable(`\`${text.length > 60 ? `${text.slice(0, 57)}...` : text}\` is computed at run time`);
}

function objectValue(object: ts.ObjectLiteralExpression, framework: FrameworkValues, depth: number): object {
  const value: Record<string, unknown> = {};
  for (const property of object.properties) {
    const name =
      property.name &&
      (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) || ts.isNumericLiteral(property.name))
        ? property.name.text
        : undefined;
    if (ts.isSpreadAssignment(property)) {
      // `{ ...baseFields, name: ... }`: the shared columns of a const object, in the order they are written.
      const spread = literalValue(property.expression, framework, depth + 1);
      if (!isPlainObject(spread)) unreadable('an object spreads what is not an object');
      Object.assign(value, spread);
      continue;
    }
    if (name === undefined || name === '__proto__') unreadable('an object has a computed property');
    if (framework.runTimeOptions?.has(name)) continue;
    if (ts.isPropertyAssignment(property)) value[name] = literalValue(property.initializer, framework, depth + 1);
    else if (ts.isShorthandPropertyAssignment(property))
      value[name] = literalValue(property.name, framework, depth + 1);
    else unreadable('an object has a method');
  }
  return value;
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * `` `idx_${TABLE}_status` ``: the text its parts spell, each a string or number (an argument computed at run time
 * is its placeholder, so the name holds it where it stands); a part that is anything else makes the call unreadable.
 */
function templateValue(template: ts.TemplateExpression, framework: FrameworkValues, depth: number): string {
  let text = template.head.text;
  for (const span of template.templateSpans) {
    const part = literalValue(span.expression, framework, depth + 1);
    if (typeof part !== 'string' && typeof part !== 'number') return computedAtRunTime(span.expression);
    text += String(part) + span.literal.text;
  }
  return text;
}

/** Names no path may read: they reach the object model, not the framework's API. */
const FORBIDDEN_NAMES = new Set(['constructor', 'prototype', '__proto__', 'call', 'apply', 'bind']);

/**
 * `Sequelize.STRING(100)`, `DataTypes.ENUM('a', 'b')`, `knex.fn.now()`: the path walked on the framework object
 * the root name stands for, calling only the framework's own functions, with literal arguments.
 */
function frameworkValue(expr: ts.Expression, framework: FrameworkValues, depth: number): unknown {
  const links: { name: string; args?: readonly ts.Expression[] }[] = [];
  let current = unwrap(expr);
  for (;;) {
    if (ts.isCallExpression(current)) {
      const access = methodAccess(current) ?? unreadable('a call of a function of the file');
      links.unshift({ name: access.name.text, args: current.arguments });
      current = unwrap(access.expression);
    } else if (ts.isPropertyAccessExpression(current)) {
      links.unshift({ name: current.name.text });
      current = unwrap(current.expression);
    } else break;
  }
  const root = ts.isIdentifier(current) && links.length > 0 ? framework.root(current.text, links[0].name) : undefined;
  if (!root) return knownOrComputed(expr);
  let value: unknown = root;
  for (const link of links) {
    if (FORBIDDEN_NAMES.has(link.name) || link.name.startsWith('_'))
      return unreadable(`${link.name} is not a value of the framework`);
    const holder = value as Record<string, unknown>;
    const next = holder[link.name];
    if (link.args) {
      if (typeof next !== 'function') return unreadable(`${link.name}() is not a function of the framework`);
      const args = link.args.map((arg) => literalValue(arg, framework, depth + 1));
      value = (next as (...args: unknown[]) => unknown).apply(holder, args);
    } else {
      if (next === undefined) return unreadable(`${link.name} is not a value of the framework`);
      value = next;
    }
  }
  return value;
}
