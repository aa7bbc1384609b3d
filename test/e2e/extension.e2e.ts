import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../support/paths';
import { CodeServer, installCodeServer, scratchDirectory, startCodeServer } from './code-server';
import { launchBrowser, openFile, openWorkbench, problems, runCommand, screenshot, webview } from './workbench';

/**
 * The packaged extension in a real VS Code: the .vsix that `npm run package` builds is installed into
 * code-server, which opens a copy of the example project; Debian's chromium plays the user.
 */
const MIGRATION = '0003_dedupe_patients.sql';

/** The example project, or (before it exists) a one-file migration with the same mistake. */
function exampleWorkspace(): string {
  const workspace = scratchDirectory('preflight-e2e-project-');
  const examples = path.join(REPO_ROOT, 'examples');
  if (fs.existsSync(path.join(examples, 'migrations', MIGRATION))) {
    fs.cpSync(examples, workspace, { recursive: true });
  } else {
    fs.mkdirSync(path.join(workspace, 'migrations'));
    fs.writeFileSync(
      path.join(workspace, 'migrations', MIGRATION),
      'ALTER TABLE sync_lookup ADD COLUMN is_duplicate boolean NOT NULL DEFAULT false;\n\nUPDATE sync_lookup SET is_duplicate = true;\n',
    );
  }
  return workspace;
}

function buildVsix(): string {
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package.js')], { cwd: REPO_ROOT, stdio: 'pipe' });
  return path.join(REPO_ROOT, 'dist', 'preflight.vsix');
}

describe('Preflight in VS Code (code-server)', function () {
  this.timeout(10 * 60_000);
  let codeServer: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;

  before(async () => {
    const executable = installCodeServer();
    const vsix = buildVsix();
    codeServer = await startCodeServer({ codeServer: executable, vsix, workspace: exampleWorkspace() });
    browser = await launchBrowser();
    page = await openWorkbench(browser, codeServer.url);
  });

  afterEach(async function () {
    if (page) await screenshot(page, this.currentTest?.title ?? 'test');
  });

  after(async () => {
    await browser?.close();
    await codeServer?.stop();
  });

  it('shows the mixed-ddl-dml finding of the example migration in the Problems panel', async () => {
    await openFile(page!, MIGRATION);
    const rows = await problems(page!, (found) => found.some((row) => row.includes('mixed-ddl-dml')));
    const finding = rows.find((row) => row.includes('mixed-ddl-dml'));
    assert.ok(finding, `no mixed-ddl-dml finding in the Problems panel; rows: ${JSON.stringify(rows)}`);
    assert.match(finding, /UPDATE/);
  });

  it('dry-runs the migration from the command palette and lists every statement in the results panel', async () => {
    await openFile(page!, MIGRATION);
    await runCommand(page!, 'Preflight: Dry Run Current File');
    const rows = webview(page!).locator('tbody tr');
    await rows.first().waitFor({ timeout: 180_000 });
    const statements = await rows.evaluateAll((elements) =>
      elements.map((row) => ({ status: row.getAttribute("data-status"), text: (row.textContent ?? '').replace(/\s+/g, ' ') })),
    );
    assert.ok(statements.length >= 2, JSON.stringify(statements));
    assert.ok(statements.some((s) => /ALTER TABLE/.test(s.text)), JSON.stringify(statements));
    assert.ok(statements.some((s) => /UPDATE/.test(s.text)), JSON.stringify(statements));
  });
});
