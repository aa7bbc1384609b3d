import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../support/paths';
import { buildVsix, delay, exampleWorkspace, installCodeServer, scratchDirectory } from './code-server';
import { openFile, restrictedWorkbench, runCommand, webview, workbenchSession } from './workbench';

/**
 * The editor's "Dry run" on files whose code runs (issue 13): a plain pg script runs itself through the
 * transaction proxy once the user agreed, for this workspace, that its code runs; a TS migration and a seeder
 * show their statements; in Restricted Mode nothing runs at all.
 */
const SCRIPT = 'touch-patient-sync.js';

/** A remediation script on pg that leaves a marker beside itself when it runs, so a test can see it did not. */
const SCRIPT_TEXT = `// Bumps the sync tick of every patient row, so that the devices pull them again.
const fs = require('fs');
const path = require('path');
const { Client } = require('pg');

fs.writeFileSync(path.join(__dirname, 'ran.txt'), 'the script ran');

async function main() {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rowCount } = await client.query(
    'UPDATE sync_lookup SET updated_at_sync_tick = updated_at_sync_tick + 1 WHERE record_type = $1',
    ['patient'],
  );
  console.log('touched ' + rowCount + ' patient rows');
  await client.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

const SECOND_SCRIPT = 'count-patients.js';
const SECOND_SCRIPT_TEXT = `const { Client } = require('pg');

(async () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query('SELECT count(*)::int AS n FROM patients');
  console.log(rows[0].n + ' patients');
  await client.end();
})();
`;

/** The offline-sync incident: a child row pushed before its parent. */
const FAILING_SCRIPT = 'push-orphan-encounter.js';
const FAILING_SCRIPT_TEXT = `const { Client } = require('pg');

(async () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query('INSERT INTO encounters (patient_id, started_at) VALUES (999, now())');
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
`;

const TS_MIGRATION = '0005_encounter_note.ts';
const TS_MIGRATION_TEXT = `import { DataTypes, QueryInterface } from 'sequelize';

/** Sequelize migration in TypeScript: a column, then its backfill through raw SQL. */
export default {
  async up(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.addColumn('encounters', 'note', { type: DataTypes.TEXT });
    await queryInterface.sequelize.query("UPDATE encounters SET note = 'imported' WHERE note IS NULL");
  },

  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.removeColumn('encounters', 'note');
  },
};
`;

const SEEDER = '20240101-demo-patients.js';
const SEEDER_TEXT = `'use strict';

/** Sequelize seeder: demo patients and their first encounter. */
module.exports = {
  async up(queryInterface) {
    await queryInterface.bulkInsert('patients', [{ display_id: 'P-0100' }, { display_id: 'P-0101' }]);
    await queryInterface.sequelize.query("INSERT INTO encounters (patient_id, started_at) VALUES (1, now())");
  },

  async down(queryInterface) {
    await queryInterface.bulkDelete('patients', { display_id: ['P-0100', 'P-0101'] });
  },
};
`;

/** The example project with a script, a TS migration and a seeder, and the project's node_modules (pg, sequelize). */
function workspaceWithCode(prefix: string): string {
  const workspace = exampleWorkspace(prefix);
  fs.writeFileSync(path.join(workspace, 'scripts', SCRIPT), SCRIPT_TEXT);
  fs.writeFileSync(path.join(workspace, 'scripts', SECOND_SCRIPT), SECOND_SCRIPT_TEXT);
  fs.writeFileSync(path.join(workspace, 'scripts', FAILING_SCRIPT), FAILING_SCRIPT_TEXT);
  fs.writeFileSync(path.join(workspace, 'migrations', TS_MIGRATION), TS_MIGRATION_TEXT);
  fs.mkdirSync(path.join(workspace, 'seeders'));
  fs.writeFileSync(path.join(workspace, 'seeders', SEEDER), SEEDER_TEXT);
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(workspace, 'node_modules'), 'dir');
  return workspace;
}

const DRY_RUN_LENS = 'Dry run on embedded PostgreSQL';

async function clickDryRunLens(page: Page): Promise<void> {
  // The lens sits above line 1: bring the top of the file into view (a narrow editor may open scrolled down).
  await page.keyboard.press('Control+Home');
  const lens = page.locator('.editor-group-container.active .codelens-decoration a', { hasText: DRY_RUN_LENS }).first();
  await lens.waitFor({ timeout: 60_000 });
  await lens.click();
}

/** The results panel once it shows `fileName`'s report: its statements (status and text) and its summary. */
async function panelFor(
  page: Page,
  fileName: string,
  timeoutMs = 180_000,
): Promise<{ statements: { status: string | null; text: string }[]; summary: string }> {
  const panel = webview(page);
  await panel.locator('h1', { hasText: fileName }).waitFor({ timeout: timeoutMs });
  await panel.locator('.summary').waitFor();
  const statements = await panel.locator('tbody tr.statement').evaluateAll((rows) =>
    rows.map((row) => ({
      status: row.getAttribute('data-status'),
      text: (row.textContent ?? '').replace(/\s+/g, ' '),
    })),
  );
  return { statements, summary: (await panel.locator('.summary').textContent()) ?? '' };
}

describe('Preflight in VS Code: dry-run of code (code-server, a trusted workspace)', function () {
  this.timeout(10 * 60_000);
  const workspace = workspaceWithCode('preflight-e2e-code-');
  const cache = scratchDirectory('preflight-e2e-code-cache-');
  const session = workbenchSession(
    () => ({
      codeServer: installCodeServer(),
      vsix: buildVsix(),
      workspace,
      // Typing into the script types exactly the keys: no suggestions accepted, no brackets closed.
      settings: {
        'editor.quickSuggestions': { other: false, comments: false, strings: false },
        'editor.suggestOnTriggerCharacters': false,
        'editor.autoClosingBrackets': 'never',
        'editor.autoClosingQuotes': 'never',
      },
      env: { PREFLIGHT_CACHE_DIR: cache },
    }),
    'code ',
    [workspace, cache],
  );

  it('runs a pg script from its Dry run lens after saying once that its code will run, saved first: its statements and output in the panel', async () => {
    const { page } = session;
    await openFile(page, SCRIPT);
    // An unsaved edit: the run must be of the file as the editor shows it, so it is saved first.
    await page.keyboard.press('Control+End');
    await page.keyboard.type('console.log(6 * 7);');
    await page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ timeout: 10_000 });
    await clickDryRunLens(page);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    assert.match((await dialog.textContent()) ?? '', /Dry-running touch-patient-sync\.js runs its code/);
    await dialog.locator('.monaco-button', { hasText: /^Run$/ }).click();

    const { statements, summary } = await panelFor(page, SCRIPT);
    const update = statements.find((s) => /UPDATE sync_lookup/.test(s.text));
    assert.ok(update, JSON.stringify(statements));
    assert.strictEqual(update.status, 'ok', JSON.stringify(statements));
    assert.match(update.text, /2 rows/);
    assert.match(summary, /none failed on embedded PostgreSQL .*rolled back, nothing was committed/);
    const stdout = (await webview(page).locator('pre.stdout').textContent()) ?? '';
    assert.match(stdout, /^42\ntouched 2 patient rows\n$/);
    assert.match(
      (await webview(page).locator('p.warning').last().textContent()) ?? '',
      /effects outside PostgreSQL are not undone/,
    );
    assert.strictEqual(await page.locator('.editor-group-container .tab.dirty').count(), 0, 'the script was not saved');
    assert.ok(fs.existsSync(path.join(workspace, 'scripts', 'ran.txt')));
  });

  it('does not ask again in this workspace: the next script runs straight from its lens', async () => {
    const { page } = session;
    await openFile(page, SECOND_SCRIPT);
    await clickDryRunLens(page);
    await panelFor(page, SECOND_SCRIPT, 60_000);
    assert.strictEqual(await page.locator('.monaco-dialog-box').count(), 0, 'asked again');
    assert.strictEqual((await webview(page).locator('pre.stdout').textContent()) ?? '', '3 patients\n');
  });

  it("shows a script's failed statement and its exit in the panel, the editor's own error nowhere", async () => {
    const { page } = session;
    await openFile(page, FAILING_SCRIPT);
    await clickDryRunLens(page);
    const { statements, summary } = await panelFor(page, FAILING_SCRIPT, 60_000);
    assert.deepStrictEqual(
      statements.map((s) => s.status),
      ['error'],
      JSON.stringify(statements),
    );
    assert.match(
      (await webview(page).locator('tr.details[data-status="error"] .error').textContent()) ?? '',
      /^23503: insert or update on table "encounters" violates foreign key constraint/,
    );
    assert.match(summary, /1 statement failed on embedded PostgreSQL/);
    assert.match((await webview(page).locator('p.program').textContent()) ?? '', /exited with code 1/);
    assert.strictEqual(await page.locator('.notification-toast', { hasText: 'could not run' }).count(), 0);
  });

  it("dry-runs a TypeScript migration from its lens: the panel lists the migration's statements and an outcome", async () => {
    const { page } = session;
    await openFile(page, TS_MIGRATION);
    await clickDryRunLens(page);
    const { statements, summary } = await panelFor(page, TS_MIGRATION, 60_000);
    assert.ok(statements.length > 0, 'no statements');
    assert.ok(
      statements.some((s) => /encounters/.test(s.text)),
      JSON.stringify(statements),
    );
    assert.match(summary, /on embedded PostgreSQL .*rolled back, nothing was committed/);
    assert.strictEqual(await page.locator('.notification-toast', { hasText: 'could not run' }).count(), 0);
  });

  it("dry-runs a Sequelize seeder from its lens: the panel lists the seeder's statements and an outcome", async () => {
    const { page } = session;
    await openFile(page, SEEDER);
    await clickDryRunLens(page);
    const { statements, summary } = await panelFor(page, SEEDER, 60_000);
    assert.ok(
      statements.some((s) => /patients|encounters/.test(s.text)),
      JSON.stringify(statements),
    );
    assert.match(summary, /on embedded PostgreSQL .*rolled back, nothing was committed/);
    assert.strictEqual(await page.locator('.notification-toast', { hasText: 'could not run' }).count(), 0);
  });
});

describe('Preflight in VS Code: dry-run of code in Restricted Mode (code-server, an untrusted workspace)', function () {
  this.timeout(10 * 60_000);
  const workspace = workspaceWithCode('preflight-e2e-code-untrusted-');
  const { session, cache } = restrictedWorkbench(workspace, 'code restricted ');

  it("refuses the script's Dry run lens, saying it runs this file's code, and runs nothing", async () => {
    const { page } = session;
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });
    await openFile(page, SCRIPT);
    await clickDryRunLens(page);
    await page
      .locator('.notification-toast', { hasText: 'Dry-run is disabled in Restricted Mode' })
      .filter({ hasText: "runs this file's code" })
      .first()
      .waitFor({ timeout: 30_000 });
    // Give a run that wrongly started the time to ask, show its progress, write its marker or open the panel.
    await delay(5000);
    assert.strictEqual(await page.locator('.monaco-dialog-box').count(), 0, 'asked to run code');
    assert.strictEqual(await page.locator('.notification-toast', { hasText: 'Preflight: dry-run of' }).count(), 0);
    assert.ok(!fs.existsSync(path.join(workspace, 'scripts', 'ran.txt')), 'the script ran');
    assert.strictEqual(await page.locator('iframe.webview').count(), 0, 'the results panel opened');
    assert.deepStrictEqual(fs.readdirSync(cache), [], 'the embedded PostgreSQL was initialised');
  });

  it('refuses "Dry Run Current File" on the script the same way', async () => {
    const { page } = session;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await openFile(page, SCRIPT);
    await runCommand(page, 'Preflight: Dry Run Current File');
    await page
      .locator('.notification-toast', { hasText: "runs this file's code" })
      .first()
      .waitFor({ timeout: 30_000 });
    await delay(3000);
    assert.ok(!fs.existsSync(path.join(workspace, 'scripts', 'ran.txt')), 'the script ran');
  });
});
