import * as path from 'path';
import { REPORTERS } from '../server/src/report';
import { DRY_RUN_CHECKS } from '../server/src/report/dry-run-findings';
import { sarifLog } from '../server/src/report/sarif';
import { toolInfo } from '../server/src/report/tool-info';
import { ReportContext } from '../server/src/report/types';
import {
  FIXTURE_RULES,
  REPORT_FIXTURES,
  assertGolden,
  loadCheckFixture,
  loadReportFixture,
} from './support/report-fixtures';

/**
 * Every `--format` rendered from the same hand-written findings (UTF-16 columns after an emoji, a CRLF
 * file, a path with a space, messages with `%`, `,`, `:`, `|`, `<script>`, backticks and a newline).
 * `UPDATE_GOLDEN=1 npm test` (or `npm run update-goldens`) rewrites `test/fixtures/report/golden/`.
 */
const GOLDEN = path.join(REPORT_FIXTURES, 'golden');

describe('report formats (golden files)', () => {
  const { root, files } = loadReportFixture('lint');
  const context: ReportContext = { color: false, sourceRoot: root };
  const version = toolInfo().version;

  const cases: [string, () => string][] = [
    ['lint.pretty', () => REPORTERS.pretty(files, context)],
    ['lint.pretty-github-actions', () => REPORTERS.pretty(files, { ...context, githubActions: true })],
    ['lint.json', () => REPORTERS.json(files, { ...context, githubActions: true })],
    ['lint.sarif', () => JSON.stringify(sarifLog(files, context, FIXTURE_RULES), null, 2) + '\n'],
    ['lint.github', () => REPORTERS.github(files, context)],
    ['lint.gitlab', () => REPORTERS.gitlab(files, context)],
    ['lint.markdown', () => REPORTERS.markdown(files, context)],
    [
      'lint.markdown-link-base',
      () => REPORTERS.markdown(files, { ...context, linkBase: 'https://github.com/acme/shop/blob/0123abc/' }),
    ],
    ['lint.html', () => REPORTERS.html(files, { ...context, linkBase: 'https://github.com/acme/shop/blob/0123abc' })],
  ];
  for (const [name, render] of cases) {
    it(`renders ${name} exactly`, () => assertGolden(render(), path.join(GOLDEN, `${name}.golden`), version));
  }

  describe('with dry-runs (preflight check)', () => {
    const check = loadCheckFixture();
    const checkContext: ReportContext = { color: false, sourceRoot: check.root };
    const checkCases: [string, () => string][] = [
      ['check.pretty', () => REPORTERS.pretty(check.files, checkContext)],
      ['check.json', () => REPORTERS.json(check.files, checkContext)],
      [
        'check.sarif',
        () =>
          JSON.stringify(sarifLog(check.files, checkContext, [...FIXTURE_RULES, ...DRY_RUN_CHECKS]), null, 2) + '\n',
      ],
      ['check.github', () => REPORTERS.github(check.files, checkContext)],
      ['check.gitlab', () => REPORTERS.gitlab(check.files, checkContext)],
      [
        'check.markdown',
        () =>
          REPORTERS.markdown(check.files, { ...checkContext, linkBase: 'https://github.com/acme/shop/blob/0123abc' }),
      ],
      ['check.html', () => REPORTERS.html(check.files, checkContext)],
    ];
    for (const [name, render] of checkCases) {
      it(`renders ${name} exactly`, () => assertGolden(render(), path.join(GOLDEN, `${name}.golden`), version));
    }
  });

  it('has a golden case for every registered format', () => {
    const covered = new Set(cases.map(([name]) => name.split('.')[1].split('-')[0]));
    const missing = Object.keys(REPORTERS).filter((format) => !covered.has(format));
    if (missing.length > 0) throw new Error(`no golden case for --format ${missing.join(', ')}`);
  });
});
