import * as crypto from 'crypto';
import * as net from 'net';
import type { DryRunSession } from '../session';
import { ClientConnection, type ProxyContext } from './client-connection';
import { SavepointStack } from './client-transactions';
import type { LiveStatements } from './live-statements';
import type { StatementSources } from './statement-sources';

/** Where the program connects: a random port of 127.0.0.1, a random user, password and database name. */
export interface ProxyEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Settings a server reports at startup, which drivers read (psql and pg need the encoding and standard_conforming_strings). */
const REPORTED_SETTINGS = [
  'server_version',
  'server_encoding',
  'client_encoding',
  'DateStyle',
  'IntervalStyle',
  'TimeZone',
  'integer_datetimes',
  'standard_conforming_strings',
];

/**
 * The transaction proxy: a PostgreSQL endpoint on 127.0.0.1 whose every client connection is served over the
 * dry-run's one connection, inside its one transaction that is always rolled back. Units of different
 * connections take turns; the statements go through `LiveStatements`, the dry-run's checks and limits.
 */
export class TransactionProxy implements ProxyContext {
  readonly savepoints: SavepointStack;
  readonly credentials: { user: string; password: string };
  readonly parameterStatus = new Map<string, string>();
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly clients = new Map<number, ClientConnection>();
  private served: LiveStatements | undefined;
  private openTurns!: () => void;
  /** The first turn is taken once the dry-run's transaction has begun (`serve`). */
  private turnTaken = new Promise<void>((resolve) => (this.openTurns = resolve));
  private connectionsOpened = 0;
  private stopped = false;

  private constructor(
    readonly session: DryRunSession,
    readonly sources?: StatementSources,
  ) {
    this.savepoints = new SavepointStack(session, () => this.live.locksReleased());
    this.credentials = {
      user: `preflight_${crypto.randomBytes(4).toString('hex')}`,
      password: crypto.randomBytes(18).toString('base64url'),
    };
  }

  /**
   * Listens at once, before the dry-run's transaction has begun, so that the program can start while it is being
   * set up: its connections are accepted and authenticated, and their first statement waits for `serve`.
   */
  static async start(
    session: DryRunSession,
    sources?: StatementSources,
  ): Promise<{ proxy: TransactionProxy; endpoint: ProxyEndpoint }> {
    const proxy = new TransactionProxy(session, sources);
    const columns = REPORTED_SETTINGS.map((name) => `pg_catalog.current_setting('${name}') AS "${name}"`);
    const { rows } = await session.internal<Record<string, string>>(`SELECT ${columns.join(', ')}`);
    for (const name of REPORTED_SETTINGS) proxy.parameterStatus.set(name, rows[0][name]);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = proxy.server.address() as net.AddressInfo;
    return { proxy, endpoint: { host: '127.0.0.1', port, ...proxy.credentials, database: 'preflight_dry_run' } };
  }

  /** The transaction has begun: the statements of the program's connections run, through `live`. */
  serve(live: LiveStatements): void {
    this.served = live;
    this.openTurns();
  }

  get live(): LiveStatements {
    if (!this.served) throw new Error('the transaction proxy runs no statement before it serves');
    return this.served;
  }

  /** How many client connections the program opened. */
  get connections(): number {
    return this.connectionsOpened;
  }

  private accept(socket: net.Socket): void {
    if (this.stopped) return void socket.destroy();
    // Replies go out as several small writes; with Nagle's algorithm each waited for the client's delayed ACK
    // (about 40 ms a statement, measured: 500 INSERTs took 22 s through the proxy, 85 ms directly).
    socket.setNoDelay(true);
    const client = new ClientConnection(socket, ++this.connectionsOpened, this);
    this.clients.set(client.number, client);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.clients.delete(client.number);
      if (!this.stopped) void client.disconnected();
    });
  }

  /** Waits for the turn to run a unit; the returned function gives it back. */
  async turn(): Promise<() => void> {
    const previous = this.turnTaken;
    let release!: () => void;
    this.turnTaken = new Promise((resolve) => (release = resolve));
    await previous;
    return release;
  }

  /** A rollback on `connection` ended other connections' transaction savepoints: set them again. */
  restoreOthers(connection: number, ended: { connection: number }[]): void {
    for (const other of new Set(ended.map((each) => each.connection))) {
      if (other !== connection) this.clients.get(other)?.transaction.restore();
    }
  }

  /** Stops listening, ends every client connection, and waits for the unit that runs now to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
    await closed;
    // Never served (the transaction did not begin): no unit ran, and those waiting for the first turn never will.
    if (!this.served) return;
    const release = await this.turn();
    release();
  }
}
