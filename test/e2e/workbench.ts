import * as fs from 'fs';
import * as path from 'path';
import { Browser, FrameLocator, Page, chromium } from 'playwright-core';
import { REPO_ROOT } from '../support/paths';
import {
  ARTIFACTS,
  CodeServer,
  StartOptions,
  buildVsix,
  delay,
  installCodeServer,
  scratchDirectory,
  startCodeServer,
} from './code-server';

/** Debian's chromium, driven by playwright-core (which downloads no browser of its own). */
const CHROMIUM = process.env.PREFLIGHT_E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The code-server and the browser page on its workbench that the tests of one `describe` share. */
export interface WorkbenchSession {
  readonly codeServer: CodeServer;
  readonly page: Page;
}

/**
 * Registers the hooks of a `describe` whose tests drive one code-server: started (with what `options` gives, once
 * anything it needs is ready) and its workbench opened before them, a screenshot named `screenshotPrefix` + the
 * test's title after each, and everything stopped and the `scratch` folders removed after them.
 */
/**
 * A workbench on `workspace` opened in Restricted Mode, with an embedded-database cache of its own: a test proves
 * that nothing reached a database by finding `cache` still empty. Screenshots are named `screenshotPrefix` + title.
 */
export function restrictedWorkbench(
  workspace: string,
  screenshotPrefix: string,
): { session: WorkbenchSession; cache: string } {
  const cache = scratchDirectory('preflight-e2e-untrusted-cache-');
  const session = workbenchSession(
    () => ({
      codeServer: installCodeServer(),
      vsix: buildVsix(),
      workspace,
      restricted: true,
      env: { PREFLIGHT_CACHE_DIR: cache },
    }),
    screenshotPrefix,
    [workspace, cache],
  );
  return { session, cache };
}

export function workbenchSession(
  options: () => Promise<StartOptions> | StartOptions,
  screenshotPrefix = '',
  scratch: readonly string[] = [],
): WorkbenchSession {
  let codeServer: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  before(async () => {
    codeServer = await startCodeServer(await options());
    browser = await launchBrowser();
    page = await openWorkbench(browser, codeServer.url);
  });
  afterEach(async function () {
    if (page) await screenshot(page, `${screenshotPrefix}${this.currentTest?.title ?? 'test'}`);
  });
  after(async () => {
    await browser?.close();
    await codeServer?.stop();
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get codeServer() {
      return codeServer!;
    },
    get page() {
      return page!;
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** The workbench page, loaded and ready for keyboard input. */
export async function openWorkbench(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The explorer shows the folder once the workspace is restored.
  await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, '-')}.png`) });
}

/** The README's pictures of the main views (docs/screenshots/), taken from the real extension by the E2E. */
export const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');

export async function marketplaceScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Moves the cursor to the start of a 1-based line with Go to Line (Ctrl+G). */
export async function goToLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
}

/** Runs a command from the command palette by its title, as a user types it. */
export async function runCommand(page: Page, title: string): Promise<void> {
  // The palette lists the commands known when it opens: until the extension's contributions are registered,
  // right after the workbench loads, it may not hold the command yet, so close it and ask again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    // Wait until the list shows exactly this command before accepting it.
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: attempt < 6 ? 5_000 : 30_000 });
      break;
    } catch (error) {
      if (attempt >= 6) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

/** Opens a workspace file with Quick Open (Ctrl+P) and focuses its text. */
export async function openFile(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(fileName);
  // The file itself: open editors named after it (the results panel, "Dry Run: <file>") are listed too.
  const exactName = new RegExp(`^${fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactName }) })
    .first()
    .click();
  await page.locator(`.editor-group-container.active .tab.active[data-resource-name="${fileName}"]`).waitFor();
  // Focus the editor text so that later commands see it as the active editor (with the results panel open
  // beside it, another group's editor comes first in the page).
  await page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines').first().click();
}

/**
 * The rows of the Problems panel as text, once `predicate` holds for them (or the timeout passes). The
 * panel renders only the rows in view: `filter` (typed into its filter box) narrows it to what a test needs.
 */
export async function problems(
  page: Page,
  predicate: (rows: string[]) => boolean,
  options: { filter?: string; timeoutMs?: number } = {},
): Promise<string[]> {
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
  await filter.fill(options.filter ?? '');
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((elements) =>
      // The visible text holds source and code ("preflight(mixed-ddl-dml)"); the label holds the position.
      elements.map((element) =>
        `${element.textContent ?? ''} | ${element.getAttribute('aria-label') ?? ''}`.replace(/\s+/g, ' ').trim(),
      ),
    );
    if (predicate(rows)) return rows;
    await delay(500);
  }
  return rows;
}

/**
 * The document inside a webview panel of an extension (Preflight's results panel by default; the Markdown
 * preview is `vscode.markdown-language-features`): VS Code nests it in two iframes.
 */
export function webview(page: Page, extensionId = 'preflight.preflight'): FrameLocator {
  return page.frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`).frameLocator('#active-frame');
}
