import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { connect, freshDatabase } from '../support/postgres';
import { buildVsix, delay, exampleWorkspace, installCodeServer, scratchDirectory } from './code-server';
import {
  goToLine,
  marketplaceScreenshot,
  openFile,
  problems,
  runCommand,
  webview,
  workbenchSession,
} from './workbench';

/**
 * What a new user meets in the editor, beyond the findings themselves: lenses that run where they say, settings
 * that land in one place, results that say when they are out of date, fix-all on save, rule pages rendered
 * from the package, the split refactor on the example project, and the universal package without PostgreSQL.
 */
const MIGRATION = '0003_dedupe_patients.sql';
const LONG_NAMES = '0005_long_names.sql';
const LONG = `audit_${'x'.repeat(70)}`;

/** The example project, plus a migration whose only findings have safe fixes (identifier-too-long). */
function workspaceWithLongNames(prefix: string): string {
  const workspace = exampleWorkspace(prefix);
  fs.writeFileSync(path.join(workspace, 'migrations', LONG_NAMES), `CREATE TABLE ${LONG} (id bigint PRIMARY KEY);\n`);
  return workspace;
}

function lens(page: Page, title: string) {
  return page.locator('.codelens-decoration a', { hasText: title });
}

/**
 * Opens the quick-fix menu at the cursor and runs the action with this title, with the keyboard: the menu's
 * rows sit under a pointer guard while it animates in, which swallows a mouse click.
 */
async function codeAction(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+.');
  const rows = page.locator('.action-widget .monaco-list-row.action');
  await rows.filter({ hasText: title }).first().waitFor({ timeout: 30_000 });
  const count = await rows.count();
  for (let i = 0; i <= count; i++) {
    const focused =
      (await page.locator('.action-widget .monaco-list-row.action.focused').getAttribute('aria-label')) ?? '';
    if (focused.startsWith(title)) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Escape');
  assert.fail(`no code action "${title}" could be focused`);
}

/** A settings file as VS Code last wrote it; undefined while it is half written. */
/** "Preflight: Select Database Connection", then the entry with this label. */
async function selectConnection(page: Page, label: string): Promise<void> {
  await runCommand(page, 'Preflight: Select Database Connection');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
}

function readJson(file: string): Record<string, unknown> | undefined {
  if (!fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

describe('Preflight in VS Code: the editor experience (code-server)', function () {
  this.timeout(10 * 60_000);
  const workspace = workspaceWithLongNames('preflight-e2e-editor-');
  const cache = scratchDirectory('preflight-e2e-editor-cache-');
  let database = '';

  const session = workbenchSession(
    async () => {
      // A database of the user's own, with the schema the example's first two migrations create.
      const connection = await freshDatabase('e2e');
      database = connection.database;
      const admin = await connect(connection);
      try {
        for (const file of ['0001_create_schema.sql', '0002_add_encounter_source.sql'])
          await admin.query(fs.readFileSync(path.join(workspace, 'migrations', file), 'utf8'));
      } finally {
        await admin.end();
      }
      return {
        codeServer: installCodeServer(),
        vsix: buildVsix(),
        workspace,
        settings: {
          'preflight.connections': [
            {
              name: 'local-dev',
              url: `postgres://${connection.user}@${connection.host}:${connection.port}/${connection.database}`,
            },
            // Nothing listens on port 1: a connection that fails.
            { name: 'unreachable', url: 'postgres://nobody@127.0.0.1:1/none' },
          ],
          'editor.codeActionsOnSave': { 'source.fixAll.preflight': 'explicit' },
        },
        // libpq's variable: the connection's password without putting it in settings or the keychain.
        env: { PREFLIGHT_CACHE_DIR: cache, PGPASSWORD: String(connection.password) },
      };
    },
    'editor ',
    [workspace, cache],
  );

  it('keeps the selected connection in user settings beside the connections, and removes it for the embedded database', async () => {
    await openFile(session.page, MIGRATION);
    const userSettings = path.join(session.codeServer.userDataDir, 'User', 'settings.json');
    await selectConnection(session.page, 'local-dev');
    await waitUntil(
      () => readJson(userSettings)?.['preflight.defaultConnection'] === 'local-dev',
      'the selection was not written to user settings',
    );
    assert.strictEqual(
      readJson(path.join(workspace, '.vscode', 'settings.json'))?.['preflight.defaultConnection'],
      undefined,
      'the selection went into the repository',
    );
    await selectConnection(session.page, 'Embedded PostgreSQL');
    await waitUntil(() => {
      const settings = readJson(userSettings);
      return settings !== undefined && !('preflight.defaultConnection' in settings);
    }, 'choosing the embedded database left the setting behind');
    await selectConnection(session.page, 'local-dev');
    await waitUntil(
      () => readJson(userSettings)?.['preflight.defaultConnection'] === 'local-dev',
      'the selection was not written again',
    );
  });

  it('runs each dry-run lens on the database it names', async () => {
    await openFile(session.page, MIGRATION);
    await lens(session.page, 'Dry run on local-dev').waitFor({ timeout: 60_000 });
    await marketplaceScreenshot(session.page, 'lenses-and-findings');
    await lens(session.page, 'Dry run on local-dev').click();
    const summary = webview(session.page).locator('.summary');
    await summary.waitFor({ timeout: 180_000 });
    await session.page.waitForTimeout(500);
    assert.match((await summary.textContent()) ?? '', new RegExp(`on 127\\.0\\.0\\.1 / ${database}`));
    await lens(session.page, 'Preflight: Dry run on embedded PostgreSQL').click();
    await webview(session.page)
      .locator('.summary', { hasText: 'on embedded PostgreSQL' })
      .waitFor({ timeout: 180_000 });
    await marketplaceScreenshot(session.page, 'dry-run-results');
  });

  it('says the results are out of date once the file is edited, and a click still goes to the statement', async () => {
    await openFile(session.page, MIGRATION);
    await session.page.keyboard.press('Control+Home');
    await session.page.keyboard.type('-- reviewed\n');
    try {
      await webview(session.page).locator('.warning', { hasText: 'Out of date' }).waitFor({ timeout: 30_000 });
      // The failed ALTER TABLE was on line 11; the added line moved it to 12. On a loaded machine the panel's
      // script may not listen yet when the first click lands: click again until the editor moves.
      const row = webview(session.page).locator('tr.statement[data-status="error"]');
      const onLine12 = `/Ln 12, Col/.test(document.querySelector('[id="status.editor.selection"]')?.textContent ?? '')`;
      for (let attempt = 1; ; attempt++) {
        await row.click();
        const moved = await session.page.waitForFunction(onLine12, undefined, { timeout: 10_000 }).then(
          () => true,
          () => false,
        );
        if (moved) break;
        assert.ok(attempt < 3, 'clicking the failed statement three times did not move the editor to line 12');
      }
    } finally {
      await openFile(session.page, MIGRATION);
      await runCommand(session.page, 'File: Revert File');
    }
  });

  it('opens a rule page from its finding, rendered and read-only', async () => {
    await openFile(session.page, MIGRATION);
    await goToLine(session.page, 4);
    await codeAction(session.page, 'Show documentation for mixed-ddl-dml');
    const tab = session.page.locator('.tab', { hasText: 'Preview mixed-ddl-dml.md' });
    await tab.waitFor({ timeout: 30_000 });
    await webview(session.page, 'vscode.markdown-language-features').locator('h1').first().waitFor({ timeout: 30_000 });
    assert.strictEqual(
      await session.page.locator('.tab', { hasText: /^mixed-ddl-dml\.md$/ }).count(),
      0,
      'the raw Markdown opened in an editor',
    );
  });

  it("opens the rule page rendered from the finding's rule link in the Problems panel", async () => {
    await runCommand(session.page, 'View: Close All Editors');
    await openFile(session.page, MIGRATION);
    await problems(session.page, (rows) => rows.some((row) => row.includes('mixed-ddl-dml')), {
      filter: 'mixed-ddl-dml',
    });
    await session.page.locator('.markers-panel .monaco-list-row a', { hasText: 'mixed-ddl-dml' }).first().click();
    await session.page.locator('.tab', { hasText: 'Preview mixed-ddl-dml.md' }).waitFor({ timeout: 30_000 });
    assert.strictEqual(
      await session.page.locator('.tab', { hasText: /^mixed-ddl-dml\.md$/ }).count(),
      0,
      'the raw Markdown opened in an editor',
    );
  });

  it('applies the safe fixes on save (source.fixAll.preflight)', async () => {
    await openFile(session.page, LONG_NAMES);
    await session.page.keyboard.press('Control+End');
    await session.page.keyboard.type('\n');
    await session.page.keyboard.press('Control+S');
    await waitUntil(
      () =>
        fs
          .readFileSync(path.join(workspace, 'migrations', LONG_NAMES), 'utf8')
          .includes(`CREATE TABLE ${LONG.slice(0, 63)} (`),
      'fix-all did not run on save',
    );
  });

  it('shows the schema first on hover over a table, without repeating the finding the editor already shows', async () => {
    await openFile(session.page, MIGRATION);
    await goToLine(session.page, 4);
    await session.page.keyboard.press('End');
    // The hover at the cursor, which is at the end of "UPDATE sync_lookup".
    await runCommand(session.page, 'Show or Focus Hover');
    const hover = session.page.locator('.monaco-hover:visible').first();
    await hover.locator('text=public.sync_lookup').first().waitFor({ timeout: 30_000 });
    const text = (await hover.textContent()) ?? '';
    assert.ok(text.indexOf('public.sync_lookup') < text.indexOf('mixed-ddl-dml'), `the schema is not first: ${text}`);
    assert.strictEqual(
      text.split('This migration will fail').length - 1,
      1,
      `the finding's message is repeated: ${text}`,
    );
    await session.page.keyboard.press('Escape');
  });

  it('says, when a dry-run of a selection fails on what the lines above create, that they did not run', async () => {
    await openFile(session.page, MIGRATION);
    await goToLine(session.page, 11);
    await session.page.keyboard.press('Home');
    await session.page.keyboard.press('Shift+End');
    await runCommand(session.page, 'Preflight: Dry Run Selection');
    const failure = webview(session.page).locator('tr.details[data-status="error"] .error');
    await failure.waitFor({ timeout: 180_000 });
    assert.match(
      (await failure.textContent()) ?? '',
      /42703.*Only the selection ran: 3 statements above it in this file did not/s,
    );
  });

  it("names the connection in the editor's words, not a command-line flag, when it cannot connect", async () => {
    await selectConnection(session.page, 'unreachable');
    try {
      await openFile(session.page, MIGRATION);
      await runCommand(session.page, 'Preflight: Dry Run Current File');
      const toast = session.page.locator('.notifications-toasts .notification-toast', { hasText: 'could not connect' });
      await toast.waitFor({ timeout: 60_000 });
      const message = (await toast.textContent()) ?? '';
      assert.match(message, /from the connection "unreachable" in settings/);
      assert.doesNotMatch(message, /--database-url|--allow/);
      await runCommand(session.page, 'Notifications: Clear All Notifications');
    } finally {
      await selectConnection(session.page, 'local-dev');
    }
  });

  it("shows the README example script's pooled-advisory-lock error, outside any migration folder, with no configuration", async () => {
    await openFile(session.page, 'reset-demo-data.js');
    const rows = await problems(session.page, (found) => found.some((row) => row.includes('pooled-advisory-lock')), {
      filter: 'pooled-advisory-lock',
    });
    // The panel groups findings under their file: the file's row, then the finding's.
    assert.ok(
      rows.some((row) => row.includes('problems in file reset-demo-data.js')),
      JSON.stringify(rows),
    );
    assert.ok(
      rows.some((row) => row.includes('pooled-advisory-lock') && row.includes('runs through `pool`, a pg Pool')),
      JSON.stringify(rows),
    );
  });

  it('completes rule ids in .preflightrc.json from the schema the extension contributes', async () => {
    await openFile(session.page, '.preflightrc.json');
    await session.page.keyboard.press('Control+A');
    // Typed as text, so that the editor's auto-closing of quotes and braces does not change it.
    await session.page.keyboard.insertText('{\n  "rules": {\n    "mixed');
    try {
      await session.page.keyboard.press('Control+Space');
      const suggestion = session.page.locator('.suggest-widget .monaco-list-row', { hasText: 'mixed-ddl-dml' });
      await suggestion.first().waitFor({ timeout: 30_000 });
      await marketplaceScreenshot(session.page, 'config-completion');
    } finally {
      await session.page.keyboard.press('Escape');
      await runCommand(session.page, 'File: Revert File');
    }
  });

  it('splits the flagship migration into schema and data migrations that run right after it', async () => {
    await openFile(session.page, MIGRATION);
    // The split is offered on the mixed-ddl-dml finding: wait until the file's findings are in.
    await problems(session.page, (rows) => rows.some((row) => row.includes('mixed-ddl-dml')), {
      filter: 'mixed-ddl-dml',
    });
    await openFile(session.page, MIGRATION);
    await goToLine(session.page, 4);
    await codeAction(session.page, 'Split into schema and data migrations');
    // The workspace edit creates the files one after the other (and the editor saves them as it goes).
    const created = () => fs.readdirSync(path.join(workspace, 'migrations')).filter((name) => name.startsWith('0003'));
    const notifications = async () =>
      (
        await session.page
          .locator('.notification-toast, .notifications-center .notification-list-item')
          .allTextContents()
      ).join(' | ');
    try {
      await waitUntil(
        () => created().length === 3,
        () => `the split made ${JSON.stringify(created())}`,
      );
    } catch (error) {
      const data = path.join(workspace, 'migrations', '0003a_dedupe_patients_data.sql');
      const written = fs.existsSync(data) ? JSON.stringify(fs.readFileSync(data, 'utf8')) : 'none';
      throw new Error(
        `${(error as Error).message}; 0003a on disk: ${written}; notifications: ${await notifications()}`,
      );
    }
    assert.deepStrictEqual(created().sort(), [
      '0003_dedupe_patients.sql',
      '0003a_dedupe_patients_data.sql',
      '0003b_dedupe_patients_schema.sql',
    ]);
  });

  it("shows the server's health and version, and stops and starts it from the status item's menu", async () => {
    const health = (state: string) =>
      session.page.locator(`[aria-label^="Preflight language server: ${state}"]`).first();
    await health('running').waitFor({ timeout: 30_000 });
    await runCommand(session.page, 'Preflight: Show Server Version');
    await session.page
      .locator('.notifications-toasts .notification-toast', {
        hasText: /Preflight: extension \d+\.\d+\.\d+, language server \d+\.\d+\.\d+/,
      })
      .waitFor({ timeout: 30_000 });
    await runCommand(session.page, 'Preflight: Stop Server');
    await health('stopped').waitFor({ timeout: 30_000 });
    await health('stopped').click();
    await session.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Start Server' }).first().click();
    await health('running').waitFor({ timeout: 60_000 });
  });
});

describe('Preflight in VS Code: the universal package, without PostgreSQL (code-server)', function () {
  this.timeout(10 * 60_000);
  const workspace = workspaceWithLongNames('preflight-e2e-universal-');
  const session = workbenchSession(
    () => ({ codeServer: installCodeServer(), vsix: buildVsix({ universal: true }), workspace }),
    'universal ',
    [workspace],
  );

  it('claims no embedded database, and its lens offers the platform package or a connection', async () => {
    await openFile(session.page, MIGRATION);
    await lens(session.page, 'Preflight: Dry run').waitFor({ timeout: 60_000 });
    assert.strictEqual(await lens(session.page, 'embedded PostgreSQL').count(), 0);
    assert.strictEqual(await session.page.locator('.statusbar-item', { hasText: 'embedded PostgreSQL' }).count(), 0);
    await lens(session.page, 'Preflight: Dry run').click();
    const toast = session.page.locator('.notifications-toasts .notification-toast', {
      hasText: 'no embedded PostgreSQL',
    });
    await toast.waitFor({ timeout: 60_000 });
    assert.ok(await toast.locator('.monaco-button', { hasText: 'Install Platform Package' }).count());
    assert.ok(await toast.locator('.monaco-button', { hasText: 'Add Database Connection' }).count());
    assert.doesNotMatch((await toast.textContent()) ?? '', /Cannot find package/);
  });
});

async function waitUntil(
  condition: () => boolean,
  failure: string | (() => string),
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return;
    await delay(250);
  }
  assert.fail(typeof failure === 'string' ? failure : failure());
}
