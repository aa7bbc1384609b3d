import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  CancellationTokenSource,
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  ProgressToken,
  ResponseError,
  WorkDoneProgress,
  WorkDoneProgressBegin,
  WorkDoneProgressReport,
  WorkDoneProgressEnd,
} from 'vscode-languageserver-protocol/node';
import type { DryRunReport } from '../server/src/dryrun';
import { LspTestClient, workspaceWith } from './support/lsp-client';
import { EditorConnection, connect, plansDatabase } from './support/postgres';

const MIGRATION = "ALTER TABLE plans ADD COLUMN note text;\nUPDATE plans SET note = 'x';\n";

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

describe('language server: dry-run', function () {
  this.timeout(120_000);
  let root: string;
  let client: LspTestClient;
  let connection: EditorConnection;

  before(async () => {
    ({ connection } = await plansDatabase('lsp'));
    root = workspaceWith({ 'db/0002_note.sql': MIGRATION });
    client = await LspTestClient.start(root);
  });

  after(async () => {
    await client?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  /** Runs `preflight.server.dryRun` with a progress token; returns the report and the progress seen. */
  async function dryRun(
    args: object,
    token: ProgressToken,
    cancel?: CancellationTokenSource,
  ): Promise<{ report: DryRunReport; progress: Progress[] }> {
    const progress: Progress[] = [];
    const subscription = client.connection.onProgress(WorkDoneProgress.type, token, (value) => {
      progress.push(value);
    });
    try {
      const report = (await client.connection.sendRequest(
        ExecuteCommandRequest.type,
        { command: 'preflight.server.dryRun', arguments: [args], workDoneToken: token },
        cancel?.token,
      )) as DryRunReport;
      return { report, progress };
    } finally {
      subscription.dispose();
    }
  }

  it('runs the open document on the chosen connection, reports progress, and rolls everything back', async () => {
    const uri = pathToFileURL(path.join(root, 'db/0002_note.sql')).href;
    const { report, progress } = await dryRun({ uri, connection }, 'dry-run-1');
    assert.strictEqual(report.committed, false);
    assert.strictEqual(report.outcome, 'ok');
    assert.deepStrictEqual(
      report.statements.map((s) => [s.status, s.line, s.rowCount]),
      [
        ['ok', 1, null],
        ['ok', 2, 25],
      ],
    );
    assert.ok(
      report.statements[0].locks.some(
        (lock) => lock.relation === 'public.plans' && lock.mode === 'AccessExclusiveLock',
      ),
    );
    assert.strictEqual(progress[0].kind, 'begin');
    assert.strictEqual(progress[progress.length - 1].kind, 'end');
    assert.ok(!JSON.stringify(report).includes(connection.password), 'the password leaked into the report');

    const check = await connect({
      host: report.database.host,
      port: Number(report.database.port),
      user: report.database.user,
      password: connection.password,
      database: report.database.database,
    });
    try {
      const { rows } = await check.query(
        "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'plans' AND column_name = 'note'",
      );
      assert.strictEqual(rows[0].n, 0, 'the dry-run committed');
    } finally {
      await check.end();
    }
  });

  it('runs unsaved editor text, and only the statements a selection touches', async () => {
    const uri = await client.open(
      path.join(root, 'db/0003_unsaved.sql'),
      "UPDATE plans SET name = 'a' WHERE id <= 3;\nDELETE FROM plans WHERE id = 25;\n",
    );
    const { report } = await dryRun(
      { uri, connection, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } } },
      'dry-run-2',
    );
    assert.deepStrictEqual(
      report.statements.filter((s) => s.status === 'ok').map((s) => [s.command, s.rowCount]),
      [['DELETE', 1]],
    );
  });

  it('stops and rolls back when the request is cancelled', async () => {
    const uri = await client.open(path.join(root, 'db/0004_slow.sql'), 'SELECT pg_sleep(60);\n');
    const cancel = new CancellationTokenSource();
    const started = Date.now();
    const run = dryRun({ uri, connection }, 'dry-run-3', cancel);
    // Give the statement time to start on the server, then cancel it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    cancel.cancel();
    const { report, progress } = await run;
    assert.strictEqual(report.outcome, 'cancelled');
    assert.strictEqual(report.interrupted?.reason, 'cancelled');
    assert.strictEqual(progress[progress.length - 1].kind, 'end');
    assert.ok(Date.now() - started < 20_000, 'cancelling did not stop pg_sleep(60)');
  });

  it('stops the dry-run at the editor setting preflight.dryRun.timeout, cancelling the running statement', async () => {
    fs.writeFileSync(path.join(root, 'db/0003_sleeps.sql'), 'SELECT pg_sleep(1);\n'.repeat(6));
    const uri = pathToFileURL(path.join(root, 'db/0003_sleeps.sql')).href;
    client.settings = { dryRun: { timeout: '1500ms' } };
    try {
      await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
      // The server pulls the settings when notified; the first dry-run under them says so in its report.
      let report: DryRunReport | undefined;
      for (let i = 0; i < 20 && report?.settings.timeout !== '1500ms'; i++)
        report = (await dryRun({ uri, connection }, `dry-run-timeout-${i}`)).report;
      assert.strictEqual(report?.settings.timeout, '1500ms');
      const failed = report!.statements.find((s) => s.status === 'error');
      assert.strictEqual(
        failed?.error?.timeout,
        'dry-run-timeout',
        JSON.stringify(report!.statements.map((s) => s.status)),
      );
      assert.strictEqual(report!.interrupted?.reason, 'timeout');
      assert.strictEqual(report!.committed, false);
    } finally {
      client.settings = {};
      await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    }
  });

  it('says, when a statement of a selection needs the lines above it, that they did not run', async () => {
    const uri = await client.open(
      path.join(root, 'db/0005_selection.sql'),
      'ALTER TABLE plans ADD COLUMN tier int;\nUPDATE plans SET tier = 1 WHERE id = 1;\n',
    );
    const { report } = await dryRun(
      { uri, connection, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } } },
      'dry-run-selection',
    );
    const failed = report.statements.find((s) => s.status === 'error');
    assert.strictEqual(failed?.error?.code, '42703');
    assert.match(failed?.error?.hint ?? '', /Only the selection ran: 1 statement above it in this file did not/);
    const whole = await dryRun(
      { uri, connection, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 5 } } },
      'dry-run-selection-whole',
    );
    assert.strictEqual(whole.report.outcome, 'ok');
  });

  it('names the editor connection and its own way forward in messages, never a command-line flag', async () => {
    const uri = await client.open(path.join(root, 'db/0006_effects.sql'), "COPY plans TO PROGRAM 'true';\n");
    const { report } = await dryRun({ uri, connection }, 'dry-run-wording');
    const refused = report.statements[0].reason ?? '';
    assert.match(refused, /^refused: /);
    assert.match(refused, /dry-run from a terminal with `preflight dry-run --allow-side-effects`/);
    assert.doesNotMatch(refused, /\(run with --allow-side-effects/);
    await assert.rejects(
      client.connection.sendRequest(ExecuteCommandRequest.type, {
        command: 'preflight.server.dryRun',
        arguments: [{ uri, connection: { name: 'local-dev', url: 'postgres://nobody@127.0.0.1:1/none' } }],
      }),
      (error: ResponseError<unknown>) =>
        /\(from the connection "local-dev" in settings\)/.test(error.message) && !/--database-url/.test(error.message),
    );
    await assert.rejects(
      client.connection.sendRequest(ExecuteCommandRequest.type, {
        command: 'preflight.server.dryRun',
        arguments: [{ uri, connection: { name: 'staging', url: 'postgres://app@db.example.com/app' } }],
      }),
      (error: ResponseError<{ remoteHost?: string }>) =>
        error.data?.remoteHost === 'db.example.com' && !/--allow-remote/.test(error.message),
    );
  });

  it('answers a bad request with one clear error line', async () => {
    const uri = pathToFileURL(path.join(root, 'db/0002_note.sql')).href;
    await assert.rejects(
      client.connection.sendRequest(ExecuteCommandRequest.type, {
        command: 'preflight.server.dryRun',
        arguments: [
          { uri, connection: { name: 'bad', url: 'postgres://nobody@127.0.0.1:1/none', password: 'hunter2' } },
        ],
      }),
      (error: ResponseError<unknown>) =>
        /could not connect/.test(error.message) && !error.message.includes('hunter2') && !error.message.includes('\n'),
    );
  });

  it('uses the embedded PostgreSQL when no connection is chosen, whatever DATABASE_URL says', async () => {
    const home = fs.mkdtempSync(path.join(root, 'home-'));
    fs.chmodSync(home, 0o755);
    const embeddedRoot = workspaceWith({
      'db/0001_create.sql': 'CREATE TABLE plans (id bigint PRIMARY KEY);\n',
      'db/0002_note.sql': MIGRATION,
    });
    const embedded = await LspTestClient.start(embeddedRoot, undefined, {
      ...process.env,
      HOME: home,
      XDG_CACHE_HOME: path.join(home, '.cache'),
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nowhere',
    });
    try {
      const uri = pathToFileURL(path.join(embeddedRoot, 'db/0002_note.sql')).href;
      const report = (await embedded.connection.sendRequest(ExecuteCommandRequest.type, {
        command: 'preflight.server.dryRun',
        arguments: [{ uri }],
      })) as DryRunReport;
      assert.strictEqual(report.database.kind, 'embedded');
      assert.deepStrictEqual(
        report.database.replayed.map((file) => path.basename(file)),
        ['0001_create.sql'],
      );
      assert.deepStrictEqual(
        report.statements.map((s) => s.status),
        ['ok', 'ok'],
      );
    } finally {
      await embedded.stop();
      fs.rmSync(embeddedRoot, { recursive: true, force: true });
    }
  });
});
