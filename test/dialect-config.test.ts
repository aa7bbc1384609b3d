import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, loadConfigFile } from '../server/src/config';
import { dialectOf } from '../server/src/resolved-config';
import { DIALECTS } from '../server/src/parse/dialect';
import { REPO_ROOT } from './support/paths';

describe('config: dialect per migration directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-dialect-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function load(config: unknown) {
    const file = path.join(dir, '.preflightrc.json');
    fs.writeFileSync(file, JSON.stringify(config));
    return loadConfigFile(file);
  }

  it('gives each file the dialect of the most specific migration directory, PostgreSQL elsewhere', () => {
    const config = load({
      migrations: [{ path: 'db', dialect: 'mysql' }, { path: 'db/maria', dialect: 'mariadb' }, 'pg'],
    });
    assert.strictEqual(dialectOf(config, path.join(dir, 'db', '0001_a.sql')), 'mysql');
    assert.strictEqual(dialectOf(config, path.join(dir, 'db', 'maria', '0001_a.sql')), 'mariadb');
    assert.strictEqual(dialectOf(config, path.join(dir, 'pg', '0001_a.sql')), 'postgresql');
    assert.strictEqual(dialectOf(config, path.join(dir, 'scripts', 'x.sql')), 'postgresql');
  });

  it('rejects an unknown dialect with a message naming the allowed ones', () => {
    assert.throws(
      () => load({ migrations: [{ path: 'db', dialect: 'oracle' }] }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /migrations\[0\]\.dialect: must be one of "postgresql", "mysql", "mariadb"/.test(error.message),
    );
  });

  it('is documented in the JSON Schema with the values the loader accepts', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'server', 'preflightrc.schema.json'), 'utf8'));
    const entry = schema.properties.migrations.items.else;
    assert.deepStrictEqual(entry.properties.dialect.enum, [...DIALECTS]);
  });
});
