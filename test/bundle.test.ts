import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { allRules } from '../server/src/lint/registry';
import { packagedFiles } from './support/packaged-files';
import { REPO_ROOT } from './support/paths';
import { connectionUrl, freshDatabase } from './support/postgres';
import { setUp } from './support/dry-run';
import type { DryRunReport } from '../server/src/dryrun';

/**
 * The esbuild bundle the extension ships (scripts/bundle.js): dist/server.js must be the same CLI as the
 * compiled one — every rule registered without a rules folder to list, the parser's .wasm found next to
 * it, TS/JS migrations parsed, the package root (package.json, docs/rules) one folder up.
 */
describe('bundle', function () {
  this.timeout(120_000);
  const server = path.join(REPO_ROOT, 'dist', 'server.js');
  // Run from elsewhere: nothing may resolve relative to the working directory.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-bundle-'));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [server, ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '' },
    });

  before(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { bundle } = require(path.join(REPO_ROOT, 'scripts', 'bundle.js')) as { bundle: () => Promise<void> };
    await bundle();
  });

  after(() => fs.rmSync(cwd, { recursive: true, force: true }));

  it('registers every rule in server/src/rules', () => {
    const result = run('rules', '--format', 'json');
    assert.strictEqual(result.status, 0, result.stderr);
    const ids = (JSON.parse(result.stdout) as { id: string }[]).map((rule) => rule.id);
    assert.deepStrictEqual(ids, [...allRules().keys()]);
  });

  /** Lints a project of `migrations/` files with the bundled CLI: the rules reported, by file name. */
  function lintMigrations(
    name: string,
    files: Record<string, string>,
  ): { rules: Record<string, string[]>; stdout: string } {
    const project = path.join(cwd, name);
    fs.mkdirSync(path.join(project, 'migrations'), { recursive: true });
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(project, 'migrations', file), text);
    const result = run('lint', '--format', 'json', project);
    assert.strictEqual(result.status !== null && result.status <= 1, true, result.stderr);
    const report = JSON.parse(result.stdout) as { files: { path: string; diagnostics: { rule: string }[] }[] };
    const rules = Object.fromEntries(
      report.files.map((file) => [path.basename(file.path), file.diagnostics.map((d) => d.rule)]),
    );
    return { rules, stdout: result.stdout };
  }

  it('lints SQL and TS/JS migrations with the bundled parser', () => {
    const { rules, stdout } = lintMigrations('project', {
      '0001_backfill.sql': 'ALTER TABLE plans ADD COLUMN tier int;\nUPDATE plans SET tier = 1;\n',
      '0002_backfill.js':
        "module.exports = { async up(queryInterface) {\n  await queryInterface.sequelize.query('ALTER TABLE plans ADD COLUMN note text; UPDATE plans SET note = 1');\n} };\n",
    });
    assert.ok(rules['0001_backfill.sql']?.includes('mixed-ddl-dml'), stdout);
    assert.ok(rules['0002_backfill.js']?.includes('mixed-ddl-dml'), stdout);
  });

  it("reads knex and Sequelize schema calls with the frameworks' own generators bundled in", () => {
    const { rules, stdout } = lintMigrations('orm-project', {
      '0001_index.js':
        "exports.up = (knex) => knex.schema.alterTable('plans', (t) => { t.dropColumn('legacy'); });\nexports.down = () => {};\n",
      '0002_rename.js':
        "module.exports = { async up(queryInterface) {\n  await queryInterface.renameColumn('plans', 'tier', 'level');\n} };\n",
    });
    assert.ok(rules['0001_index.js']?.includes('ban-drop-column'), stdout);
    assert.ok(rules['0002_rename.js']?.includes('renaming-column'), stdout);
  });

  // Installed from the universal .vsix, dist/server.js has no node_modules above it (the repository's own are found
  // from dist/ here): the bundle must never need what it requires at run time by a computed name (pg, by Sequelize's
  // postgres dialect), and the frameworks' own files must ship beside it.
  it("writes the SQL of knex and Sequelize calls from the .vsix's files alone, with no node_modules above them", async () => {
    const installed = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-installed-'));
    for (const file of [...(await packagedFiles()).filter((f) => f.startsWith('dist/')), 'package.json'])
      fs.cpSync(path.join(REPO_ROOT, file), path.join(installed, file));
    const project = path.join(installed, 'project');
    fs.mkdirSync(path.join(project, 'migrations'), { recursive: true });
    fs.writeFileSync(
      path.join(project, 'migrations', '20240101000000-rename.js'),
      "module.exports = { async up(queryInterface) {\n  await queryInterface.renameColumn('plans', 'tier', 'level');\n} };\n",
    );
    fs.writeFileSync(
      path.join(project, 'migrations', '20240102000000-drop.js'),
      "exports.up = (knex) => knex.schema.alterTable('plans', (t) => { t.dropColumn('legacy'); });\n",
    );
    const result = spawnSync(
      process.execPath,
      [path.join(installed, 'dist', 'server.js'), 'lint', '--format', 'json', project],
      { cwd, encoding: 'utf8' },
    );
    fs.rmSync(installed, { recursive: true, force: true });
    const report = JSON.parse(result.stdout) as { files: { diagnostics: { rule: string }[] }[] };
    assert.deepStrictEqual(
      report.files.map((file) => file.diagnostics.map((d) => d.rule)),
      [
        ['renaming-column', 'require-lock-timeout'],
        ['ban-drop-column', 'require-lock-timeout'],
      ],
      result.stderr,
    );
  });

  /** The file names of the modules a node process with `args` loaded, as it exits. */
  function modulesLoadedBy(args: string[]): string[] {
    const printLoaded = path.join(cwd, 'print-loaded.js');
    fs.writeFileSync(
      printLoaded,
      "process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache))));\n",
    );
    const result = spawnSync(process.execPath, ['--require', printLoaded, ...args], { cwd, encoding: 'utf8' });
    return (JSON.parse(result.stderr) as string[]).map((file) => path.basename(file));
  }

  // Inside dist/server.js their ~2 MB were parsed at every start of the server, of a lint thread and of a CLI run.
  it('loads knex and Sequelize from their own files beside dist/server.js, only for a file that calls them', () => {
    const frameworksLoadedByLint = (name: string, files: Record<string, string>): string[] => {
      const project = path.join(cwd, name);
      fs.mkdirSync(path.join(project, 'migrations'), { recursive: true });
      for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(project, 'migrations', file), text);
      return modulesLoadedBy([server, 'lint', project]).filter((f) => f.startsWith('orm-'));
    };
    assert.deepStrictEqual(frameworksLoadedByLint('sql-only', { '0001_a.sql': 'CREATE TABLE a (id int);\n' }), []);
    assert.deepStrictEqual(
      frameworksLoadedByLint('knex-only', {
        '20240101_drop.js':
          "exports.up = (knex) => knex.schema.alterTable('plans', (t) => { t.dropColumn('legacy'); });\n",
      }),
      ['orm-knex.js'],
    );
  });

  // Inside dist/typescript-register.js the compiler's 4 MB were parsed at the start of every program a dry-run ran.
  it('loads the TypeScript compiler from its own file beside the preload, only for a TypeScript program', () => {
    const preload = path.join(REPO_ROOT, 'dist', 'typescript-register.js');
    const compilerLoadedFor = (file: string, text: string): string[] => {
      fs.writeFileSync(path.join(cwd, file), text);
      return modulesLoadedBy(['--require', preload, path.join(cwd, file)]).filter((f) => f === 'typescript.js');
    };
    assert.deepStrictEqual(compilerLoadedFor('plain.js', 'console.log(1);\n'), []);
    assert.deepStrictEqual(compilerLoadedFor('typed.ts', 'const n: number = 1;\nconsole.log(n);\n'), ['typescript.js']);
  });

  it('validates a config with the schema validator bundled in, as the compiled CLI does', () => {
    const project = path.join(cwd, 'configured');
    fs.mkdirSync(project, { recursive: true });
    fs.writeFileSync(
      path.join(project, '.preflightrc.json'),
      JSON.stringify({ rules: { 'require-lock-timeout': ['warning', { value: 5 }] } }),
    );
    fs.writeFileSync(path.join(project, 'one.sql'), 'SELECT 1;\n');
    const result = run('lint', path.join(project, 'one.sql'));
    assert.strictEqual(result.status, 2, result.stdout);
    assert.match(result.stderr, /\.preflightrc\.json: rules\.require-lock-timeout\.value: must be a string\n$/);
  });

  it('ships every file the bundle writes to dist/, the TypeScript preload and the framework runner a dry-run runs under included', async () => {
    const shipped = new Set(await packagedFiles());
    const built = fs
      .readdirSync(path.join(REPO_ROOT, 'dist'))
      .filter((name) => !name.endsWith('.vsix'))
      .map((name) => `dist/${name}`);
    for (const file of ['dist/typescript-register.js', 'dist/framework-runner.js'])
      assert.ok(built.includes(file), built.join(', '));
    assert.deepStrictEqual(
      built.filter((file) => !shipped.has(file)),
      [],
    );
  });

  it("runs a Knex migration through the project's knex from the bundled CLI, with the runner and the TypeScript preload beside dist/server.js", async () => {
    const database = await freshDatabase('bundle');
    await setUp(
      database,
      'CREATE TABLE parents (id int PRIMARY KEY); CREATE TABLE children (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parents (id));',
    );
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-bundle-knex-'));
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(project, 'node_modules'));
    const migration = path.join(project, '20240102_children_first.ts');
    fs.writeFileSync(
      migration,
      "import type { Knex } from 'knex';\nexport async function up(knex: Knex): Promise<void> {\n  await knex('children').insert({ id: 1, parent_id: 1 });\n}\n",
    );
    const result = run('dry-run', '--database-url', connectionUrl(database), '--format', 'json', migration);
    assert.strictEqual(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as DryRunReport;
    assert.deepStrictEqual(
      report.statements.filter((s) => s.status === 'error').map((s) => [s.error?.code, s.line]),
      [['23503', 3]],
    );
  });

  it('finds the package root next to dist/ (the version in reports comes from its package.json)', () => {
    const file = path.join(cwd, 'one.sql');
    fs.writeFileSync(file, 'SELECT 1;\n');
    const result = run('lint', '--format', 'sarif', file);
    assert.strictEqual(result.status, 0, result.stderr);
    const version = (JSON.parse(result.stdout) as { runs: { tool: { driver: { version: string } } }[] }).runs[0].tool
      .driver.version;
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.strictEqual(version, manifest.version);
  });
});

/**
 * The README and CHANGELOG are what the Extensions page shows, rendered from the installed .vsix: a relative link
 * there opens the file inside the extension (the manifest names no repository to rewrite links against, as there is
 * no public one — docs/packaging.md), so every relative link and picture must be a file the package ships.
 */
describe('the packaged README and CHANGELOG', () => {
  /** The anchor VS Code's Markdown preview (and GitHub) gives a heading. */
  const slug = (heading: string) =>
    heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s-]/gu, '')
      .replace(/\s/g, '-');
  const headings = (file: string) =>
    new Set(
      [...fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) =>
        slug(match[1]),
      ),
    );

  for (const page of ['README.md', 'CHANGELOG.md']) {
    it(`${page} links only to files the .vsix ships, and to headings they have`, async () => {
      const shipped = new Set(await packagedFiles());
      assert.ok(shipped.has(page), `${page} is not packaged`);
      const text = fs.readFileSync(path.join(REPO_ROOT, page), 'utf8');
      const broken: string[] = [];
      for (const [, target] of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue;
        const [file, anchor] = target.split('#');
        const relative = file ? path.posix.normalize(path.posix.join(path.posix.dirname(page), file)) : page;
        if (!shipped.has(relative)) broken.push(`${target}: not in the package`);
        else if (anchor && !headings(relative).has(anchor)) broken.push(`${target}: no such heading`);
      }
      assert.deepStrictEqual(broken, []);
    });
  }
});
