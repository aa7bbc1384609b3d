import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { runPreflight } from './support/cli';
import { byRule, serverFor } from './support/lsp-client';
import { REPO_ROOT } from './support/paths';

/** The Tamanu case as a project: an index built on central servers only, then an UPDATE every server runs. */
const FIXTURE = path.join(REPO_ROOT, 'test', 'rules', 'unindexed-filter', 'variants-central-facility');
// The editor lints TS/JS files of a configured migration directory only: any .ts file is not a migration.
const BOTH = JSON.stringify({
  migrations: ['db'],
  variants: { central: { serverType: 'central' }, facility: { SERVER_TYPE: 'facility' } },
});
const CENTRAL_ONLY = JSON.stringify({ migrations: ['db'], variants: { central: { serverType: 'central' } } });
const UPDATE = 'db/20240103000000-bad-update-changes-everywhere.ts';

function projectFiles(): Record<string, string> {
  const files: Record<string, string> = { '.preflightrc.json': BOTH };
  for (const name of fs.readdirSync(FIXTURE).filter((n) => n.endsWith('.ts')))
    files[`db/${name}`] = fs.readFileSync(path.join(FIXTURE, name), 'utf8');
  return files;
}

describe('language server: deployment variants', function () {
  this.timeout(60_000);
  const server = serverFor(projectFiles());

  it('reports an unindexed filter on the variant without the conditional index exactly as the CLI does, and drops it when config declares central only', async () => {
    const uri = await server.client.open(path.join(server.root, UPDATE));
    const [inEditor] = byRule(
      await server.client.diagnostics(uri, (d) => byRule(d, 'unindexed-filter').length > 0),
      'unindexed-filter',
    );
    assert.match(
      inEditor.message as string,
      /^on variant facility: UPDATE logs\.changes filters rows that no index can find/,
    );

    const cli = runPreflight(['lint', UPDATE, '--format', 'json'], { cwd: server.root });
    const inCi = JSON.parse(cli.stdout).files[0].diagnostics.filter(
      (d: { rule: string }) => d.rule === 'unindexed-filter',
    );
    assert.deepStrictEqual(
      inCi.map((d: { message: string }) => d.message),
      [inEditor.message],
    );

    const config = path.join(server.root, '.preflightrc.json');
    fs.writeFileSync(config, CENTRAL_ONLY);
    await server.client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(config).href, type: FileChangeType.Changed }],
    });
    await server.client.diagnostics(uri, (d) => byRule(d, 'unindexed-filter').length === 0);
    const cliAfter = JSON.parse(runPreflight(['lint', UPDATE, '--format', 'json'], { cwd: server.root }).stdout);
    assert.deepStrictEqual(
      cliAfter.files[0].diagnostics.filter((d: { rule: string }) => d.rule === 'unindexed-filter'),
      [],
    );
  });
});
