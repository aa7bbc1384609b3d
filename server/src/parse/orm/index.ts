import type * as ts from 'typescript';
import type { Framework, GeneratedSql, SchemaCall } from '../host-types';
import { unwrap } from '../host-syntax';
import { computedArgument, computedArgumentsIn, withComputedArguments } from './computed';
import { computedAtRunTime } from './values';
import { unreadable } from './literals';

/**
 * The SQL an ORM or query-builder schema call sends, at extraction, so that replay, rules and the dry-run's static
 * fallback read one thing: statements. Written by the framework's own generator where it can run without a
 * database and without the file's code (knex's schema builder, Sequelize's QueryInterface), else by a translation
 * of the framework's documented SQL (TypeORM's QueryRunner, node-pg-migrate). Each framework's module loads only
 * when a file has such a call. `reason` says why a call's SQL cannot be known from the file (an argument computed
 * at run time): it is then not analysed, never guessed.
 */
export function ormCallSql(
  framework: Framework,
  call: SchemaCall,
  source: ts.SourceFile,
): { sql: GeneratedSql[] } | { reason: string } {
  try {
    const { result, placeholders } = withComputedArguments(() => generate(framework, call, source));
    return { sql: withComputedArgumentsMarked(result, placeholders) };
  } catch (error) {
    // The frameworks' generators throw on arguments they refuse (a column without a type): as unreadable.
    return { reason: `${call.method}(): ${error instanceof Error ? error.message : String(error)}` };
  }
}

function generate(framework: Framework, call: SchemaCall, source: ts.SourceFile): GeneratedSql[] {
  /* eslint-disable @typescript-eslint/no-require-imports */
  switch (framework) {
    case 'knex':
      return (require('./knex') as typeof import('./knex')).knexSql(call, source);
    case 'sequelize':
      return (require('./sequelize') as typeof import('./sequelize')).sequelizeSql(call);
    case 'typeorm':
      return translated(call, (table) =>
        (require('./typeorm') as typeof import('./typeorm')).typeormStatements(call, table),
      );
    case 'node-pg-migrate':
      return translated(call, (table) =>
        (require('./node-pg-migrate') as typeof import('./node-pg-migrate')).nodePgMigrateStatements(call, table),
      );
    default:
      return unreadable(`${framework} schema calls are not modelled`);
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

function translated(call: SchemaCall, statements: (table: string) => string[]): GeneratedSql[] {
  const tableArgument = (call.node as ts.CallExpression).arguments?.[0];
  const computed = call.table || !tableArgument ? undefined : computedArgument(unwrap(tableArgument));
  const table = call.table ?? (computed && `public.${computed}`);
  if (!table) return unreadable('it does not name its table with a literal');
  return statements(table).map((sql) => ({ sql, span: call.span }));
}

/**
 * Each statement with where its computed arguments stand (computed.ts); unreadable when one shapes the SQL beyond
 * a name or a value, or disappeared into it (a computed options object read as a string).
 */
function withComputedArgumentsMarked(
  statements: GeneratedSql[],
  placeholders: ReadonlyMap<string, ts.Expression>,
): GeneratedSql[] {
  if (placeholders.size === 0) return statements;
  const vanished = [...placeholders.keys()].find((placeholder) => !statements.some((s) => s.sql.includes(placeholder)));
  if (vanished) return computedAtRunTime(placeholders.get(vanished)!);
  return statements.map((statement) => {
    const computed = computedArgumentsIn(statement.sql, placeholders);
    if ('shapesSql' in computed) return computedAtRunTime(computed.shapesSql);
    return computed.holes.length > 0 ? { ...statement, computed } : statement;
  });
}
