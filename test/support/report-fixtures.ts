import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { DryRunReport } from '../../shared/protocol';
import type { Rule } from '../../server/src/lint/rule';
import { LineIndex } from '../../server/src/parse/text';
import { withDryRun } from '../../server/src/report/dry-run-findings';
import type { PositionedDiagnostic, ReportFile } from '../../server/src/report/types';
import { REPO_ROOT } from './paths';

/**
 * Report fixtures: a small repository in `test/fixtures/report/<case>/` and its findings written by hand
 * in `findings.json` (`from`/`to` are 1-based line and UTF-16 column, `to` exclusive). Hand-written
 * findings keep the golden files about rendering, not about what the rules say this week.
 */
export const REPORT_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'report');

interface FixtureFinding {
  file: string;
  rule: string;
  severity: PositionedDiagnostic['severity'];
  from: [number, number];
  to: [number, number];
  message: string;
  help?: string | null;
}

/** The rule catalogue the fixtures' findings come from (SARIF lists it in `tool.driver.rules`). */
export const FIXTURE_RULES: Pick<Rule, 'id' | 'severity' | 'summary'>[] = [
  {
    id: 'adding-foreign-key',
    severity: 'warning',
    summary: 'A foreign key added in one step locks both tables while it validates.',
  },
  { id: 'audit-log-write', severity: 'error', summary: 'UPDATE, DELETE or TRUNCATE of an append-only audit table.' },
  {
    id: 'mixed-ddl-dml',
    severity: 'warning',
    summary: 'Schema changes (DDL) and data changes (DML) in one transaction.',
  },
  { id: 'unused-ignore', severity: 'info', summary: 'A preflight-ignore directive that silences nothing.' },
  { id: 'off-by-default', severity: 'off', summary: 'A rule that only runs when config turns it on.' },
];

/** Every migration file of a fixture case, in migration order, with its hand-written findings. */
export function loadReportFixture(
  caseName: string,
  texts: Record<string, string> = {},
): { root: string; files: ReportFile[] } {
  const root = path.join(REPORT_FIXTURES, caseName);
  const findings = JSON.parse(fs.readFileSync(path.join(root, 'findings.json'), 'utf8')) as FixtureFinding[];
  const migrations = path.join(root, 'db', 'migrations');
  const files = fs
    .readdirSync(migrations)
    .sort()
    .map((name) => {
      const displayPath = `db/migrations/${name}`;
      const text = texts[displayPath] ?? fs.readFileSync(path.join(migrations, name), 'utf8');
      return reportFile(
        root,
        displayPath,
        text,
        findings.filter((f) => f.file === displayPath),
      );
    });
  return { root, files };
}

/** The `check` case: lint findings plus, for files that have `dry-run/<name>.json`, their dry-run. */
export function loadCheckFixture(): { root: string; files: ReportFile[]; dryRuns: Map<string, DryRunReport> } {
  const { root, files } = loadReportFixture('check');
  const dryRuns = new Map<string, DryRunReport>();
  const withDryRuns = files.map((file) => {
    const json = path.join(root, 'dry-run', `${path.basename(file.displayPath)}.json`);
    if (!fs.existsSync(json)) return file;
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as DryRunReport;
    dryRuns.set(file.displayPath, report);
    return withDryRun(file, report);
  });
  return { root, files: withDryRuns, dryRuns };
}

export function reportFile(root: string, displayPath: string, text: string, findings: FixtureFinding[]): ReportFile {
  const lines = new LineIndex(text);
  const diagnostics = findings.map((f): PositionedDiagnostic => {
    const start = lines.offsetAt({ line: f.from[0] - 1, character: f.from[1] - 1 });
    const end = lines.offsetAt({ line: f.to[0] - 1, character: f.to[1] - 1 });
    return {
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      ...(f.help ? { help: f.help } : {}),
      span: { start, end },
      line: f.from[0],
      column: f.from[1],
      endLine: f.to[0],
      endColumn: f.to[1],
    };
  });
  return { displayPath, absolutePath: path.join(root, ...displayPath.split('/')), text, lines, diagnostics };
}

/**
 * Compares output with a golden file; `UPDATE_GOLDEN=1` rewrites it instead (review the diff before
 * committing). The package version is replaced by `<version>` so a release does not touch the goldens.
 */
export function assertGolden(actual: string, goldenFile: string, version: string): void {
  const normalised = actual.split(version).join('<version>');
  if (process.env.UPDATE_GOLDEN) {
    fs.mkdirSync(path.dirname(goldenFile), { recursive: true });
    fs.writeFileSync(goldenFile, normalised);
  }
  if (!fs.existsSync(goldenFile))
    throw new Error(`missing ${path.relative(REPO_ROOT, goldenFile)} (run with UPDATE_GOLDEN=1 to create it)`);
  const expected = fs.readFileSync(goldenFile, 'utf8');
  if (normalised !== expected) {
    // assert.strictEqual shows a readable line diff for strings.
    assert.strictEqual(
      normalised,
      expected,
      `${path.relative(REPO_ROOT, goldenFile)} differs (UPDATE_GOLDEN=1 rewrites it)`,
    );
  }
}
