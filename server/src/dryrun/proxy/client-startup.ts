import type { Socket } from 'net';
import { PostgresConnection, hashMd5Password } from 'pg-gateway';
import { backend } from './backend-messages';
import { FrontendMessage, readFrontendMessage } from './frontend-messages';

/** What a program's connection is told and checked against at startup. */
export interface StartupTerms {
  credentials: { user: string; password: string };
  /** Settings reported in ParameterStatus, as the server reports them. */
  parameterStatus: ReadonlyMap<string, string>;
  /** The process id this connection is told it has (BackendKeyData). */
  backendPid: number;
}

/**
 * The startup of a program's connection to the proxy, and the framing of every message after it. Startup and md5
 * authentication are pg-gateway's; every message after them is read here, one whole message at a time from the
 * 4-byte length that frames it (after a type byte, except before startup), and handed to `onMessage` in order.
 * pg-gateway itself is handed only the startup messages, one per call: version 0.2.4 loses every message after the
 * first of a chunk (it slices `subarray(offset, length)` where it means `subarray(offset, offset + length)`), and
 * drivers send Parse, Bind, Describe, Execute and Sync in one write. Past startup it would also cost an async step
 * per message, five per parameterised statement.
 */
export function acceptStartup(
  socket: Socket,
  terms: StartupTerms,
  onMessage: (message: FrontendMessage) => void,
): { detach(): void } {
  const { user, password } = terms.credentials;
  class ProxyStartup extends PostgresConnection {
    private unread: Buffer = Buffer.alloc(0);
    private handled: Promise<void> = Promise.resolve();

    override handleData(data: Buffer): Promise<void> {
      this.unread = this.unread.length === 0 ? data : Buffer.concat([this.unread, data]);
      this.handled = this.handled.then(async () => {
        for (;;) {
          const header = this.hasStarted ? 1 : 0;
          if (this.unread.length < header + 4) return;
          const size = header + this.unread.readUInt32BE(header);
          if (this.unread.length < size) return;
          const message = this.unread.subarray(0, size);
          this.unread = this.unread.subarray(size);
          if (this.isAuthenticated) onMessage(readFrontendMessage(message));
          else await super.handleData(message);
        }
      });
      return this.handled;
    }

    override async completeAuthentication(): Promise<void> {
      this.isAuthenticated = true;
      this.sendData(backend.authenticationOk());
      for (const [name, value] of terms.parameterStatus) this.sendData(backend.parameterStatus(name, value));
      this.sendData(backend.backendKeyData(terms.backendPid, 0));
      this.sendData(backend.readyForQuery('I'));
    }
  }
  return new ProxyStartup(socket, {
    authMode: 'md5Password',
    validateCredentials: async (credentials) =>
      credentials.authMode === 'md5Password' &&
      credentials.user === user &&
      credentials.hash === (await hashMd5Password(user, password, credentials.salt)),
  });
}
