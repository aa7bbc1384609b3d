import * as assert from 'assert';
import { serverFor } from './support/lsp-client';

/**
 * Framing is the one thing a stdio language server cannot recover from: after a header without a usable
 * Content-Length it no longer knows where the next message starts, and waiting for a body of 2 GB means
 * waiting (and buffering) forever. The server says so in one line on stderr and exits non-zero, which is
 * what makes an editor restart it; it used to stay up and deaf. A malformed message inside a well-framed
 * body is another matter: the server answers it and goes on (`test/lsp-diagnostics.test.ts`).
 */
describe('language server: malformed framing', function () {
  this.timeout(60_000);
  const server = serverFor({ 'db/0001_create.sql': 'CREATE TABLE plans (id bigint PRIMARY KEY);\n' }, { each: true });

  const BROKEN_FRAMES: [string, string][] = [
    ['a header without Content-Length', 'Content-Type: x\r\n\r\n{}'],
    ['a negative Content-Length', 'Content-Length: -5\r\n\r\n'],
    ['a 2 GB Content-Length', 'Content-Length: 2147483648\r\n\r\n'],
    ['a header line without a colon', 'garbage without a length\r\n\r\n'],
    ['64 KB of bytes that never end a header', 'x'.repeat(64 * 1024)],
  ];

  for (const [what, bytes] of BROKEN_FRAMES) {
    it(`exits non-zero within seconds, with one line on stderr, after ${what}`, async () => {
      const child = server.client.process;
      const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      child.stdin.write(bytes);
      const code = await Promise.race([
        closed,
        new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 5_000).unref()),
      ]);
      assert.notStrictEqual(code, 'running', `still running 5 s after ${what}; stderr: ${server.client.stderr}`);
      assert.ok(typeof code === 'number' && code !== 0, `exit code ${code}`);
      const lines = server.client.stderr.trimEnd().split('\n');
      assert.strictEqual(lines.length, 1, `one line on stderr: ${JSON.stringify(server.client.stderr)}`);
      assert.match(lines[0], /^preflight lsp: .*(message framing|Content-Length|header)/i);
    });
  }
});
