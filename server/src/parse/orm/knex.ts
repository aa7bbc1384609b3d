import * as ts from 'typescript';
import type { GeneratedSql, SchemaCall } from '../host-types';
import { functionOf, methodAccess, stringValue, unwrap } from '../host-syntax';
import type { Span } from '../text';
import { unreadable } from './literals';
import { FrameworkValues, literalValue } from './values';

/** The part of a connection-less knex instance the interpreter uses. */
interface KnexInstance {
  schema: Record<string, (...args: unknown[]) => KnexSchemaBuilder> & {
    withSchema(name: string): KnexInstance['schema'];
  };
  raw(sql: string, bindings?: unknown[]): { toQuery(): string };
}

interface KnexSchemaBuilder {
  toSQL(): { sql: string; bindings?: unknown[] }[];
}

let pgKnex: KnexInstance | undefined;

/**
 * knex's own PostgreSQL client, without a connection: its schema builder writes the SQL knex sends (its types,
 * `serial primary key` for `increments`, constraint and index names like `orders_status_index`) and never
 * connects. Loaded only when a file has a knex schema call: the lint of .sql files never pays for it.
 */
function knexForPostgres(): KnexInstance {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  pgKnex ??= (require('knex') as (config: object) => KnexInstance)({ client: 'pg' });
  return pgKnex;
}

/** `knex.fn.now()`, `knex.raw('...')`, `knex.ref('x')`: the only paths of the knex object a builder argument takes. */
const KNEX_VALUE_PATHS = new Set(['fn', 'raw', 'ref']);

const knexValues: FrameworkValues = {
  root: (_name, firstLink) => (KNEX_VALUE_PATHS.has(firstLink) ? (knexForPostgres() as unknown as object) : undefined),
};

/** The schema builder's methods that take a table builder callback. */
const TABLE_CALLBACK_METHODS = new Set(['createTable', 'createTableIfNotExists', 'alterTable', 'table']);

/**
 * The SQL of a knex schema call (`knex.schema.createTable('t', (table) => { ... })`), written by knex itself: the
 * callback's chains on the table builder (`table.string('name', 100).notNullable()`) are made on knex's real
 * table builder with their literal arguments, read from the syntax tree (the callback never runs). A chain of
 * `alterTable` is generated on its own and carries its own span; anything else in a callback is unreadable.
 */
export function knexSql(call: SchemaCall, source: ts.SourceFile): GeneratedSql[] {
  const node = call.node as ts.CallExpression;
  const knex = knexForPostgres();
  const schema = (): KnexInstance['schema'] => {
    const name = withSchemaOf(node);
    return name === undefined ? knex.schema : knex.schema.withSchema(name);
  };
  const method = call.method;
  if (typeof (knex.schema as unknown as Record<string, unknown>)[method] !== 'function' || method.startsWith('_'))
    return unreadable(`knex.schema.${method} is not a schema builder method`);
  const callSpan = call.span;
  if (!TABLE_CALLBACK_METHODS.has(method)) {
    const args = node.arguments.map((arg) => literalValue(arg, knexValues));
    return generated(schema()[method](...args), callSpan);
  }
  const table = literalValue(node.arguments[0], knexValues);
  const chains = builderChains(node.arguments[1], source);
  if (method === 'alterTable' || method === 'table') {
    return chains.flatMap((chain) =>
      generated(
        schema()[method](table, (builder: unknown) => applyChain(builder, chain)),
        chainSpan(chain, source),
      ),
    );
  }
  return generated(
    schema()[method](table, (builder: unknown) => chains.forEach((chain) => applyChain(builder, chain))),
    callSpan,
  );
}

/** knex binds some values (a comment, a default given as a binding): inlined as knex itself would print them. */
function generated(builder: KnexSchemaBuilder, span: Span): GeneratedSql[] {
  const knex = knexForPostgres();
  return builder
    .toSQL()
    .map(({ sql, bindings }) => ({ sql: bindings?.length ? knex.raw(sql, bindings).toQuery() : sql, span }));
}

/** `knex.schema.withSchema('app').createTable(...)`: the schema the chain before the call names. */
function withSchemaOf(call: ts.CallExpression): string | undefined {
  let current = unwrap(methodAccess(call)?.expression ?? call);
  while (ts.isCallExpression(current)) {
    const access = methodAccess(current);
    if (!access) break;
    if (access.name.text === 'withSchema')
      return stringValue(current.arguments[0])?.value ?? unreadable('withSchema() is not given a literal');
    current = unwrap(access.expression);
  }
  return undefined;
}

/** One chain on the table builder: `table.string('name', 100).notNullable()`, its calls in order. */
interface BuilderChain {
  outermost: ts.CallExpression;
  head: ts.PropertyAccessExpression;
  links: { name: string; args: readonly ts.Expression[] }[];
}

/**
 * The chains of a table builder callback, in order: each statement of its body must be one chain on the builder
 * parameter (or the body is one): a loop, a condition or a helper would need the file to run.
 */
function builderChains(callback: ts.Expression | undefined, source: ts.SourceFile): BuilderChain[] {
  if (!callback) return [];
  const fn = functionOf(callback, source) ?? unreadable('the table callback is not a function of this file');
  const parameter = fn.parameters[0]?.name;
  if (!fn.body || !parameter) return [];
  if (!ts.isIdentifier(parameter)) return unreadable('the table builder parameter is destructured');
  const expressions = ts.isBlock(fn.body)
    ? fn.body.statements.map((statement) =>
        ts.isExpressionStatement(statement)
          ? statement.expression
          : unreadable('the table callback does more than call the table builder'),
      )
    : [fn.body];
  return expressions.map((expression) => chainOf(expression, parameter.text));
}

function chainOf(expression: ts.Expression, builder: string): BuilderChain {
  const outermost = unwrap(expression);
  const links: BuilderChain['links'] = [];
  let current = outermost;
  let head: ts.PropertyAccessExpression | undefined;
  while (ts.isCallExpression(current)) {
    const access = methodAccess(current);
    if (!access) break;
    links.unshift({ name: access.name.text, args: current.arguments });
    head = access;
    current = unwrap(access.expression);
  }
  if (!head || !ts.isCallExpression(outermost) || !ts.isIdentifier(current) || current.text !== builder)
    return unreadable('the table callback does more than call the table builder');
  return { outermost, head, links };
}

/** From the chain's first method name to its end: `dropColumn('legacy')`, `bigInteger('id').alter()`. */
function chainSpan(chain: BuilderChain, source: ts.SourceFile): Span {
  return { start: chain.head.name.getStart(source), end: chain.outermost.end };
}

/** Makes the chain's calls on knex's table builder, with their literal arguments. */
function applyChain(builder: unknown, chain: BuilderChain): void {
  let target = builder as Record<string, unknown>;
  for (const link of chain.links) {
    const method = target[link.name];
    if (typeof method !== 'function' || link.name.startsWith('_') || link.name === 'constructor')
      unreadable(`${link.name}() is not a table builder method`);
    const args = link.args.map((arg) => literalValue(arg, knexValues));
    target = (method as (...args: unknown[]) => Record<string, unknown>).apply(target, args);
  }
}
