import type * as ts from 'typescript';
import type { Framework, GeneratedSql, SchemaCall } from '../host-types';
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
    return { sql: generate(framework, call, source) };
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
  if (!call.table) return unreadable('it does not name its table with a literal');
  return statements(call.table).map((sql) => ({ sql, span: call.span }));
}
