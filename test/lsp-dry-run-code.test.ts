import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CodeLens, CodeLensRequest, ExecuteCommandRequest, ResponseError } from 'vscode-languageserver-protocol/node';
import { codeRunQuestion, refusedCodeRun } from '../client/src/codeRunConsent';
import type { DryRunReport } from '../server/src/dryrun';
import type { ClusterConnection } from '../server/src/dryrun/embedded-cluster';
import { LspTestClient, workspaceWith } from './support/lsp-client';
import { REPO_ROOT } from './support/paths';
import { EditorConnection, connect, plansDatabase } from './support/postgres';

/**
 * The editor's dry-run of a file whose own code runs (issue 13, part 5): a plain script runs itself through the
 * transaction proxy, but only once the client says the user agreed to run code, and only as saved on disk.
 */

/** A remediation script on pg: leaves a marker beside itself when it runs, and prints where it ran. */
const SCRIPT = `const fs = require('fs');
const path = require('path');
const { Client } = require('pg');

fs.writeFileSync(path.join(__dirname, 'ran.txt'), 'the script ran');
console.log('cwd=' + process.cwd());

(async () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query("UPDATE plans SET name = 'fixed' WHERE id <= 3");
  await client.end();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

const KNEX_MIGRATION = `exports.up = async function (knex) {
  await knex.schema.createTable('parents', (table) => {
    table.increments('id');
  });
};

exports.down = async function (knex) {
  await knex.schema.dropTable('parents');
};
`;

const SEQUELIZE_SEEDER = `'use strict';

module.exports = {
  async up(queryInterface) {
    await queryInterface.bulkInsert('plans', [{ id: 100, name: 'seeded' }]);
  },
  async down(queryInterface) {
    await queryInterface.bulkDelete('plans', { id: 100 });
  },
};
`;

/** Application code: no database client imported. */
const APPLICATION_CODE = `export function total(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0);
}
`;

describe('language server: dry-run of a file whose code runs', function () {
  this.timeout(120_000);
  let root: string;
  let client: LspTestClient;
  let database: ClusterConnection;
  let connection: EditorConnection;
  const marker = () => path.join(root, 'scripts', 'ran.txt');

  before(async () => {
    ({ database, connection } = await plansDatabase('lsp_code'));
    root = workspaceWith({
      'scripts/fix-names.js': SCRIPT,
      'migrations/20240101_create_parents.js': KNEX_MIGRATION,
      'seeders/20240102-demo-plans.js': SEQUELIZE_SEEDER,
      'src/total.ts': APPLICATION_CODE,
    });
    // The project's own dependencies, as a real project has them: the script requires pg.
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    client = await LspTestClient.start(root);
  });

  afterEach(() => fs.rmSync(marker(), { force: true }));

  after(async () => {
    await client?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  function dryRun(args: object): Promise<DryRunReport> {
    return client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'preflight.server.dryRun',
      arguments: [args],
    }) as Promise<DryRunReport>;
  }

  async function lensTitles(file: string): Promise<string[]> {
    const uri = await client.open(path.join(root, file));
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    return lenses.map((lens) => lens.command!.title);
  }

  it('puts a dry-run lens on a plain script, a Knex migration and a Sequelize seeder as soon as they open, and none on application code', async () => {
    assert.deepStrictEqual(await lensTitles('scripts/fix-names.js'), ['Preflight: Dry run on embedded PostgreSQL']);
    assert.deepStrictEqual(await lensTitles('migrations/20240101_create_parents.js'), [
      'Preflight: Dry run on embedded PostgreSQL',
    ]);
    assert.deepStrictEqual(await lensTitles('seeders/20240102-demo-plans.js'), [
      'Preflight: Dry run on embedded PostgreSQL',
    ]);
    assert.deepStrictEqual(await lensTitles('src/total.ts'), []);
  });

  it('refuses to run a script until the client confirms running its code, and runs nothing meanwhile', async () => {
    const uri = pathToFileURL(path.join(root, 'scripts/fix-names.js')).href;
    await assert.rejects(dryRun({ uri, connection }), (error: ResponseError<{ runsCode?: boolean }>) => {
      assert.strictEqual(error.data?.runsCode, true);
      // What the VS Code client recognises, to ask its question once per workspace and send runCode.
      assert.ok(refusedCodeRun(error));
      assert.match(codeRunQuestion('fix-names.js'), /^Dry-running fix-names\.js runs its code: .* stays done\./);
      assert.match(error.message, /runs fix-names\.js's own code/);
      return true;
    });
    assert.ok(!fs.existsSync(marker()), 'the script ran without consent');
    assert.ok(!refusedCodeRun(new ResponseError(-32600, 'could not connect')));
  });

  it('runs a confirmed script itself, in the workspace folder, with its statements and output in the report', async () => {
    const uri = pathToFileURL(path.join(root, 'scripts/fix-names.js')).href;
    const report = await dryRun({ uri, connection, runCode: true });
    assert.strictEqual(report.committed, false);
    assert.strictEqual(report.outcome, 'ok', JSON.stringify(report.program));
    assert.match(report.program?.stdout ?? '', new RegExp(`cwd=${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
    assert.deepStrictEqual(
      report.statements.filter((s) => s.command === 'UPDATE').map((s) => s.rowCount),
      [3],
    );
    assert.ok(fs.existsSync(marker()));
    const check = await connect(database);
    try {
      const { rows } = await check.query("SELECT count(*)::int AS n FROM plans WHERE name = 'fixed'");
      assert.strictEqual(rows[0].n, 0, 'the dry-run committed');
    } finally {
      await check.end();
    }
  });

  it('refuses to run a script whose editor text is not saved, saying to save it, and runs nothing', async () => {
    const uri = pathToFileURL(path.join(root, 'scripts/fix-names.js')).href;
    await client.change(uri, SCRIPT.replace("'fixed'", "'edited'"));
    try {
      await assert.rejects(dryRun({ uri, connection, runCode: true }), (error: ResponseError<unknown>) => {
        assert.match(error.message, /fix-names\.js has unsaved changes: save it first/);
        return true;
      });
      assert.ok(!fs.existsSync(marker()), 'the script ran');
    } finally {
      await client.change(uri, SCRIPT);
    }
  });

  it('asks before a Knex migration or a Sequelize seeder runs through its framework, then runs it there', async () => {
    for (const file of ['migrations/20240101_create_parents.js', 'seeders/20240102-demo-plans.js']) {
      const uri = pathToFileURL(path.join(root, file)).href;
      await assert.rejects(dryRun({ uri, connection }), (error: ResponseError<{ runsCode?: boolean }>) => {
        assert.strictEqual(error.data?.runsCode, true, file);
        return true;
      });
      const report = await dryRun({ uri, connection, runCode: true });
      assert.match(report.program?.command ?? '', /^(knex|sequelize) \d/, file);
      assert.ok(report.statements.length > 0, file);
    }
  });
});
