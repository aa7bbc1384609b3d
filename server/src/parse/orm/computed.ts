import * as ts from 'typescript';
import { scanSql } from '../libpg';
import type { ComputedArguments } from '../fragment';
import type { Span } from '../text';

/**
 * Arguments of an ORM call that only the running code knows: a helper's parameter (`queryRunner.dropColumn(tableName,
 * columnName)`), an imported constant the type checker cannot resolve (`defaultValue: VISIBILITY_STATUSES.CURRENT`
 * from a workspace package). The operation is still known, so each such argument is handed to the framework's
 * generator as a placeholder string, `${tableName}`, named by the expression as written. Where the placeholder lands
 * decides what the call's SQL is:
 * - inside a quoted identifier (`ALTER TABLE "public"."${tableName}"`): a computed NAME — the statement's target is
 *   unknown, so replay creates or changes nothing from it and rules that need the schema find nothing to judge;
 * - inside a string literal (`DEFAULT '${VISIBILITY_STATUSES.CURRENT}'`): a computed VALUE — some constant, which
 *   is what the lock rules care about (a constant default is not volatile), never absent;
 * - anywhere else, or nowhere (a computed array type, an options object the generator read as a string): the call
 *   is not analysed, as before.
 * Every placeholder is a hole of the statement, so the dry-run's static fallback does not run it as written.
 */

let collecting: Map<string, ts.Expression> | undefined;

/** Runs a generator with computed arguments allowed: each is recorded and stands as its placeholder. */
export function withComputedArguments<T>(generate: () => T): {
  result: T;
  placeholders: ReadonlyMap<string, ts.Expression>;
} {
  const outer = collecting;
  collecting = new Map();
  try {
    return { result: generate(), placeholders: collecting };
  } finally {
    collecting = outer;
  }
}

/** The longest expression text a placeholder keeps; it names the argument in findings and must stay readable. */
const MAX_PLACEHOLDER_TEXT = 60;

/**
 * The placeholder for an argument computed at run time, or undefined (the call is then unreadable): only a name
 * (`tableName`), a path (`TABLES.USERS`, `CONSTANTS['x']`) or a template (`` `${prefix}_id` ``) can stand for one
 * value; a call of the file's code may return an object, a type or a callback the SQL depends on in other ways.
 */
export function computedArgument(expr: ts.Expression): string | undefined {
  if (!collecting || !isValueExpression(expr)) return undefined;
  // Quotes and backslashes are dropped so that the generators' quoting leaves the placeholder as written; a
  // template is its own placeholder (`${columnName}_string`).
  const text = expr
    .getText()
    .replace(/["'`\\]/g, '')
    .replace(/\s+/g, ' ');
  const shortened = text.length > MAX_PLACEHOLDER_TEXT ? `${text.slice(0, MAX_PLACEHOLDER_TEXT - 3)}...` : text;
  const placeholder = ts.isTemplateExpression(expr) ? shortened : `\${${shortened}}`;
  collecting.set(placeholder, expr);
  return placeholder;
}

/** Whether a value read from a call is the placeholder of an argument computed at run time. */
export function isComputedArgument(value: unknown): value is string {
  return typeof value === 'string' && collecting !== undefined && collecting.has(value);
}

function isValueExpression(expr: ts.Expression): boolean {
  return (
    ts.isIdentifier(expr) ||
    ts.isPropertyAccessExpression(expr) ||
    ts.isElementAccessExpression(expr) ||
    ts.isTemplateExpression(expr)
  );
}

/**
 * Where the placeholders landed in one statement of generated SQL (read with PostgreSQL's own scanner), or the
 * argument that sits outside a quoted identifier or string literal, where the SQL's shape — not just a name or a
 * value — depends on it (knex's `specificType(name, COLUMN_TYPE)`).
 */
export function computedArgumentsIn(
  sql: string,
  placeholders: ReadonlyMap<string, ts.Expression>,
): ComputedArguments | { shapesSql: ts.Expression } {
  const wanted = [...placeholders.keys()].filter((placeholder) => sql.includes(placeholder));
  const holes: Span[] = [];
  const names = new Set<string>();
  const quoted = new Map<string, number>();
  if (wanted.length > 0) {
    const bytes = Buffer.from(sql, 'utf8');
    for (const token of scanSql(sql).tokens) {
      const text = token.text ?? bytes.subarray(token.start, token.end).toString('utf8');
      const isName = token.tokenName === 'IDENT' && text.startsWith('"');
      if (!isName && token.tokenName !== 'SCONST') continue;
      const tokenStart = bytes.subarray(0, token.start).toString('utf8').length;
      for (const placeholder of wanted) {
        for (let at = text.indexOf(placeholder); at >= 0; at = text.indexOf(placeholder, at + placeholder.length)) {
          quoted.set(placeholder, (quoted.get(placeholder) ?? 0) + 1);
          holes.push({ start: tokenStart + at, end: tokenStart + at + placeholder.length });
          const expr = placeholders.get(placeholder)!;
          if (isName) names.add(ts.isTemplateExpression(expr) ? placeholder : expressionText(expr));
        }
      }
    }
  }
  const unquoted = wanted.find((placeholder) => quoted.get(placeholder) !== sql.split(placeholder).length - 1);
  return unquoted ? { shapesSql: placeholders.get(unquoted)! } : { holes, names: [...names] };
}

/** An expression as written, on one line: how a finding names a computed argument. */
export function expressionText(expr: ts.Expression): string {
  return expr.getText().replace(/\s+/g, ' ');
}
