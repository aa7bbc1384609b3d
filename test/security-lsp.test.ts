import * as assert from 'assert';
import { promises as dns } from 'dns';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { pathToFileURL } from 'url';
import type { LogOutputChannel } from 'vscode';
import {
  ExecuteCommandRequest,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  Trace,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { refusedRemoteHost, remoteConsentQuestion } from '../client/src/remoteConsent';
import { scrubbingChannel } from '../client/src/traceScrub';
import type { DryRunReport } from '../server/src/dryrun';
import type { ClusterConnection } from '../server/src/dryrun/embedded-cluster';
import { setUp } from './support/dry-run';
import { LspTestClient, workspaceWith } from './support/lsp-client';
import { freshDatabase } from './support/postgres';
import { assertNoPassword as assertNoPasswordIn, loginRole, trickyPassword } from './support/secrets';

/**
 * The editor side of docs/security.md: the language server and the VS Code client never show or log a
 * password, the editor asks before a dry-run on a server elsewhere, and opening migrations runs none of
 * their code.
 */
const PASSWORD = trickyPassword('lsp');
const ROLE = 'preflight_lsp_security_role';
const MIGRATION = "ALTER TABLE plans ADD COLUMN note text;\nUPDATE plans SET note = 'x';\n";

function assertNoPassword(what: string, output: string, password = PASSWORD): void {
  assertNoPasswordIn(what, output, password);
}

describe('security: the language server', function () {
  this.timeout(120_000);
  let db: ClusterConnection;
  let root: string;
  let client: LspTestClient;
  let uri: string;

  before(async () => {
    db = await freshDatabase('lspsec');
    await setUp(db, 'CREATE TABLE plans (id bigint PRIMARY KEY); INSERT INTO plans VALUES (1);');
    await loginRole(ROLE, PASSWORD);
    root = workspaceWith({ 'db/0002_note.sql': MIGRATION });
    client = await LspTestClient.start(root);
    uri = await client.open(path.join(root, 'db/0002_note.sql'));
    await client.diagnostics(uri);
  });

  after(async () => {
    await client?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  async function dryRun(args: object): Promise<{ report?: DryRunReport; error?: ResponseError<unknown> }> {
    try {
      const report = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
        command: 'preflight.server.dryRun',
        arguments: [args],
      })) as DryRunReport;
      return { report };
    } catch (error) {
      return { error: error as ResponseError<unknown> };
    }
  }

  const url = (options: { host?: string; database?: string; password?: string } = {}) =>
    `postgres://${ROLE}${options.password ? `:${encodeURIComponent(options.password)}` : ''}@${options.host ?? db.host}:${db.port}/${options.database ?? db.database}`;

  it('never returns, shows or logs the password of a dry-run connection', async () => {
    const outcomes = [
      await dryRun({ uri, connection: { name: 'ok', url: url(), password: PASSWORD } }),
      await dryRun({ uri, connection: { name: 'no-db', url: url({ database: 'no_such_db' }), password: PASSWORD } }),
      await dryRun({ uri, connection: { name: 'wrong', url: url(), password: `${PASSWORD}-wrong` } }),
      // Another editor might put the password in the URL: it is scrubbed all the same.
      await dryRun({ uri, connection: { name: 'in-url', url: url({ password: PASSWORD }) } }),
      await dryRun({
        uri,
        connection: {
          name: 'unreachable',
          url: url({ host: '127.0.0.1' }).replace(`:${db.port}/`, ':1/'),
          password: PASSWORD,
        },
      }),
    ];
    assert.strictEqual(outcomes[0].report?.outcome, 'ok', JSON.stringify(outcomes[0].error));
    assert.strictEqual(outcomes[3].report?.outcome, 'ok', JSON.stringify(outcomes[3].error));
    for (const i of [1, 2, 4]) assert.ok(outcomes[i].error, `dry-run ${i} failed`);
    // Everything the editor received: results, errors, diagnostics, messages, the log, and the server's stderr.
    const seen =
      JSON.stringify({ outcomes, published: client.published, messages: client.messages, log: client.log }) +
      client.stderr;
    assertNoPassword('what the language server sent', seen);
    assertNoPassword('what the language server sent', seen, `${PASSWORD}-wrong`);
  });

  it('refuses a dry-run on a server that is not on this machine until the user agrees, naming the host for the question', async function () {
    // The host name resolves to a loopback address here, so the server is reachable, but the name alone
    // does not say it is this machine.
    const host = os.hostname();
    if (!(await dns.lookup(host, { family: 4 })).address.startsWith('127.')) this.skip();
    const connection = { name: 'staging', url: url({ host }), password: PASSWORD };
    const refused = await dryRun({ uri, connection });
    assert.ok(refused.error instanceof ResponseError, 'refused');
    assert.strictEqual(refusedRemoteHost(refused.error), host);
    assert.match(refused.error.message, new RegExp(`${host} is not a local database server`));
    const question = remoteConsentQuestion(refusedRemoteHost(refused.error)!, connection.name, '0002_note.sql');
    assert.match(
      question,
      new RegExp(`Dry-run 0002_note\\.sql on "staging" \\(${host}\\)\\? It is not on this machine\\..*locks`),
    );
    const agreed = await dryRun({ uri, connection, allowRemote: true });
    assert.strictEqual(agreed.report?.outcome, 'ok', JSON.stringify(agreed.error));
    assert.strictEqual(refusedRemoteHost(new ResponseError(-32600, 'could not connect')), undefined);
  });

  it('runs none of the code of the TS/JS migrations it opens and lints', async () => {
    const markers = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-lsp-markers-'));
    const payload = (name: string) =>
      `require('fs').writeFileSync(${JSON.stringify(path.join(markers, name))}, 'ran');\nrequire('child_process').execSync('touch ${path.join(markers, `${name}.spawned`)}');\nprocess.exit(42);\n`;
    const files: Record<string, string> = {
      'migrations/0001_plans.ts': `${payload('ts')}export async function up(knex: any) {\n  ${payload('up')}  await knex.raw('ALTER TABLE plans ADD COLUMN note text');\n  await knex.raw("UPDATE plans SET note = 'x'");\n}\n`,
      'migrations/0002_more.js': `${payload('js')}exports.up = (knex) => knex.raw('SELECT 1');\n`,
      'knexfile.js': payload('knexfile'),
    };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), text);
    }
    const opened = await client.open(path.join(root, 'migrations/0001_plans.ts'));
    const diagnostics = await client.diagnostics(opened, (d) => d.some((x) => x.code === 'mixed-ddl-dml'));
    assert.ok(diagnostics.length > 0);
    await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'preflight.server.lintWorkspace',
      arguments: [],
    });
    await client.diagnostics(pathToFileURL(path.join(root, 'migrations/0002_more.js')).href);
    assert.strictEqual(client.process.exitCode, null, 'the server is still running');
    assert.deepStrictEqual(fs.readdirSync(markers), [], 'user code ran');
  });
});

describe('security: the VS Code client', () => {
  it('masks the dry-run password in a verbose protocol trace', async () => {
    // The client's real JSON-RPC tracing (vscode-jsonrpc at Trace.Verbose) into the channel the client traces to.
    const written: string[] = [];
    const log = { trace: (line: string) => written.push(line), logLevel: 1 } as unknown as LogOutputChannel;
    const channel = scrubbingChannel(log);
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const editor = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    const server = createProtocolConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    server.onRequest(ExecuteCommandRequest.type, () => ({ outcome: 'ok' }));
    server.listen();
    editor.listen();
    await editor.trace(Trace.Verbose, {
      log: (message: string, data?: string) => channel.trace(data ? `${message}\n${data}` : message),
    });
    const connection = {
      name: 'staging',
      url: `postgres://app:${encodeURIComponent(PASSWORD)}@db/app`,
      password: PASSWORD,
    };
    await editor.sendRequest(ExecuteCommandRequest.type, {
      command: 'preflight.server.dryRun',
      arguments: [{ uri: 'file:///m.sql', connection }],
    });
    editor.dispose();
    server.dispose();
    const trace = written.join('\n');
    assert.match(trace, /Sending request 'workspace\/executeCommand/);
    assert.match(trace, /"password": "\*\*\*"/);
    assert.match(trace, /postgres:\/\/app:\*\*\*@db\/app/);
    assertNoPassword('the protocol trace', trace);
  });
});
