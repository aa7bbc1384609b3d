import * as assert from 'assert';
import Ajv from 'ajv';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ConfigError,
  defaultConfig,
  defaultConfigWithRules,
  knownConfigKeys,
  loadConfigFile,
} from '../server/src/config';
import { isIgnored } from '../server/src/resolved-config';
import { isAuditTable } from '../server/src/lint/audit-tables';
import { REPO_ROOT } from './support/paths';

describe('config JSON Schema', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'server', 'preflightrc.schema.json'), 'utf8'));

  it('documents exactly the keys the loader accepts', () => {
    assert.deepStrictEqual(Object.keys(schema.properties).sort(), knownConfigKeys().sort());
  });

  it('accepts the example project config and rejects an unknown key', () => {
    const validate = new Ajv({ strict: false }).compile(schema);
    const example = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', '.preflightrc.json'), 'utf8'));
    assert.ok(validate(example), JSON.stringify(validate.errors));
    assert.ok(!validate({ colour: true }));
  });
});

describe('config validation through the generated schema', () => {
  const load = (json: unknown) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-config-'));
    fs.writeFileSync(path.join(dir, '.preflightrc.json'), JSON.stringify(json));
    return loadConfigFile(path.join(dir, '.preflightrc.json'));
  };
  const rejects = (json: unknown, message: RegExp) =>
    assert.throws(
      () => load(json),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
      `${JSON.stringify(json)} not rejected with ${message}`,
    );

  it('rejects a rule option of the wrong type, naming the option and the type the rule declares', () => {
    rejects(
      { rules: { 'unbatched-backfill': ['warning', { minRows: 'many' }] } },
      /\.preflightrc\.json: rules\.unbatched-backfill\.minRows: must be a number$/,
    );
    rejects(
      { rules: { 'require-lock-timeout': ['warning', { value: 5 }] } },
      /: rules\.require-lock-timeout\.value: must be a string$/,
    );
    rejects(
      { rules: { 'prefer-bigint-over-int': ['warning', { keyColumnsOnly: 'yes' }] } },
      /: rules\.prefer-bigint-over-int\.keyColumnsOnly: must be true or false$/,
    );
    rejects(
      { rules: { 'require-lock-timeout': ['warning', { valu: '1s' }] } },
      /: rules\.require-lock-timeout\.valu: unknown option \(known: value\)$/,
    );
    rejects(
      { rules: { 'require-lock-timeout': ['warning', 3] } },
      /: rules\.require-lock-timeout: options must be an object$/,
    );
    rejects(
      { rules: { 'mixed-ddl-dml': ['error', {}, 'x'] } },
      /: rules\.mixed-ddl-dml: must be a severity or \[severity, \{ options \}\]$/,
    );
    assert.deepStrictEqual(
      load({ rules: { 'require-lock-timeout': ['warning', { value: '3s' }] } }).rules.get('require-lock-timeout')
        ?.options,
      { value: '3s' },
    );
  });

  it("names the key, the entry and what was expected for the config's own keys", () => {
    rejects({ format: { indent: 99 } }, /: format\.indent: must be a whole number from 1 to 8$/);
    rejects({ migrations: [{ dialect: 'mysql' }] }, /: migrations\[0\]: "path" is required$/);
    rejects(
      { connections: [{ name: 'a', url: 'mysql://a@db/a' }] },
      /: connections\[0\]\.url: must start with postgres:\/\/ or postgresql:\/\//,
    );
    rejects({ ignore: ['db/**', 7] }, /: ignore\[1\]: must be a string$/);
    rejects([], /: \(root\): must be an object$/);
  });

  it('still rejects what JSON Schema cannot say: too many glob wildcards, a password in a URL, a duplicate connection', () => {
    rejects({ auditTables: ['*a*b*c*d'] }, /: auditTables: \[0\] "\*a\*b\*c\*d" has 4 wildcards/);
    rejects(
      { connections: [{ name: 'a', url: 'postgres://a:secret@db/a' }] },
      /: connections: \[0\] "a": url must not contain a password/,
    );
    rejects(
      { connections: [{ name: 'a', url: 'postgres://a@db/a?password=secret' }] },
      /url must not contain a password/,
    );
    rejects(
      {
        connections: [
          { name: 'a', url: 'postgres://a@db/a' },
          { name: 'a', url: 'postgres://b@db/b' },
        ],
      },
      /: connections: \[1\]: duplicate name "a"/,
    );
    rejects({ connections: [], defaultConnection: 'prod' }, /: defaultConnection: names no entry of "connections"/);
  });

  it("validates the editor's rule settings with the same schema, naming where they came from", () => {
    assert.throws(
      () => defaultConfigWithRules('/project', { 'mixed-ddl-dml': 'loud' }, 'preflight.rules setting'),
      /^Error: preflight\.rules setting: rules\.mixed-ddl-dml: severity must be one of "off", "info", "warning", "error"$/,
    );
    assert.strictEqual(
      defaultConfigWithRules('/project', { 'mixed-ddl-dml': 'error' }, 'settings').rules.get('mixed-ddl-dml')?.severity,
      'error',
    );
  });
});

describe('config globs', () => {
  const root = path.join(path.sep, 'project');
  const ignoring = (...ignore: string[]) => ({ ...defaultConfig(root), ignore });
  const ignored = (glob: string, relative: string) => isIgnored(ignoring(glob), path.join(root, relative));

  it('matches ignore globs as documented: * within a segment, ** across, ? one character, case-sensitive, hidden names too', () => {
    assert.ok(ignored('legacy/*.sql', 'legacy/0001.sql'));
    assert.ok(!ignored('legacy/*.sql', 'legacy/old/0001.sql'));
    assert.ok(ignored('legacy/**', 'legacy/old/0001.sql'));
    assert.ok(ignored('**/0001.sql', '0001.sql') && ignored('**/0001.sql', 'a/b/0001.sql'));
    assert.ok(ignored('db/000?.sql', 'db/0007.sql') && !ignored('db/000?.sql', 'db/00007.sql'));
    assert.ok(!ignored('Legacy/**', 'legacy/0001.sql'));
    assert.ok(ignored('db/*', 'db/.hidden.sql'));
  });

  it('takes braces, brackets, extglobs and a leading ! in ignore globs literally', () => {
    assert.ok(ignored('db/{a,b}.sql', 'db/{a,b}.sql') && !ignored('db/{a,b}.sql', 'db/a.sql'));
    assert.ok(ignored('db/[ab].sql', 'db/[ab].sql') && !ignored('db/[ab].sql', 'db/a.sql'));
    assert.ok(ignored('db/+(a).sql', 'db/+(a).sql') && !ignored('db/+(a).sql', 'db/a.sql'));
    assert.ok(ignored('!db/a.sql', '!db/a.sql') && !ignored('!db/a.sql', 'db/b.sql'));
  });

  it('matches auditTables patterns over schema.table: * does not cross the dot, case-sensitive, no schema means any', () => {
    const config = { ...defaultConfig(root), auditTables: ['billing.*_ledger', 'Ev*', '!*_history'] };
    assert.ok(isAuditTable('billing.payment_ledger', config));
    assert.ok(!isAuditTable('billing.payment_ledger_v2', config));
    assert.ok(isAuditTable('app.Events', config) && !isAuditTable('app.events', config));
    assert.ok(!isAuditTable('public.order_history', config));
    assert.ok(isAuditTable('logs.changes', config), 'the defaults still apply');
  });

  it('refuses a glob with more wildcards than a backtracking matcher answers at once, counting repeated ** once', () => {
    const write = (json: unknown) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-globs-'));
      fs.writeFileSync(path.join(dir, '.preflightrc.json'), JSON.stringify(json));
      return path.join(dir, '.preflightrc.json');
    };
    assert.throws(
      () => loadConfigFile(write({ ignore: ['*a*a*a*b'] })),
      /ignore: \[0\] "\*a\*a\*a\*b" has 4 wildcards/,
    );
    assert.deepStrictEqual(loadConfigFile(write({ ignore: [`${'**/'.repeat(30)}*_old*.sql`] })).ignore.length, 1);
  });
});
