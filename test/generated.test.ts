import * as assert from 'assert';
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { HEADER_BEGIN, HEADER_END, generatedFiles, withHeader, withRuleSettings } from '../scripts/generate';
import { allRules, docsPath } from '../server/src/lint/registry';
import { packagedFiles } from './support/packaged-files';
import { REPO_ROOT } from './support/paths';

/**
 * What `npm run generate` writes from the rule metadata (scripts/generate.ts): the config's JSON Schema and its
 * precompiled validator, each rule page's header, the rule ids of the `preflight.rules` setting. Nothing of it
 * is edited by hand, so each must be exactly what the metadata says now.
 */
describe('generated from rule metadata', () => {
  const files = generatedFiles();
  const read = (relative: string) => fs.readFileSync(path.join(REPO_ROOT, relative), 'utf8');

  it('every generated file is current (otherwise run `npm run generate`)', () => {
    const stale = files
      .filter((file) => !fs.existsSync(path.join(REPO_ROOT, file.path)) || read(file.path) !== file.content)
      .map((file) => file.path);
    assert.deepStrictEqual(stale, [], `stale: ${stale.join(', ')} — run \`npm run generate\` and commit the result`);
  });

  it('regenerates a rule page header that no longer matches the rule, and leaves the page around it alone', () => {
    const rule = allRules().get('require-lock-timeout')!;
    const stale = `# ${rule.id}\n\n${HEADER_BEGIN}\n**Default severity:** error · **Quick fix:** no\n${HEADER_END}\n\nWhy it matters.\n`;
    const current = withHeader(stale, rule);
    assert.notStrictEqual(current, stale);
    assert.match(
      current,
      /\*\*Default severity:\*\* warning · \*\*Quick fix:\*\* yes · \*\*Dialects:\*\* PostgreSQL · \*\*Options:\*\* `value`/,
    );
    assert.match(current, /- `value` \(string, default `"5s"`\): The lock_timeout the quick fix sets\./);
    assert.ok(current.endsWith(`${HEADER_END}\n\nWhy it matters.\n`));
    assert.strictEqual(withHeader(current, rule), current);
  });

  it('gives every rule page a generated header right under its title', () => {
    for (const rule of allRules().values()) {
      const page = read(docsPath(rule.id));
      assert.ok(
        page.startsWith(`# ${rule.id}\n\n${HEADER_BEGIN}\n`),
        `${docsPath(rule.id)} has no generated header under its title`,
      );
    }
  });

  it('leaves no hand-written severity or quick-fix claim that disagrees with the rule', () => {
    // Pages keep prose on why a severity was chosen and when the fix applies; the facts it repeats must still hold.
    for (const rule of allRules().values()) {
      const prose = read(docsPath(rule.id)).split(HEADER_END)[1];
      assert.ok(
        !prose.includes('**Default severity:**'),
        `${docsPath(rule.id)} states the default severity outside its generated header`,
      );
      const severity = /\*\*Severity in detail:\*\* (\w+)/.exec(prose)?.[1];
      if (severity)
        assert.strictEqual(severity, rule.severity, `${docsPath(rule.id)} details the default severity as ${severity}`);
      if (/\*\*No quick fix:\*\*/.test(prose))
        assert.ok(!rule.fixable, `${docsPath(rule.id)} says there is no quick fix, but the rule is fixable`);
    }
  });

  it('lists every rule id in the JSON Schema, each with its options typed, so editors complete and check them', () => {
    const schema = JSON.parse(read('server/preflightrc.schema.json'));
    assert.deepStrictEqual(Object.keys(schema.properties.rules.properties), [...allRules().keys()]);
    const validate = new Ajv({ strict: false }).compile(schema);
    assert.ok(
      validate({ rules: { 'require-lock-timeout': ['warning', { value: '3s' }], 'mixed-ddl-dml': 'error' } }),
      JSON.stringify(validate.errors),
    );
    assert.ok(
      !validate({ rules: { 'require-lock-timeout': ['warning', { value: 3 }] } }),
      'a number for a string option',
    );
    assert.ok(!validate({ rules: { 'mixed-dd-dml': 'error' } }), 'an unknown rule id');
    assert.ok(
      !validate({ rules: { 'mixed-ddl-dml': ['error', { anything: true }] } }),
      'an option of a rule that takes none',
    );
  });

  it('lists every rule id with its severities in the preflight.rules setting', () => {
    const setting = JSON.parse(read('package.json')).contributes.configuration.properties['preflight.rules'];
    assert.deepStrictEqual(Object.keys(setting.properties), [...allRules().keys()]);
    assert.strictEqual(setting.additionalProperties, false);
    assert.deepStrictEqual(setting.patternProperties[''].enum, ['off', 'info', 'warning', 'error']);
    const stale = JSON.stringify({
      contributes: { configuration: { properties: { 'preflight.rules': { type: 'object' } } } },
    });
    assert.notStrictEqual(withRuleSettings(stale, [...allRules().values()]), stale);
  });

  it('contributes the schema to .preflightrc.json from a file the extension package ships', async () => {
    const contributed = JSON.parse(read('package.json')).contributes.jsonValidation as {
      fileMatch: string | string[];
      url: string;
    }[];
    const entry = contributed.find((validation) => [validation.fileMatch].flat().includes('.preflightrc.json'));
    assert.ok(entry, 'no jsonValidation entry for .preflightrc.json');
    assert.strictEqual(entry.url, './server/preflightrc.schema.json');
    const shipped = await packagedFiles();
    assert.ok(
      shipped.includes(path.posix.normalize(entry.url)),
      `the .vsix would not contain ${entry.url} (see .vscodeignore)`,
    );
  });

  it('points the example config at the schema with a $schema path that resolves', () => {
    const config = path.join(REPO_ROOT, 'examples', '.preflightrc.json');
    const schemaPath = JSON.parse(fs.readFileSync(config, 'utf8')).$schema as string;
    assert.strictEqual(
      path.resolve(path.dirname(config), schemaPath),
      path.join(REPO_ROOT, 'server', 'preflightrc.schema.json'),
    );
  });
});
