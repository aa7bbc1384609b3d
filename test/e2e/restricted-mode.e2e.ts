import * as assert from 'assert';
import * as fs from 'fs';
import { delay, exampleWorkspace } from './code-server';
import { openFile, problems, restrictedWorkbench, runCommand } from './workbench';

/**
 * An untrusted repository opens in Restricted Mode: Preflight lints it (reading files runs nothing) but
 * refuses everything that would send its SQL to a database — no dry-run, and no embedded PostgreSQL started.
 */
const MIGRATION = '0003_dedupe_patients.sql';

describe('Preflight in Restricted Mode (code-server, an untrusted workspace)', function () {
  this.timeout(10 * 60_000);
  const { session, cache } = restrictedWorkbench(exampleWorkspace('preflight-e2e-untrusted-'), 'restricted ');

  it('opens the workspace in Restricted Mode and still lints it', async () => {
    await session.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });
    await openFile(session.page, MIGRATION);
    const rows = await problems(session.page, (found) => found.some((row) => row.includes('mixed-ddl-dml')));
    assert.ok(
      rows.some((row) => row.includes('mixed-ddl-dml')),
      `no mixed-ddl-dml finding; rows: ${JSON.stringify(rows)}`,
    );
  });

  it('refuses a dry-run, says why, and starts no database', async () => {
    await openFile(session.page, MIGRATION);
    await runCommand(session.page, 'Preflight: Dry Run Current File');
    await session.page
      .locator('.notification-toast', { hasText: 'Dry-run is disabled in Restricted Mode' })
      .first()
      .waitFor({ timeout: 30_000 });
    // Give a dry-run that wrongly started the time to show its progress or its panel.
    await delay(5000);
    assert.strictEqual(
      await session.page.locator('.notification-toast', { hasText: 'Preflight: dry-run of' }).count(),
      0,
      'a dry-run started',
    );
    assert.strictEqual(await session.page.locator('iframe.webview').count(), 0, 'the results panel opened');
    assert.deepStrictEqual(fs.readdirSync(cache), [], 'the embedded PostgreSQL was initialised');
  });
});
