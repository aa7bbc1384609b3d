import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig } from '../server/src/config';
import { initEngine } from '../server/src/lint/engine';
import { parseMigration } from '../server/src/parse/migration';
import { splitSql } from '../server/src/parse/splitter';
import { embeddedOnlyEnv } from './support/cli';
import { RULE_FAILURE, assertLintsBytesCleanly, assertLintsCleanly } from './support/lint-clean';
import { CLI, REPO_ROOT } from './support/paths';

/**
 * Each bad input gets a result — diagnostics, or one clear problem for the file — without an exception,
 * within 5 s (the mocha timeout of each test: a hang or a quadratic blow-up fails it). Then all of them go
 * through one CLI run together with a good migration, which must still be reported.
 */
const config = defaultConfig(REPO_ROOT);
const PER_INPUT_MS = 5000;

const MIXED = "ALTER TABLE plans ADD COLUMN tier text;\nUPDATE plans SET tier = 'basic';\n";

interface BadInput {
  name: string;
  bytes: () => Buffer;
  /**
   * A rule whose finding shows the SQL was read; the problem that kept the file from being linted; or
   * 'linted' when what the file yields does not matter, only that it was linted.
   */
  expect: { rule: string } | { problem: RegExp } | 'linted';
}

const text = (s: string) => () => Buffer.from(s, 'utf8');

const BAD_INPUTS: BadInput[] = [
  {
    name: 'ts-type-errors.ts',
    bytes: text(
      "import { Knex } from 'knex';\nconst retries: number = 'three';\nexport async function up(knex: Knex): Promise<string> {\n" +
        "  await knex.raw('ALTER TABLE plans ADD COLUMN tier text');\n  await knex.raw(\"UPDATE plans SET tier = 'basic'\");\n  return undefinedThing.nope;\n}\n",
    ),
    expect: { rule: 'mixed-ddl-dml' },
  },
  {
    name: 'ts-syntax-errors.ts',
    bytes: text(
      "<<<<<<< HEAD\nexport async function up(knex) {\n  await knex.raw('DROP TABLE plans'\n=======\nexport async function up(knex) {{{\n" +
        '  await knex.raw(`DELETE FROM plans`);\n>>>>>>> feature\n  if (x) { ) ] }\nclass { constructor( }\n',
    ),
    // What survives the conflict markers: the first side's DROP TABLE.
    expect: { rule: 'ban-drop-table' },
  },
  {
    name: 'ts-unterminated-template.ts',
    bytes: text('export async function up(knex) {\n  await knex.raw(`UPDATE plans SET tier = 1\n'),
    expect: 'linted',
  },
  {
    name: 'js-unterminated-string.js',
    bytes: text("exports.up = (knex) => knex.raw('ALTER TABLE plans ADD COLUMN x int;\n"),
    expect: 'linted',
  },
  {
    name: 'js-not-javascript.js',
    bytes: text('def up(db):\n    db.execute("DROP TABLE plans")\n\nif __name__ == "__main__":\n    up(None)\n'),
    expect: 'linted',
  },
  {
    name: 'nul-in-sql.sql',
    bytes: text('SELECT 1;\0\nUPDATE plans SET tier = 1;\n'),
    expect: { problem: /binary file \(contains NUL bytes\)/ },
  },
  {
    name: 'nul-in-ts.ts',
    bytes: text("export async function up(knex) { await knex.raw('SELECT \0'); }\n"),
    expect: { problem: /binary file/ },
  },
  {
    name: 'huge-50mb.sql',
    bytes: () => Buffer.alloc(50 * 1024 * 1024, 'UPDATE plans SET tier = 1;\n'),
    expect: { problem: /too large to lint \(50\.0 MB/ },
  },
  {
    name: 'png.sql',
    bytes: () =>
      Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
        Buffer.from('IHDR'),
      ]),
    expect: { problem: /binary file/ },
  },
  {
    name: 'elf.js',
    bytes: () => Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]),
    expect: { problem: /binary file/ },
  },
  {
    name: 'utf16.sql',
    bytes: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('SELECT 1;\n', 'utf16le')]),
    expect: { problem: /binary file/ },
  },
  {
    name: 'latin1.sql',
    bytes: () => Buffer.from("UPDATE plans SET tier = 'caf\xe9';\n", 'latin1'),
    expect: { problem: /not valid UTF-8/ },
  },
  // Regressions: each of these once threw or took minutes.
  {
    name: 'sixteen-thousand-statements.sql',
    bytes: text(
      'ALTER TABLE plans ADD COLUMN tier text;\n' + "UPDATE plans SET tier = 'basic' WHERE id = 1;\n".repeat(16_000),
    ),
    expect: { rule: 'mixed-ddl-dml' },
  },
  {
    name: 'do-block-3000-nested-ifs.sql',
    bytes: text(
      `DO $$ BEGIN ${'IF true THEN '.repeat(3000)}UPDATE plans SET tier = 1;${' END IF;'.repeat(3000)} END $$;\n`,
    ),
    expect: { rule: 'unbatched-backfill' },
  },
  {
    name: 'ts-20000-concatenations.ts',
    bytes: text(
      `export async function up(knex) {\n  await knex.raw(${"'UPDATE plans SET tier = 1 ' +\n".repeat(20_000)}'');\n}\n`,
    ),
    expect: 'linted',
  },
  {
    name: 'three-mb-string.sql',
    bytes: text(`INSERT INTO notes VALUES ('${'x'.repeat(3 * 1024 * 1024)}');\n`),
    expect: 'linted',
  },
];

/** Openers of quoted text that may never be closed, and what the parse error says about them. */
const UNTERMINATED: [string, RegExp][] = [
  ["SELECT 'abc", /unterminated string literal/],
  ["SELECT E'abc\\'", /unterminated string literal/],
  ['SELECT "abc', /unterminated quoted identifier/],
  ['SELECT $$abc', /unterminated dollar quote \$\$/],
  ['CREATE FUNCTION f() RETURNS void AS $body$ BEGIN', /unterminated dollar quote \$body\$/],
  ['SELECT 1 /* abc', /unterminated comment/],
  ['SELECT 1 /* outer /* inner */ abc', /unterminated comment/],
  ["SELECT U&'d\\0061t", /unterminated string literal/],
  ["SELECT B'0101", /unterminated string literal/],
  ["SELECT X'1F", /unterminated string literal/],
];

function diagnosticsMatch(diagnostics: { rule: string; message: string }[], expect: BadInput['expect']): boolean {
  const unreadable = diagnostics.filter(
    (d) => d.rule === 'parse-error' && /binary file|not valid UTF-8|too large/.test(d.message),
  );
  if (expect === 'linted') return unreadable.length === 0;
  if ('rule' in expect) return diagnostics.some((d) => d.rule === expect.rule);
  return diagnostics.length === 1 && unreadable.length === 1 && expect.problem.test(unreadable[0].message);
}

describe('bad input (engine and CLI)', function () {
  this.timeout(PER_INPUT_MS);
  before(async function () {
    this.timeout(60_000);
    await initEngine();
  });

  for (const input of BAD_INPUTS) {
    it(`gets a result for ${input.name}`, () => {
      const diagnostics = assertLintsBytesCleanly(`/bad-input/migrations/${input.name}`, input.bytes(), config);
      assert.ok(
        diagnosticsMatch(diagnostics, input.expect),
        `${input.name}: ${JSON.stringify(diagnostics.map((d) => [d.rule, d.message.slice(0, 120)]))}`,
      );
    });
  }

  for (const [sql, message] of UNTERMINATED) {
    it(`reports ${JSON.stringify(sql)} as unterminated and still checks the statement before it`, () => {
      const source = `UPDATE plans SET tier = 1;\n${sql}\n`;
      const diagnostics = assertLintsCleanly('/bad-input/unterminated.sql', source, config);
      const error = diagnostics.find((d) => d.rule === 'parse-error');
      assert.match(error?.message ?? '', message);
      assert.ok(error!.span.start > source.indexOf('\n'), 'the error is on the second statement');
      assert.ok(
        diagnostics.some((d) => d.rule === 'unbatched-backfill'),
        'the first statement was linted',
      );
    });
  }

  // A migration cut off anywhere inside a statement: each cut is linted; the statements before it keep their meaning.
  const example = fs.readFileSync(path.join(REPO_ROOT, 'examples/migrations/0003_dedupe_patients.sql'), 'utf8');
  const exampleSpans = splitSql(example, { psql: true }).chunks.map((chunk) => chunk.span);
  for (const [index, span] of exampleSpans.entries()) {
    it(`lints the example migration truncated at every token of its statement ${index + 1}`, () => {
      const exampleStatements = parseMigration('/example.sql', example).statements;
      const cuts = [...example.slice(span.start, span.end).matchAll(/\s+|[(),;]/g)].map((m) => span.start + m.index!);
      for (const cut of [span.start + 1, ...cuts]) {
        const truncated = example.slice(0, cut);
        assertLintsCleanly('/bad-input/truncated.sql', truncated, config);
        const before = parseMigration('/bad-input/truncated.sql', truncated).statements.slice(0, index);
        assert.deepStrictEqual(
          before.map((s) => s.type),
          exampleStatements.slice(0, index).map((s) => s.type),
          `cut at ${cut}`,
        );
      }
    });
  }

  it('reports every file of one CLI run — the bad ones with their problem, the good one with its findings', async function () {
    this.timeout(BAD_INPUTS.length * PER_INPUT_MS);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-bad-input-'));
    try {
      for (const [i, input] of BAD_INPUTS.entries())
        fs.writeFileSync(path.join(dir, `${String(i + 1).padStart(4, '0')}_${input.name}`), input.bytes());
      // Last, so that the schema replay for it reads every bad file before it.
      fs.writeFileSync(path.join(dir, '9999_good.sql'), MIXED);
      const child = spawn(process.execPath, [CLI, 'lint', dir, '--format', 'json'], {
        cwd: dir,
        env: { ...embeddedOnlyEnv(), NO_COLOR: '1' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.strictEqual(code, 1, stderr);
      assert.ok(!/\n\s+at /.test(stderr), `stack trace on stderr:\n${stderr}`);
      const report = JSON.parse(stdout) as {
        files: { path: string; diagnostics: { rule: string; message: string }[] }[];
      };
      const byName = new Map(report.files.map((f) => [path.basename(f.path).replace(/^\d{4}_/, ''), f.diagnostics]));
      assert.deepStrictEqual([...byName.keys()].sort(), [...BAD_INPUTS.map((input) => input.name), 'good.sql'].sort());
      for (const input of BAD_INPUTS) {
        const diagnostics = byName.get(input.name)!;
        assert.ok(
          !diagnostics.some((d) => RULE_FAILURE.test(d.message)),
          `${input.name}: ${JSON.stringify(diagnostics)}`,
        );
        assert.ok(
          diagnosticsMatch(diagnostics, input.expect),
          `${input.name}: ${JSON.stringify(diagnostics.map((d) => [d.rule, d.message.slice(0, 120)]))}`,
        );
      }
      assert.ok(byName.get('good.sql')!.some((d) => d.rule === 'mixed-ddl-dml'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
