import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigCache } from '../server/src/config';
import { applyFixes } from '../server/src/lint/apply-fixes';
import { initEngine, lintText } from '../server/src/lint/engine';
import { allRules, docsPath } from '../server/src/lint/registry';
import { Diagnostic } from '../server/src/lint/rule';
import { LineIndex } from '../server/src/parse/text';
import { SchemaSources, catalogFor } from '../server/src/schema/sources';
import { REPO_ROOT } from './support/paths';

/**
 * Every rule has a folder `test/rules/<rule-id>/` of fixtures: `bad-*` files with the rule's exact
 * diagnostics in `<fixture>.expected` next to them (position, severity, message, help and the fix's title), the
 * file with every fix of those findings applied in `<fixture>.fixed`, and `good-*` files where the rule must stay
 * silent. `UPDATE_EXPECTED=1 npm test` rewrites the expected and fixed files (review the diff before committing).
 */
const FIXTURE_ROOT = path.join(REPO_ROOT, 'test', 'rules');
const configs = new ConfigCache();

function formatDiagnostics(text: string, diagnostics: Diagnostic[]): string {
  const lines = new LineIndex(text);
  return diagnostics
    .map((d) => {
      const start = lines.positionAt(d.span.start);
      const end = lines.positionAt(d.span.end);
      const fix = d.fix ? [`  fix: ${d.fix.title} (${d.fix.safe ? 'applied by --fix' : 'editor only'})`] : [];
      const help = d.help ? [`  help: ${d.help}`] : [];
      return [
        `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${d.severity} ${d.message}`,
        ...help,
        ...fix,
      ].join('\n');
    })
    .join('\n');
}

const schemas = new SchemaSources();

/**
 * Lints a fixture with the catalog the CLI would give it: the files that sort before it in its folder are
 * earlier migrations (a subfolder can hold a migration directory: `0001_schema.sql`, `0002_bad-delete.sql`).
 */
async function lintFixture(ruleId: string, file: string): Promise<{ text: string; diagnostics: Diagnostic[] }> {
  const text = fs.readFileSync(file, 'utf8');
  const config = configs.configFor(file);
  const { catalog } = await catalogFor(file, config, schemas);
  const result = lintText(file, text, { config, catalog });
  return { text, diagnostics: result.diagnostics.filter((d) => d.rule === ruleId) };
}

/** `bad`, `good` or undefined: fixtures are `bad-*` / `good-*`, after an optional migration version (`0002_bad-x.sql`). */
function fixtureKind(name: string): 'bad' | 'good' | undefined {
  return /^(?:\d+[_-])?(bad|good)-/.exec(path.basename(name))?.[1] as 'bad' | 'good' | undefined;
}

/** Files below `folder`, as paths relative to it with `/` separators, subfolders after the folder's own files. */
function fixtureFiles(folder: string, prefix = ''): string[] {
  const entries = fs.readdirSync(path.join(folder, prefix), { withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => prefix + e.name);
  const nested = entries.filter((e) => e.isDirectory()).flatMap((e) => fixtureFiles(folder, `${prefix}${e.name}/`));
  return [...files, ...nested];
}

describe('rule fixtures', () => {
  before(() => initEngine());

  for (const rule of allRules().values()) {
    describe(rule.id, () => {
      const folder = path.join(FIXTURE_ROOT, rule.id);
      // Fixtures that need their own `.preflightrc.json` sit in subfolders; names are relative to `folder`.
      const fixtures = fs.existsSync(folder)
        ? fixtureFiles(folder).filter((name) => fixtureKind(name) && !/\.(expected|fixed)$/.test(name))
        : [];

      if (rule.fixable) {
        it('has a bad fixture whose fix is recorded', () => {
          const fixed = fixtures.filter((name) => fs.existsSync(path.join(folder, `${name}.fixed`)));
          assert.notStrictEqual(
            fixed.length,
            0,
            `${rule.id} is fixable but no test/rules/${rule.id}/bad-* has a .fixed file`,
          );
        });
      }

      it('has a docs page and bad and good fixtures', () => {
        assert.ok(fs.existsSync(path.join(REPO_ROOT, docsPath(rule.id))), `missing ${docsPath(rule.id)}`);
        assert.ok(
          fixtures.some((name) => fixtureKind(name) === 'bad'),
          `no bad-* fixture in test/rules/${rule.id}`,
        );
        assert.ok(
          fixtures.some((name) => fixtureKind(name) === 'good'),
          `no good-* fixture in test/rules/${rule.id}`,
        );
      });

      for (const name of fixtures) {
        const file = path.join(folder, name);
        if (fixtureKind(name) === 'good') {
          it(`stays silent on ${name}`, async () => {
            const { text, diagnostics } = await lintFixture(rule.id, file);
            assert.strictEqual(formatDiagnostics(text, diagnostics), '');
          });
        } else {
          it(`reports ${name} exactly`, async () => {
            const { text, diagnostics } = await lintFixture(rule.id, file);
            const actual = formatDiagnostics(text, diagnostics);
            const expectedFile = `${file}.expected`;
            if (process.env.UPDATE_EXPECTED) fs.writeFileSync(expectedFile, actual + '\n');
            assert.ok(fs.existsSync(expectedFile), `missing ${path.relative(REPO_ROOT, expectedFile)}`);
            assert.notStrictEqual(actual, '', 'a bad fixture must produce a finding');
            assert.strictEqual(actual, fs.readFileSync(expectedFile, 'utf8').trimEnd());
          });

          it(`fixes ${name} as recorded`, async () => {
            const { text, diagnostics } = await lintFixture(rule.id, file);
            const fixes = diagnostics.flatMap((d) => (d.fix ? [d.fix] : []));
            const fixedFile = `${file}.fixed`;
            const relative = path.relative(REPO_ROOT, fixedFile);
            if (fixes.length === 0) {
              assert.ok(!fs.existsSync(fixedFile), `${relative} exists, but no finding carries a fix`);
              return;
            }
            // Every fix the editor would offer, safe or not, applied in one pass as apply-fixes takes them.
            const fixed = applyFixes(text, fixes).text;
            if (process.env.UPDATE_EXPECTED) fs.writeFileSync(fixedFile, fixed);
            assert.ok(fs.existsSync(fixedFile), `missing ${relative} (UPDATE_EXPECTED=1 writes it)`);
            assert.strictEqual(fixed, fs.readFileSync(fixedFile, 'utf8'));
          });
        }
      }

      if (rule.examples) {
        it('flags its bad example and not its good one', () => {
          const exampleFile = path.join(folder, rule.examples!.fileName ?? 'example.sql');
          const lint = (text: string) =>
            lintText(exampleFile, text, { config: configs.configFor(exampleFile) }).diagnostics.filter(
              (d) => d.rule === rule.id,
            );
          assert.notStrictEqual(lint(rule.examples!.bad).length, 0, 'bad example not flagged');
          assert.strictEqual(lint(rule.examples!.good).length, 0, 'good example flagged');
        });
      }
    });
  }
});
