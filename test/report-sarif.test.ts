import Ajv, { ValidateFunction } from 'ajv';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { defaultConfig } from '../server/src/config';
import { initEngine, lintText } from '../server/src/lint/engine';
import { allRules } from '../server/src/lint/registry';
import { REPORTERS } from '../server/src/report';
import { FINGERPRINT_KEY, sarifLog } from '../server/src/report/sarif';
import { ReportFile, positionDiagnostics } from '../server/src/report/types';
import { REPO_ROOT } from './support/paths';
import { FIXTURE_RULES, loadReportFixture } from './support/report-fixtures';

let compiled: ValidateFunction | undefined;

/** The official SARIF 2.1.0 schema (see test/fixtures/sarif/README.md), compiled once. */
function sarifValidator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'),
  );
  // The schema's `language` pattern is not valid as a unicode regular expression, so ajv must not use the u flag.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat('uri', (value: string) => /^[a-z][a-z0-9+.-]*:/i.test(value) && URL.canParse(value));
  ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///base/'));
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
  compiled = ajv.compile(schema);
  return compiled;
}

function assertValidSarif(log: unknown): void {
  const validate = sarifValidator();
  const valid = validate(log);
  assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
}

const config = defaultConfig(REPO_ROOT);
const lint = (text: string, file = path.join(REPO_ROOT, 'migrations', '0002_backfill.sql')): ReportFile =>
  positionDiagnostics(lintText(file, text, { config }), text, path.relative(REPO_ROOT, file), file);
type SarifResult = {
  ruleId: string;
  ruleIndex?: number;
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { region: Record<string, number> } }[];
};
const results = (files: ReportFile[]): SarifResult[] =>
  JSON.parse(REPORTERS.sarif(files, { color: false, sourceRoot: REPO_ROOT })).runs[0].results;

describe('SARIF report', () => {
  before(() => initEngine());

  it('validates against the official SARIF 2.1.0 schema (fixture findings and a real lint run)', () => {
    const { root, files } = loadReportFixture('lint');
    assertValidSarif(sarifLog(files, { color: false, sourceRoot: root }, FIXTURE_RULES));
    assertValidSarif(
      JSON.parse(
        REPORTERS.sarif([lint('ALTER TABLE plans ADD COLUMN tier text;\nUPDATE plans SET tier = 1;\n')], {
          color: false,
        }),
      ),
    );
  });

  it('fails schema validation for a broken log, so the check above can fail', () => {
    const { root, files } = loadReportFixture('lint');
    const log = sarifLog(files, { color: false, sourceRoot: root }, FIXTURE_RULES) as unknown as {
      runs: { results: { level: string }[] }[];
    };
    log.runs[0].results[0].level = 'fatal';
    assert.strictEqual(sarifValidator()(log), false);
  });

  it('lists every registered rule in tool.driver.rules with its summary and default level', () => {
    const driver = JSON.parse(REPORTERS.sarif([], { color: false })).runs[0].tool.driver;
    const rules = [...allRules().values()];
    assert.deepStrictEqual(
      driver.rules.map((r: { id: string }) => r.id),
      rules.map((r) => r.id),
    );
    const levels = { error: 'error', warning: 'warning', info: 'note', off: 'none' };
    rules.forEach((rule, i) => {
      assert.strictEqual(driver.rules[i].shortDescription.text, rule.summary);
      assert.strictEqual(driver.rules[i].defaultConfiguration.level, levels[rule.severity]);
      assert.match(driver.rules[i].help.text, new RegExp(`docs/rules/${rule.id}\\.md`));
    });
  });

  it('gives exact regions in UTF-16 columns and points ruleIndex at the rule', () => {
    const { root, files } = loadReportFixture('lint');
    const log = sarifLog(files, { color: false, sourceRoot: root }, FIXTURE_RULES);
    assert.strictEqual(log.runs[0].columnKind, 'utf16CodeUnits');
    const afterEmoji = log.runs[0].results.find((r) => r.ruleId === 'unused-ignore')!;
    // "UPDATE plans SET tier = 'basic' -- 🎉 default": the emoji is two UTF-16 code units.
    assert.deepStrictEqual(afterEmoji.locations[0].physicalLocation.region, {
      startLine: 3,
      startColumn: 39,
      endLine: 3,
      endColumn: 46,
    });
    assert.strictEqual(
      afterEmoji.locations[0].physicalLocation.artifactLocation.uri,
      'db/migrations/0002_backfill_tier.sql',
    );
    const spaced = log.runs[0].results.find((r) =>
      r.locations[0].physicalLocation.artifactLocation.uri.includes('0003'),
    )!;
    assert.strictEqual(
      spaced.locations[0].physicalLocation.artifactLocation.uri,
      'db/migrations/0003%20add%20index.sql',
    );
    for (const result of log.runs[0].results) assert.strictEqual(FIXTURE_RULES[result.ruleIndex!].id, result.ruleId);
  });
});

describe('finding fingerprints', () => {
  before(() => initEngine());
  const MIGRATION = 'ALTER TABLE plans ADD COLUMN tier text;\nUPDATE plans SET tier = 1;\n';

  const fingerprints = (text: string) =>
    results([lint(text)]).map((r) => `${r.ruleId} ${r.partialFingerprints[FINGERPRINT_KEY]}`);
  const startLines = (text: string) =>
    results([lint(text)]).map((r) => r.locations[0].physicalLocation.region.startLine);

  it('stay the same when lines are inserted above a finding', () => {
    const moved = `-- a comment\n-- and another\n\n${MIGRATION}`;
    assert.ok(fingerprints(MIGRATION).some((f) => f.startsWith('mixed-ddl-dml ')));
    assert.deepStrictEqual(
      startLines(moved),
      startLines(MIGRATION).map((line) => line + 3),
    );
    assert.deepStrictEqual(fingerprints(moved), fingerprints(MIGRATION));
  });

  it('stay the same when only the whitespace of the flagged code changes', () => {
    const mixed = (text: string) => fingerprints(text).filter((f) => f.startsWith('mixed-ddl-dml '));
    assert.deepStrictEqual(
      mixed('ALTER TABLE plans ADD COLUMN tier text;\nUPDATE plans\n   SET tier = 1;\n'),
      mixed(MIGRATION),
    );
  });

  it('change when the flagged code changes', () => {
    const mixed = (text: string) => fingerprints(text).filter((f) => f.startsWith('mixed-ddl-dml '));
    assert.notDeepStrictEqual(
      mixed('ALTER TABLE plans ADD COLUMN tier text;\nUPDATE plans SET tier = 2;\n'),
      mixed(MIGRATION),
    );
  });

  it('tell identical findings in one file apart by their order', () => {
    const { root, files } = loadReportFixture('lint');
    const file = files.find((f) => f.diagnostics.length > 1)!;
    const twice = { ...file, diagnostics: [file.diagnostics[0], file.diagnostics[0]] };
    const log = sarifLog([twice], { color: false, sourceRoot: root }, FIXTURE_RULES);
    const [first, second] = log.runs[0].results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    assert.notStrictEqual(first, second);
  });
});
