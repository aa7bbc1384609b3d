import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Browser, Page, chromium } from 'playwright-core';
import type { DryRunReport } from '../shared/protocol';
import { REPORTERS } from '../server/src/report';
import { ReportFile } from '../server/src/report/types';
import { REPO_ROOT } from './support/paths';
import { loadCheckFixture, loadReportFixture } from './support/report-fixtures';

/**
 * The HTML report in a real browser (Debian's Chromium, driven by playwright-core): the lock timeline's bars
 * are where the dry-run JSON says (from the statement that took the lock to the end of its transaction),
 * coloured by what the mode blocks, and the page fetches nothing. Screenshots are kept in
 * test-artifacts/report/ for people to look at.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'report');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The fill of each lock impact (the colours of `html-timeline.ts`), as the browser computes it. */
const FILLS: Record<string, string> = {
  AccessExclusiveLock: 'rgb(207, 34, 46)',
  ShareRowExclusiveLock: 'rgb(188, 76, 0)',
  RowExclusiveLock: 'rgb(31, 111, 235)',
};

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

describe('HTML report in headless Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;

  before(async () => {
    if (!fs.existsSync(CHROMIUM))
      throw new Error(`Chromium is not installed at ${CHROMIUM}: run apt-get install -y chromium`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
  });

  /** Writes the page to the artifacts folder, opens it, and records every request it makes. */
  async function open(
    name: string,
    files: ReportFile[],
    root: string,
  ): Promise<{ page: Page; requests: string[]; url: string }> {
    const file = path.join(ARTIFACTS, `${name}.html`);
    fs.writeFileSync(
      file,
      REPORTERS.html(files, { color: false, sourceRoot: root, linkBase: 'https://github.com/acme/shop/blob/0123abc' }),
    );
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const url = `file://${file}`;
    await page.goto(url, { waitUntil: 'load' });
    return { page, requests, url };
  }

  it('draws one bar per lock, from the statement that took it to the end of its transaction', async () => {
    const { root, files, dryRuns } = loadCheckFixture();
    const { page, requests, url } = await open('check', files, root);
    await page.screenshot({ path: path.join(ARTIFACTS, 'check.png'), fullPage: true });

    for (const [displayPath, report] of dryRuns) {
      const section = page.locator('section.file', { has: page.locator('h2', { hasText: displayPath }) });
      const timeline = section.locator('svg.timeline');
      await timeline.screenshot({ path: path.join(ARTIFACTS, `timeline-${path.basename(displayPath, '.sql')}.png`) });

      const expected = expectedBars(report);
      const bars = section.locator('rect.bar');
      assert.strictEqual(await bars.count(), expected.length, `${displayPath}: one bar per lock in the JSON`);
      for (const bar of expected) {
        const rect = section.locator(
          `rect.bar[data-statement-index="${bar.takenBy}"][data-mode="${bar.mode}"][data-relation="${bar.relation}"]`,
        );
        assert.strictEqual(await rect.count(), 1, `${displayPath}: no bar for ${bar.mode} on ${bar.relation}`);
        const box = (await rect.boundingBox())!;
        const first = (await section
          .locator(`g.slot[data-statement-index="${bar.takenBy}"] rect.column`)
          .boundingBox())!;
        const last = (await section
          .locator(`g.slot[data-statement-index="${bar.releasedAt}"] rect.column`)
          .boundingBox())!;
        // The bar starts in the column of the statement that took the lock and ends in the column of the
        // statement that ends the transaction (a few pixels of inset on each side).
        assert.ok(
          box.x >= first.x && box.x - first.x <= 6,
          `${bar.mode} on ${bar.relation} starts at statement ${bar.takenBy}`,
        );
        assert.ok(
          right(box) <= right(last) && right(last) - right(box) <= 6,
          `${bar.mode} on ${bar.relation} ends at statement ${bar.releasedAt}`,
        );
        // ... in the lane of its table.
        const label = (await section.locator('text.lane-label', { hasText: bar.relation }).boundingBox())!;
        assert.ok(
          label.y >= box.y - 4 && label.y + label.height <= box.y + box.height + 4,
          `${bar.relation}'s bar is in its lane`,
        );
        const fill = await page.evaluate(
          `getComputedStyle(document.evaluate(${JSON.stringify(`//*[local-name()="rect"][@data-relation="${bar.relation}"][@data-mode="${bar.mode}"]`)}, document, null, 9, null).singleNodeValue).fill`,
        );
        assert.strictEqual(fill, FILLS[bar.mode], `${bar.mode} is coloured by what it blocks`);
      }
      // Every statement of the JSON is a row of the statement table, in order, with its status.
      const cells = section.locator('table.statements tbody td.status');
      const statuses = await Promise.all((await cells.all()).map((cell) => cell.getAttribute('data-status')));
      assert.deepStrictEqual(
        statuses,
        report.statements.map((s) => s.status),
      );
    }

    assert.deepStrictEqual(requests, [url], 'the page loads nothing but itself');
    await page.close();
  });

  it('shows every finding with a code frame and makes no network request', async () => {
    const { root, files } = loadReportFixture('lint');
    const { page, requests, url } = await open('lint', files, root);
    await page.screenshot({ path: path.join(ARTIFACTS, 'lint.png'), fullPage: true });
    const findings = files.reduce((n, file) => n + file.diagnostics.length, 0);
    assert.strictEqual(await page.locator('article.finding').count(), findings);
    assert.strictEqual(
      await page.locator('article.finding:has(pre.frame mark)').count(),
      findings,
      'each finding marks its code',
    );
    // The message with markup in it is shown as text, not run.
    assert.strictEqual(await page.locator('article.finding script').count(), 0);
    assert.ok(
      (await page.locator('article.finding.error p.message').first().textContent())!.includes(
        '<script>alert(1)</script>',
      ),
    );
    assert.deepStrictEqual(requests, [url]);
    await page.close();
  });
});

function right(box: Box): number {
  return box.x + box.width;
}

/**
 * What the fixtures' JSON says independently of the timeline model: each lock is held from the statement
 * that took it until the statement that failed (the transaction aborts there) or, when nothing failed, the
 * last statement (the runner commits at the end). The fixtures have no COMMIT before either point.
 */
function expectedBars(report: DryRunReport): { relation: string; mode: string; takenBy: number; releasedAt: number }[] {
  const failed = report.statements.find((s) => s.status === 'error');
  const releasedAt = failed ? failed.index : report.statements[report.statements.length - 1].index;
  return report.statements.flatMap((s) =>
    s.locks.map((lock) => ({ relation: lock.relation, mode: lock.mode, takenBy: s.index, releasedAt })),
  );
}
