import type * as ts from 'typescript';
import type { GeneratedSql, SchemaCall } from '../host-types';
import { isComputedArgument } from './computed';
import { unreadable } from './literals';
import { FrameworkValues, literalValue } from './values';

/* eslint-disable @typescript-eslint/no-explicit-any -- Sequelize's query generator is untyped JavaScript */

interface SequelizeForPostgres {
  Sequelize: any;
  queryInterface: any;
  /** What `sequelize.query` was asked to send since the last call, in order. */
  sent: string[];
}

let postgresSequelize: SequelizeForPostgres | undefined;

/**
 * Stands in for pg as the postgres dialect's driver (Sequelize's `dialectModule` option). The dialect touches its
 * driver only to connect and to parse result rows, and this instance does neither; requiring pg itself cost ~30–60 ms
 * per process or lint thread (pg's check for a Cloudflare runtime loads Node's fetch implementation). A connection,
 * were one ever attempted, fails on the missing `Client` instead of reaching a server.
 */
const NO_DRIVER = Object.freeze({});

/**
 * Sequelize's own postgres dialect, never connected: `new Sequelize('postgres://', ...)` opens no connection until a
 * query runs, and its `query` is replaced to record the SQL instead of sending it. Loaded only when a file has a
 * Sequelize schema call.
 */
function sequelizeForPostgres(): SequelizeForPostgres {
  if (postgresSequelize) return postgresSequelize;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Sequelize } = require('sequelize') as { Sequelize: any };
  const sequelize = new Sequelize('postgres://preflight@127.0.0.1:1/preflight', {
    dialect: 'postgres',
    dialectModule: NO_DRIVER,
    logging: false,
  });
  const sent: string[] = [];
  sequelize.query = (sql: unknown) => {
    sent.push(typeof sql === 'string' ? sql : String((sql as { query?: string }).query));
    return Promise.resolve([[], 0]);
  };
  postgresSequelize = { Sequelize, queryInterface: sequelize.getQueryInterface(), sent };
  return postgresSequelize;
}

/** What a column definition or option takes from Sequelize besides its data types: SQL functions, literals, deferral. */
const SEQUELIZE_VALUE_PATHS = new Set(['DataTypes', 'Deferrable', 'fn', 'col', 'literal', 'cast', 'json']);

/**
 * `Sequelize.STRING(100)`, `DataTypes.ENUM('a')`, `Sequelize.fn('now')`: under any name (the migration's second
 * parameter, an import), a data type or one of the value paths, looked up on Sequelize; never its other statics
 * (`useCLS`, hooks), which change the process's Sequelize.
 */
const sequelizeValues: FrameworkValues = {
  root: (_name, firstLink) => {
    const { Sequelize } = sequelizeForPostgres();
    const isValuePath = SEQUELIZE_VALUE_PATHS.has(firstLink) || Object.hasOwn(Sequelize.DataTypes, firstLink);
    return isValuePath ? (Sequelize as object) : undefined;
  },
  // Which transaction a call runs in, and how it logs, change where the SQL goes, not what it says.
  runTimeOptions: new Set(['transaction', 'logging', 'benchmark']),
};

/**
 * The SQL of a Sequelize QueryInterface schema call (`queryInterface.addColumn('orders', 'total', { type:
 * Sequelize.INTEGER, allowNull: false })`), written by Sequelize itself: the real QueryInterface method runs with
 * the call's literal arguments and its query is recorded. The QueryInterface sends most schema SQL before it
 * awaits anything, so it is recorded at once; `createTable` and `renameColumn` first read the catalog (existing
 * enum types, the column's description), so for those the same QueryGenerator calls the QueryInterface makes are
 * made here, as for a new migration on a database that has neither yet.
 */
export function sequelizeSql(call: SchemaCall): GeneratedSql[] {
  const node = call.node as ts.CallExpression;
  const { queryInterface, sent } = sequelizeForPostgres();
  const args = node.arguments.map((arg) => literalValue(arg, sequelizeValues));
  if (call.method === 'createTable' && isPlainRecord(args[1]))
    args[1] = Object.fromEntries(Object.entries(args[1]).map(([name, column]) => [name, withTypeNamed(column)]));
  if (call.method === 'addColumn' || call.method === 'changeColumn') args[2] = withTypeNamed(args[2]);
  let statements: string[];
  if (call.method === 'createTable') statements = createTable(queryInterface, args);
  else if (call.method === 'renameColumn')
    statements = [queryInterface.queryGenerator.renameColumnQuery(args[0], args[1], { [String(args[2])]: {} })];
  else {
    const method = queryInterface[call.method];
    if (typeof method !== 'function' || call.method.startsWith('_'))
      return unreadable(`queryInterface.${call.method} is not a QueryInterface method`);
    sent.length = 0;
    // The promise settles after the lint: a rejection is the generator refusing the arguments, and shows as no SQL.
    (method.apply(queryInterface, args) as Promise<unknown>).catch(() => undefined);
    statements = [...sent];
  }
  if (statements.length === 0) return unreadable(`Sequelize sends no SQL for ${call.method}() with these arguments`);
  return statements.map((sql) => ({ sql, span: call.span }));
}

/**
 * A column whose type only the running code knows (Tamanu's own `DataTypes.DATETIMESTRING`, which Sequelize lacks) names
 * it, quoted like any type name: a computed name (computed.ts), rather than text that would shape the SQL.
 */
function withTypeNamed(column: unknown): unknown {
  if (isComputedArgument(column)) return `"${column}"`;
  if (isPlainRecord(column) && isComputedArgument(column.type)) return { ...column, type: `"${column.type}"` };
  return column;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** QueryInterface.createTable and the postgres dialect's ensureEnums, for a table and enum types that do not exist yet. */
function createTable(queryInterface: any, [table, attributes, options]: unknown[]): string[] {
  if (!attributes || typeof attributes !== 'object') return unreadable('createTable() is given no attributes');
  const { Sequelize } = sequelizeForPostgres();
  const generator = queryInterface.queryGenerator;
  const normalized: Record<string, any> = {};
  for (const [name, attribute] of Object.entries(attributes))
    normalized[name] = queryInterface.sequelize.normalizeAttribute(attribute);
  const enums = Object.entries(normalized).flatMap(([name, attribute]) => {
    const type = attribute.type;
    const enumType = type instanceof Sequelize.ARRAY ? type.type : type;
    return enumType instanceof Sequelize.ENUM
      ? [generator.pgEnum(table, attribute.field ?? name, enumType, options)]
      : [];
  });
  const tableOptions = { ...(options as object) } as { schema?: string };
  const named =
    typeof table === 'string' && tableOptions.schema
      ? generator.addSchema({ tableName: table, _schema: tableOptions.schema })
      : table;
  const columns = generator.attributesToSQL(normalized, { table: named, context: 'createTable' });
  return [...enums, generator.createTableQuery(named, columns, tableOptions)];
}
