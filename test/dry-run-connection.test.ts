import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig } from '../server/src/config';
import type { ResolvedConfig } from '../server/src/resolved-config';
import { DryRunError } from '../server/src/dryrun';
import { DryRunTarget, ServerTarget, resolveTarget } from '../server/src/dryrun/connection';
import { scrubSecrets } from '../server/src/dryrun/errors';

function home(files: Record<string, { text: string; mode?: number }> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-home-'));
  for (const [name, { text, mode }] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), text, { mode: mode ?? 0o600 });
  return dir;
}

function withConnections(
  config: ResolvedConfig,
  connections: { name: string; url: string }[],
  defaultConnection?: string,
): ResolvedConfig {
  return { ...config, connections, defaultConnection };
}

function server(target: DryRunTarget): ServerTarget {
  assert.strictEqual(target.kind, 'server');
  return target as ServerTarget;
}

describe('dry-run connection resolution', () => {
  const config = defaultConfig(os.tmpdir());

  it('prefers --database-url, then DATABASE_URL, then PG* variables, then the default connection, then embedded', () => {
    const named = withConnections(config, [{ name: 'local', url: 'postgres://app@127.0.0.1:5433/named' }], 'local');
    const env = { DATABASE_URL: 'postgres://u@localhost/fromenv', PGHOST: '127.0.0.1', PGDATABASE: 'pgvars' };
    const homeDir = home();
    assert.strictEqual(
      server(resolveTarget({ databaseUrl: 'postgres://u@localhost/given', config: named, env, homeDir })).database,
      'given',
    );
    assert.strictEqual(server(resolveTarget({ config: named, env, homeDir })).database, 'fromenv');
    assert.strictEqual(
      server(resolveTarget({ config: named, env: { PGHOST: '127.0.0.1', PGDATABASE: 'pgvars' }, homeDir })).database,
      'pgvars',
    );
    const fromConfig = server(resolveTarget({ config: named, env: {}, homeDir }));
    assert.deepStrictEqual([fromConfig.database, fromConfig.port, fromConfig.user], ['named', 5433, 'app']);
    assert.match(fromConfig.source, /connection "local"/);
    assert.strictEqual(resolveTarget({ config, env: {}, homeDir }).kind, 'embedded');
  });

  it('takes a connection name from config as --database-url', () => {
    const named = withConnections(config, [{ name: 'staging', url: 'postgres://app@localhost/staging' }]);
    assert.strictEqual(
      server(resolveTarget({ databaseUrl: 'staging', config: named, env: {}, homeDir: home() })).database,
      'staging',
    );
    assert.throws(
      () => resolveTarget({ databaseUrl: 'prod', config: named, env: {}, homeDir: home() }),
      /known: staging/,
    );
  });

  it('fills in what the URL leaves out from PG* variables, like libpq', () => {
    const target = server(
      resolveTarget({
        databaseUrl: 'postgres://localhost/app',
        config,
        env: { PGUSER: 'deploy', PGPORT: '6543' },
        homeDir: home(),
      }),
    );
    assert.deepStrictEqual([target.user, target.port, target.database], ['deploy', 6543, 'app']);
  });

  it('reads the password from ~/.pgpass, and ignores a .pgpass other users can read', () => {
    const pgpass = { text: '# comment\nother:*:*:*:nope\nlocalhost:5432:app:deploy:s3cr\\:et\n' };
    const found = server(
      resolveTarget({
        databaseUrl: 'postgres://deploy@localhost/app',
        config,
        env: {},
        homeDir: home({ '.pgpass': pgpass }),
      }),
    );
    assert.strictEqual(found.client.password, 's3cr:et');
    assert.ok(found.secrets.includes('s3cr:et'));
    const open = server(
      resolveTarget({
        databaseUrl: 'postgres://deploy@localhost/app',
        config,
        env: {},
        homeDir: home({ '.pgpass': { ...pgpass, mode: 0o644 } }),
      }),
    );
    assert.strictEqual(open.client.password, undefined);
    assert.match(open.passwordFileProblem ?? '', /readable by other users/);
  });

  it('reads a service from the pg service file named by PGSERVICE', () => {
    const service = {
      text: '[other]\nhost=elsewhere\n\n[reporting]\nhost=127.0.0.1\nport=6000\ndbname=reports\nuser=analyst\n',
    };
    const target = server(
      resolveTarget({ config, env: { PGSERVICE: 'reporting' }, homeDir: home({ '.pg_service.conf': service }) }),
    );
    assert.deepStrictEqual(
      [target.host, target.port, target.database, target.user],
      ['127.0.0.1', 6000, 'reports', 'analyst'],
    );
    assert.match(target.source, /service "reporting"/);
    assert.throws(
      () => resolveTarget({ config, env: { PGSERVICE: 'missing' }, homeDir: home({ '.pg_service.conf': service }) }),
      /service "missing" is not defined/,
    );
  });

  it('refuses a database that is not on this machine unless allowed', () => {
    const url = 'postgres://app:hunter2-secret@db.example.com/app';
    assert.throws(
      () => resolveTarget({ databaseUrl: url, config, env: {}, homeDir: home() }),
      (error: Error) =>
        error instanceof DryRunError &&
        /--allow-remote/.test(error.message) &&
        !error.message.includes('hunter2-secret'),
    );
    assert.strictEqual(
      server(resolveTarget({ databaseUrl: url, allowRemote: true, config, env: {}, homeDir: home() })).host,
      'db.example.com',
    );
    for (const local of ['localhost', '127.0.0.1', '[::1]', '%2Fvar%2Frun%2Fpostgresql']) {
      assert.doesNotThrow(
        () => resolveTarget({ databaseUrl: `postgres://app@${local}/app`, config, env: {}, homeDir: home() }),
        local,
      );
    }
  });

  it('maps sslmode to TLS settings', () => {
    const ssl = (mode: string) =>
      server(
        resolveTarget({ databaseUrl: `postgres://localhost/app?sslmode=${mode}`, config, env: {}, homeDir: home() }),
      ).client.ssl;
    assert.strictEqual(ssl('disable'), false);
    assert.deepStrictEqual(ssl('require'), { rejectUnauthorized: false });
    assert.throws(() => ssl('sometimes'), /sslmode "sometimes"/);
  });

  it('never puts a password in an error message', () => {
    assert.throws(
      () =>
        resolveTarget({ databaseUrl: 'postgres://app:pa%20ss@localhost:99999/app', config, env: {}, homeDir: home() }),
      (error: Error) => !error.message.includes('pa ss') && !error.message.includes('pa%20ss'),
    );
    assert.strictEqual(
      scrubSecrets('failed: postgres://app:pw@host/db and pw again', ['pw']),
      'failed: postgres://app:***@host/db and *** again',
    );
  });
});
