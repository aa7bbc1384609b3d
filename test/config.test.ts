import * as assert from 'assert';
import Ajv from 'ajv';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KNOWN_CONFIG_KEYS, defaultConfig, loadConfigFile } from '../server/src/config';
import { isIgnored } from '../server/src/resolved-config';
import { isAuditTable } from '../server/src/lint/audit-tables';
import { REPO_ROOT } from './support/paths';

describe('config JSON Schema', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'server', 'preflightrc.schema.json'), 'utf8'));

  it('documents exactly the keys the loader accepts', () => {
    assert.deepStrictEqual(Object.keys(schema.properties).sort(), [...KNOWN_CONFIG_KEYS].sort());
  });

  it('accepts the example project config and rejects an unknown key', () => {
    const validate = new Ajv({ strict: false }).compile(schema);
    const example = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', '.preflightrc.json'), 'utf8'));
    assert.ok(validate(example), JSON.stringify(validate.errors));
    assert.ok(!validate({ colour: true }));
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
    assert.throws(() => loadConfigFile(write({ ignore: ['*a*a*a*b'] })), /ignore: \[0\] "\*a\*a\*a\*b" has 4 wildcards/);
    assert.deepStrictEqual(loadConfigFile(write({ ignore: [`${'**/'.repeat(30)}*_old*.sql`] })).ignore.length, 1);
  });
});
