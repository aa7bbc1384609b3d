import * as ts from 'typescript';
import { declaredConstantOf } from '../declared-types';
import { methodAccess, propertyValue, resolveConst, stringValue, unwrap } from '../host-syntax';
import { computedArgument } from './computed';

/**
 * Reading ORM schema calls from what the file spells out: string, number and boolean literals, arrays and
 * object literals of them, and `const`s holding them. Nothing is evaluated; a value computed at run time
 * makes the call unreadable, and the replay skips it with the reason (never guesses).
 */
export class UnreadableCall extends Error {}

export function unreadable(what: string): never {
  throw new UnreadableCall(what);
}

/** The expression a name or wrapper stands for: `x as T`, `(x)`, a `const` initializer. */
export function resolved(expr: ts.Expression | undefined, depth = 0): ts.Expression | undefined {
  if (!expr) return undefined;
  const inner = unwrap(expr);
  if (ts.isIdentifier(inner) && depth < 8) {
    const initializer = resolveConst(inner);
    if (initializer) return resolved(initializer, depth + 1);
  }
  return inner;
}

export function stringOf(expr: ts.Expression | undefined): string | undefined {
  return stringValue(expr)?.value;
}

/**
 * A name or text the call gives: a literal, a constant the type checker resolves, or the placeholder of an argument
 * computed at run time (computed.ts decides from where it lands in the SQL whether the call can still be read).
 */
export function requireString(expr: ts.Expression | undefined, what: string): string {
  const known = stringOf(expr);
  if (known !== undefined || !expr) return known ?? unreadable(`${what} is not a literal string`);
  const inner = resolved(expr)!;
  const declared = declaredConstantOf(inner);
  if (typeof declared === 'string') return declared;
  return computedArgument(inner) ?? unreadable(`${what} is not a literal string`);
}

export function booleanOf(expr: ts.Expression | undefined): boolean | undefined {
  const inner = resolved(expr);
  if (inner?.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (inner?.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

export function numberOf(expr: ts.Expression | undefined): number | undefined {
  const inner = resolved(expr);
  if (inner && ts.isNumericLiteral(inner)) return Number(inner.text);
  if (
    inner &&
    ts.isPrefixUnaryExpression(inner) &&
    inner.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(inner.operand)
  ) {
    return -Number(inner.operand.text);
  }
  return undefined;
}

/** An object literal, also as the argument of `new Table({...})` / `new TableIndex({...})` (TypeORM). */
export function objectOf(expr: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  const inner = resolved(expr);
  if (!inner) return undefined;
  if (ts.isObjectLiteralExpression(inner)) return inner;
  if (ts.isNewExpression(inner)) return objectOf(inner.arguments?.[0]);
  return undefined;
}

/** The elements of an array literal; `...BaseColumns` of a const array of the file spreads in place. */
export function arrayOf(expr: ts.Expression | undefined, depth = 0): readonly ts.Expression[] | undefined {
  const inner = resolved(expr);
  if (!inner || !ts.isArrayLiteralExpression(inner) || depth > 8) return undefined;
  return inner.elements.flatMap((element) =>
    ts.isSpreadElement(element)
      ? (arrayOf(element.expression, depth + 1) ?? unreadable('an array spreads what is not an array literal'))
      : [element],
  );
}

/** `'a'` or `['a', 'b']` as a list of strings. */
export function stringsOf(expr: ts.Expression | undefined, what: string): string[] {
  const single = stringOf(expr);
  if (single !== undefined) return [single];
  const items = arrayOf(expr) ?? unreadable(`${what} is not a literal string or array`);
  return items.map((item) => requireString(item, what));
}

export function prop(object: ts.ObjectLiteralExpression | undefined, name: string): ts.Expression | undefined {
  return object ? propertyValue(object, name) : undefined;
}

/** The properties of an object literal in order; spreads and computed names make it unreadable. */
export function entriesOf(object: ts.ObjectLiteralExpression, what: string): [string, ts.Expression][] {
  return object.properties.map((property) => {
    if (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) {
      const name =
        ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) || ts.isNumericLiteral(property.name)
          ? property.name.text
          : undefined;
      if (name !== undefined) return [name, ts.isPropertyAssignment(property) ? property.initializer : property.name];
    }
    return unreadable(`${what} has a computed or spread property`);
  });
}

/**
 * `DataTypes.STRING(100)` → `{ name: 'STRING', args: [100] }`, `Sequelize.TEXT` → `{ name: 'TEXT' }`,
 * `pgm.func('now()')` → `{ name: 'func' }`; the last name of a property path, with the call's arguments.
 */
export function memberCall(
  expr: ts.Expression | undefined,
): { name: string; args: readonly ts.Expression[] } | undefined {
  const inner = resolved(expr);
  if (!inner) return undefined;
  if (ts.isCallExpression(inner)) {
    const access = methodAccess(inner);
    const callee = unwrap(inner.expression);
    const name = access?.name.text ?? (ts.isIdentifier(callee) ? callee.text : undefined);
    return name ? { name, args: inner.arguments } : undefined;
  }
  if (ts.isPropertyAccessExpression(inner)) return { name: inner.name.text, args: [] };
  return undefined;
}

/** A JS literal as SQL: `'text'` (quotes doubled), numbers, booleans, NULL. */
export function sqlLiteral(expr: ts.Expression): string | undefined {
  const text = stringOf(expr);
  if (text !== undefined) return sqlString(text);
  const number = numberOf(expr);
  if (number !== undefined) return String(number);
  const bool = booleanOf(expr);
  if (bool !== undefined) return String(bool);
  if (resolved(expr)?.kind === ts.SyntaxKind.NullKeyword) return 'NULL';
  return undefined;
}

/**
 * A value the file does not spell out (a default, an enum value), as SQL: a constant the type checker resolves,
 * else the placeholder of an argument computed at run time as a string constant — some constant value, which is
 * what an imported constant is, never an absent one.
 */
export function constantSql(expr: ts.Expression): string | undefined {
  const inner = resolved(expr)!;
  const declared = declaredConstantOf(inner);
  if (declared !== undefined) return typeof declared === 'string' ? sqlString(declared) : String(declared);
  const placeholder = computedArgument(inner);
  return placeholder === undefined ? undefined : sqlString(placeholder);
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."table"` for a catalog name `schema.table`. */
export function tableIdent(qualified: string): string {
  const dot = qualified.indexOf('.');
  return `${ident(qualified.slice(0, dot))}.${ident(qualified.slice(dot + 1))}`;
}

/** The unqualified table name, which ORMs use in the names they generate. */
export function bareName(qualified: string): string {
  return qualified.slice(qualified.indexOf('.') + 1);
}
