import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runPreflight } from './support/cli';
import { LspTestClient, byRule, serverFor } from './support/lsp-client';
import { REPO_ROOT } from './support/paths';

/** The README's example: a seed script outside any migration folder, taking a session lock through a pg Pool. */
const RESET_DEMO_DATA = fs.readFileSync(path.join(REPO_ROOT, 'examples', 'scripts', 'reset-demo-data.js'), 'utf8');

/** A monorepo's seed with postgres-js under the name `client`. */
const POSTGRES_JS_SEED = `import postgres from 'postgres';

const client = postgres(process.env.DATABASE_URL!, { max: 10 });

export async function seed(): Promise<void> {
  await client\`SELECT pg_advisory_lock(7)\`;
  await client\`SELECT pg_advisory_unlock(7)\`;
}
`;

/** Application code: SQL-looking calls, but no database client imported. */
const APPLICATION_CODE = `import { EventEmitter } from 'events';

export class Jobs extends EventEmitter {
  async run(client: { query(sql: string): Promise<void> }): Promise<void> {
    await client.query('SELECT pg_advisory_lock(1)');
  }
}
`;

interface JsonFinding {
  rule: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** `preflight lint --format json` on files or folders: per file, `rule line:column-endLine:endColumn` per finding. */
function cliReport(target: string): Map<string, string[]> {
  const run = runPreflight(['lint', '--format', 'json', target]);
  const report = JSON.parse(run.stdout) as { files: { path: string; diagnostics: JsonFinding[] }[] };
  return new Map(
    report.files.map((f) => [
      path.resolve(f.path),
      f.diagnostics.map((d) => `${d.rule} ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`),
    ]),
  );
}

function cliFindings(file: string): string[] {
  return [...cliReport(file).values()][0];
}

function editorFindings(
  diagnostics: {
    code?: number | string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
  }[],
): string[] {
  return diagnostics.map(
    (d) =>
      `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`,
  );
}

/** An independent reading of "imports a database client": the driver and ORM imports the fixtures use. */
const IMPORTS_DATABASE_CLIENT =
  /(?:from\s+|require\(\s*)['"](?:pg|postgres|knex|sequelize|typeorm|slonik|mysql2(?:\/promise)?|kysely|drizzle-orm(?:\/[\w-]+)?|@prisma\/client|@mikro-orm\/[\w-]+)['"]/;

describe('language server: TS/JS files that talk to a database', function () {
  this.timeout(30_000);
  const server = serverFor({
    'scripts/reset-demo-data.js': RESET_DEMO_DATA,
    'packages/db/src/seed.ts': POSTGRES_JS_SEED,
    'src/jobs.ts': APPLICATION_CODE,
  });

  it("shows the README example script's pooled-advisory-lock error, exactly as the CLI reports it", async () => {
    const file = path.join(server.root, 'scripts/reset-demo-data.js');
    const uri = await server.client.open(file);
    const editor = await server.client.diagnostics(uri, (d) => byRule(d, 'pooled-advisory-lock').length > 0);
    assert.strictEqual(byRule(editor, 'pooled-advisory-lock').length, 1);
    assert.deepStrictEqual(editorFindings(editor), cliFindings(file));
  });

  it('lints a seed that imports postgres-js outside any migration folder, with no configuration', async () => {
    const file = path.join(server.root, 'packages/db/src/seed.ts');
    const uri = await server.client.open(file);
    const editor = await server.client.diagnostics(uri, (d) => byRule(d, 'pooled-advisory-lock').length > 0);
    assert.deepStrictEqual(
      editor.map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1}`),
      cliFindings(file).map((finding) => finding.replace(/-\d+:\d+$/, '')),
    );
  });

  it('leaves a TS file that imports no database client alone outside migration folders', async () => {
    const uri = await server.client.open(path.join(server.root, 'src/jobs.ts'));
    // A later document's diagnostics arriving proves the server handled the earlier open.
    const marker = await server.client.open(path.join(server.root, 'db/0001_marker.sql'), 'SELECT 1;\n');
    await server.client.diagnostics(marker);
    assert.ok(!server.client.published.some((p) => p.uri === uri), 'application code got diagnostics');
  });
});

describe('language server: the same findings as the CLI on every rule fixture it lints', function () {
  this.timeout(300_000);

  it('publishes exactly what `preflight lint` reports for each fixture, and lints every .sql fixture and every TS/JS fixture that imports a database client', async () => {
    const root = path.join(REPO_ROOT, 'test', 'rules');
    const cli = cliReport(root);
    const client = await LspTestClient.start(root);
    const mismatches: string[] = [];
    const unlinted: string[] = [];
    try {
      let markers = 0;
      for (const [file, expected] of [...cli].sort(([a], [b]) => a.localeCompare(b))) {
        const uri = await client.open(file);
        // A later document's diagnostics arriving proves the server handled the earlier open.
        const marker = await client.open(path.join(root, `marker-${markers++}.sql`), 'SELECT 1;\n');
        await client.diagnostics(marker);
        const published = [...client.published].reverse().find((p) => p.uri === uri);
        const mustLint = file.endsWith('.sql') || IMPORTS_DATABASE_CLIENT.test(fs.readFileSync(file, 'utf8'));
        if (!published) {
          if (mustLint) unlinted.push(path.relative(root, file));
        } else if (JSON.stringify(editorFindings(published.diagnostics)) !== JSON.stringify(expected)) {
          mismatches.push(
            `${path.relative(root, file)}: editor ${JSON.stringify(editorFindings(published.diagnostics))}, CLI ${JSON.stringify(expected)}`,
          );
        }
        await client.close(uri);
        await client.close(marker);
      }
    } finally {
      await client.stop();
    }
    assert.deepStrictEqual(unlinted, []);
    assert.deepStrictEqual(mismatches, []);
  });
});
