import * as ts from 'typescript';
import { HandleKind, HandleLibrary, ResolvedHandle, handlesOf, lastName, unwrapAwait } from '../parse/host-handles';
import type { SqlCall } from '../parse/host-types';
import type { MigrationFile, Operation } from '../parse/migration';
import { transactionState } from './transaction-context';

/**
 * Which database connection a query call in TS/JS runs on, found by following the object it is called on back
 * to where the file creates it, without running anything. What is session state in PostgreSQL (an advisory
 * lock, a SET, a temporary table) only stays together when every query runs on one connection.
 *
 * This module loads the TypeScript compiler: load it only for TS/JS files (see parse/typescript.ts).
 */
export type PoolLibrary = HandleLibrary;

export type QueryConnection =
  /** Each query takes whichever pooled connection is free. */
  | { kind: 'pool'; library: PoolLibrary; name: string }
  /** One connection for every query through `owner`: a checked-out client, a reserved connection, a transaction. */
  | { kind: 'single'; owner: ts.Node; name: string }
  | { kind: 'unknown'; name: string };

/** Resolves the connections of one file's query calls through the file's handle model (parse/host-handles). */
export class QueryConnections {
  private readonly handles;
  constructor(private readonly file: MigrationFile) {
    this.handles = handlesOf(file.host!.source);
  }

  of(operation: Operation): QueryConnection {
    const call = operation.call;
    const source = this.file.host?.source;
    if (!call || call.kind !== 'sql' || !call.receiver || !source) return { kind: 'unknown', name: 'this call' };
    const name = call.receiver.getText(source);
    // knex: `knex.raw(sql).connection(conn)` runs on `conn`.
    const pinned = this.pinnedConnection(call);
    if (pinned) return this.named(this.resolve(pinned, operation), pinned.getText(source));
    if (this.isSequelize(call.receiver)) {
      const transaction = this.transactionOption(call);
      if (!transaction) return { kind: 'pool', library: 'sequelize', name };
      return this.named(
        this.resolve(transaction, operation),
        `${name} with { transaction: ${transaction.getText(source)} }`,
      );
    }
    return this.named(this.resolve(call.receiver, operation), name);
  }

  private named(resolved: ResolvedHandle, name: string): QueryConnection {
    const { kind, owner } = resolved;
    if (kind.kind === 'pool') return { kind: 'pool', library: kind.library, name };
    if (kind.kind === 'single' && owner) return { kind: 'single', owner, name };
    return { kind: 'unknown', name };
  }

  /** What `expr` is, by the handle model; a parameter of `up`/`down` is the migration runner's handle. */
  private resolve(expr: ts.Expression, operation: Operation): ResolvedHandle {
    return this.handles.resolve(expr, (parameter) => this.sectionParameterKind(parameter, operation));
  }

  /**
   * A parameter of `up`/`down` is the migration runner's handle: knex hands `up`/`down` a transaction when it
   * wraps the migration in one, and the pooled instance otherwise; TypeORM's QueryRunner, node-pg-migrate's
   * `pgm` and db-migrate's `db` each hold one connection.
   */
  private sectionParameterKind(parameter: ts.ParameterDeclaration, operation: Operation): HandleKind | undefined {
    const fn = parameter.parent;
    const host = this.file.host!;
    const source = host.source;
    const body = ts.isFunctionLike(fn) ? (fn as ts.FunctionLikeDeclaration).body : undefined;
    const isSection =
      body !== undefined &&
      host.sections.some((s) => s.span.start === body.getStart(source) && s.span.end === body.end);
    if (!isSection) return undefined;
    if (host.framework === 'knex') {
      return transactionState(this.file, operation) === 'autocommit'
        ? { kind: 'pool', library: 'knex' }
        : { kind: 'single' };
    }
    return host.framework === 'sequelize' || host.framework === 'script' ? { kind: 'unknown' } : { kind: 'single' };
  }

  /** `sequelize.query(...)`, `queryInterface.sequelize.query(...)`, or a `new Sequelize(...)` under any name. */
  private isSequelize(receiver: ts.Expression): boolean {
    const inner = unwrapAwait(receiver);
    if (lastName(inner) === 'sequelize') return true;
    const kind = ts.isIdentifier(inner) ? this.handles.resolve(inner).kind : undefined;
    return kind?.kind === 'pool' && kind.library === 'sequelize';
  }

  /** The value of the `transaction` option of `sequelize.query(sql, { transaction: t })`. */
  private transactionOption(call: SqlCall): ts.Expression | undefined {
    const options = ts.isCallExpression(call.node) ? call.node.arguments[1] : undefined;
    if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
    for (const property of options.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'transaction') {
        return property.initializer;
      }
      if (ts.isShorthandPropertyAssignment(property) && property.name.text === 'transaction') return property.name;
    }
    return undefined;
  }

  private pinnedConnection(call: SqlCall): ts.Expression | undefined {
    const access = call.node.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.name.text !== 'connection') return undefined;
    const pin = access.parent;
    return ts.isCallExpression(pin) && pin.expression === access ? pin.arguments[0] : undefined;
  }
}
