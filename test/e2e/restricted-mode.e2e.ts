import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../support/paths';
import { CodeServer, buildVsix, delay, installCodeServer, scratchDirectory, startCodeServer } from './code-server';
import { launchBrowser, openFile, openWorkbench, problems, runCommand, screenshot } from './workbench';

/**
 * An untrusted repository opens in Restricted Mode: Preflight lints it (reading files runs nothing) but
 * refuses everything that would send its SQL to a database — no dry-run, and no embedded PostgreSQL started.
 */
const MIGRATION = '0003_dedupe_patients.sql';

describe('Preflight in Restricted Mode (code-server, an untrusted workspace)', function () {
  this.timeout(10 * 60_000);
  let codeServer: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const workspace = scratchDirectory('preflight-e2e-untrusted-');
  const cache = scratchDirectory('preflight-e2e-untrusted-cache-');

  before(async () => {
    fs.cpSync(path.join(REPO_ROOT, 'examples'), workspace, { recursive: true });
    codeServer = await startCodeServer({
      codeServer: installCodeServer(),
      vsix: buildVsix(),
      workspace,
      restricted: true,
      env: { PREFLIGHT_CACHE_DIR: cache },
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, codeServer.url);
  });

  afterEach(async function () {
    if (page) await screenshot(page, `restricted ${this.currentTest?.title ?? 'test'}`);
  });

  after(async () => {
    await browser?.close();
    await codeServer?.stop();
    for (const dir of [workspace, cache]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens the workspace in Restricted Mode and still lints it', async () => {
    await page!.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });
    await openFile(page!, MIGRATION);
    const rows = await problems(page!, (found) => found.some((row) => row.includes('mixed-ddl-dml')));
    assert.ok(rows.some((row) => row.includes('mixed-ddl-dml')), `no mixed-ddl-dml finding; rows: ${JSON.stringify(rows)}`);
  });

  it('refuses a dry-run, says why, and starts no database', async () => {
    await openFile(page!, MIGRATION);
    await runCommand(page!, 'Preflight: Dry Run Current File');
    await page!.locator('.notification-toast', { hasText: 'Dry-run is disabled in Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    // Give a dry-run that wrongly started the time to show its progress or its panel.
    await delay(5000);
    assert.strictEqual(await page!.locator('.notification-toast', { hasText: 'Preflight: dry-run of' }).count(), 0, 'a dry-run started');
    assert.strictEqual(await page!.locator('iframe.webview').count(), 0, 'the results panel opened');
    assert.deepStrictEqual(fs.readdirSync(cache), [], 'the embedded PostgreSQL was initialised');
  });
});
