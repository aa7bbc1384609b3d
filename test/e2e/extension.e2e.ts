import * as assert from 'assert';
import { buildVsix, exampleWorkspace, installCodeServer, scratchDirectory } from './code-server';
import { goToLine, openFile, problems, runCommand, webview, workbenchSession } from './workbench';

/**
 * The packaged extension in a real VS Code: the .vsix that `npm run package` builds is installed into
 * code-server, which opens a copy of the example project; Debian's chromium plays the user.
 */
const MIGRATION = '0003_dedupe_patients.sql';

describe('Preflight in VS Code (code-server)', function () {
  this.timeout(10 * 60_000);
  const workspace = exampleWorkspace('preflight-e2e-project-');
  // The embedded PostgreSQL caches its cluster here instead of in the developer's ~/.cache.
  const cache = scratchDirectory('preflight-e2e-cache-');
  const session = workbenchSession(
    () => ({ codeServer: installCodeServer(), vsix: buildVsix(), workspace, env: { PREFLIGHT_CACHE_DIR: cache } }),
    '',
    [workspace, cache],
  );

  it('shows the mixed-ddl-dml finding of the example migration in the Problems panel', async () => {
    await openFile(session.page, MIGRATION);
    const rows = await problems(session.page, (found) => found.some((row) => row.includes('mixed-ddl-dml')));
    const finding = rows.find((row) => row.includes('mixed-ddl-dml'));
    assert.ok(finding, `no mixed-ddl-dml finding in the Problems panel; rows: ${JSON.stringify(rows)}`);
    assert.match(finding, /UPDATE/);
  });

  it("opens a .sql migration in Preflight's PostgreSQL language, coloured by its grammar", async () => {
    await openFile(session.page, MIGRATION);
    // The status bar's language mode: VS Code's own SQL support calls itself "MS SQL".
    await session.page.waitForFunction(
      `document.querySelector('[id="status.editor.mode"]')?.textContent?.trim() === 'PostgreSQL'`,
      undefined,
      { timeout: 30_000 },
    );
    // Line 2 starts with ALTER: the inspector lists the TextMate scopes of the token at the cursor.
    await goToLine(session.page, 2);
    await runCommand(session.page, 'Developer: Inspect Editor Tokens and Scopes');
    const inspector = session.page.locator('.token-inspect-widget');
    await inspector.waitFor({ timeout: 30_000 });
    const scopes = (await inspector.textContent()) ?? '';
    await session.page.keyboard.press('Escape');
    assert.match(scopes, /keyword\.other\.DDL\.pgsql/, scopes);
    assert.match(scopes, /source\.pgsql/, scopes);
  });

  it('dry-runs the migration from the command palette and lists every statement in the results panel', async () => {
    await openFile(session.page, MIGRATION);
    await runCommand(session.page, 'Preflight: Dry Run Current File');
    const rows = webview(session.page).locator('tbody tr.statement');
    // The first dry-run initialises the embedded PostgreSQL and replays the two earlier migrations.
    await rows.first().waitFor({ timeout: 180_000 });
    const statements = await rows.evaluateAll((elements) =>
      elements.map((row) => ({
        status: row.getAttribute('data-status'),
        text: (row.textContent ?? '').replace(/\s+/g, ' '),
      })),
    );
    // The incident: the UPDATE queues deferred audit-trigger events, so the last ALTER TABLE fails.
    assert.deepStrictEqual(
      statements.map((s) => s.status),
      ['ok', 'ok', 'ok', 'error'],
      JSON.stringify(statements),
    );
    assert.match(statements[0].text, /ALTER TABLE sync_lookup.*AccessExclusiveLock on public\.sync_lookup/);
    assert.match(statements[1].text, /UPDATE sync_lookup.*ok\d+ rows?[\d.]+ m?s/);
    const failure = await webview(session.page).locator('tr.details[data-status="error"] .error').textContent();
    assert.match(failure ?? '', /55006: cannot ALTER TABLE "sync_lookup" because it has pending trigger events/);
    const summary = await webview(session.page).locator('.summary').textContent();
    assert.match(
      summary ?? '',
      /1 statement failed on embedded PostgreSQL · replayed 2 earlier migrations · rolled back, nothing was committed/,
    );
  });

  it('shows the failed statement in the Problems panel and a summary after each statement', async () => {
    const rows = await problems(session.page, (found) => found.some((row) => row.includes('55006')));
    assert.ok(
      rows.some((row) => row.includes('pending trigger events') && row.includes('preflight dry-run')),
      JSON.stringify(rows),
    );
    // VS Code draws "after" decorations with CSS generated content on spans of the line.
    const inline = (await session.page.evaluate(`[...document.querySelectorAll('.editor-instance .view-lines span')]
      .map((span) => getComputedStyle(span, '::after').content)
      .filter((content) => content && content !== 'none' && content !== 'normal')`)) as string[];
    assert.ok(
      inline.some((text) => /\d+ rows? · [\d.]+ m?s · .*RowExclusiveLock/.test(text)),
      JSON.stringify(inline),
    );
    assert.ok(
      inline.some((text) => /failed: 55006/.test(text)),
      JSON.stringify(inline),
    );
  });

  it('reveals a statement in the editor when its row is clicked', async () => {
    await webview(session.page).locator('tr.statement[data-status="error"]').click();
    const cursor = session.page.locator('.statusbar-item[id="status.editor.selection"]');
    await session.page.waitForFunction(
      `/Ln 11, Col/.test(document.querySelector('[id="status.editor.selection"]')?.textContent ?? '')`,
      undefined,
      { timeout: 10_000 },
    );
    assert.match((await cursor.textContent()) ?? '', /Ln 11, Col \d+ \(\d+ selected\)/);
  });

  it('lints the whole workspace from the command palette, files not opened included', async () => {
    await runCommand(session.page, 'Preflight: Lint Workspace');
    const message = session.page.locator('.notifications-toasts .notification-toast', { hasText: 'Preflight: linted' });
    await message.waitFor({ timeout: 60_000 });
    assert.match((await message.textContent()) ?? '', /linted \d+ migration files: \d+ findings/);
    const rows = await problems(
      session.page,
      (found) => found.some((row) => row.includes('0004_encounter_status.js')),
      { filter: '0004_encounter_status' },
    );
    assert.ok(
      rows.some((row) => row.includes('0004_encounter_status.js')),
      JSON.stringify(rows),
    );
  });

  it('restarts the language server from the command palette and lints again', async () => {
    await runCommand(session.page, 'Preflight: Restart Server');
    // A restart is never silent: it says so, with the new server's version, once that server is up.
    const restarted = session.page.locator('.notifications-toasts .notification-toast', {
      hasText: 'Preflight: language server restarted',
    });
    await restarted.waitFor({ timeout: 60_000 });
    assert.match((await restarted.textContent()) ?? '', /restarted \(\d+\.\d+\.\d+\)/);
    await openFile(session.page, '0002_add_encounter_source.sql');
    await openFile(session.page, MIGRATION);
    const rows = await problems(session.page, (found) => found.some((row) => row.includes('mixed-ddl-dml')));
    assert.ok(
      rows.some((row) => row.includes('mixed-ddl-dml')),
      JSON.stringify(rows),
    );
    assert.strictEqual(
      await session.page.locator('.notifications-toasts', { hasText: /server crashed|did not start/ }).count(),
      0,
    );
  });
});
