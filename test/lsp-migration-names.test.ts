import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { initEngine } from '../server/src/lint/engine';
import { parseMigrationName } from '../server/src/rules/mixed-ddl-dml/migration-names';
import { planMigrationSplit } from '../server/src/rules/mixed-ddl-dml/split';
import { parseMigration } from '../server/src/parse/migration';

/** The names the split gives `count` new migrations after `name`, with `next` the next existing version. */
function following(name: string, count: number, next?: string, byName?: boolean): string[] | undefined {
  const parsed = parseMigrationName(name)!;
  return parsed.following(count, next, byName)?.map((version, i) => parsed.format(version, `${parsed.label}_${i + 1}`));
}

describe('migration names for split migrations', () => {
  it('counts on in a zero-padded sequence and stops before the next migration', () => {
    assert.deepStrictEqual(following('0007_add_note.sql', 2), ['0008_add_note_1.sql', '0009_add_note_2.sql']);
    assert.deepStrictEqual(following('000007_add_note.up.sql', 1), ['000008_add_note_1.up.sql']);
    assert.deepStrictEqual(following('0007_add_note.sql', 2, '0010'), ['0008_add_note_1.sql', '0009_add_note_2.sql']);
    assert.strictEqual(following('0007_add_note.sql', 2, '0009'), undefined);
  });

  it('takes letters after a sequence number with no free number when the runner orders files by name', () => {
    assert.deepStrictEqual(following('0003_dedupe.sql', 2, '0004', true), ['0003a_dedupe_1.sql', '0003b_dedupe_2.sql']);
    assert.deepStrictEqual(['0004_x.sql', '0003b_dedupe_2.sql', '0003_dedupe.sql', '0003a_dedupe_1.sql'].sort(), [
      '0003_dedupe.sql',
      '0003a_dedupe_1.sql',
      '0003b_dedupe_2.sql',
      '0004_x.sql',
    ]);
    assert.strictEqual(
      following('20240101120000_add_note.sql', 1, '20240101120001', true),
      undefined,
      'a timestamp with a letter is no timestamp',
    );
  });

  it('adds seconds to YYYYMMDDHHMMSS timestamps, carrying into minutes, days and years', () => {
    assert.deepStrictEqual(following('20231231235959-add-note.js', 2), [
      '20240101000000-add-note_1.js',
      '20240101000001-add-note_2.js',
    ]);
    assert.deepStrictEqual(following('20240101120000_add_note.ts', 1, '20240101120005'), [
      '20240101120001_add_note_1.ts',
    ]);
  });

  it('adds milliseconds to epoch versions (node-pg-migrate, TypeORM)', () => {
    assert.deepStrictEqual(following('1700000000000_add-note.js', 1), ['1700000000001_add-note_1.js']);
    assert.deepStrictEqual(following('1700000000000-AddNote.ts', 1), ['1700000000001-AddNote_1.ts']);
  });

  it('bumps Flyway versions, or nests them when the next version is taken', () => {
    assert.deepStrictEqual(following('V7__add_note.sql', 1), ['V8__add_note_1.sql']);
    assert.deepStrictEqual(following('V7__add_note.sql', 2, '8'), ['V7_1__add_note_1.sql', 'V7_2__add_note_2.sql']);
    assert.deepStrictEqual(following('V7.1__add_note.sql', 1, '7.2'), ['V7.1.1__add_note_1.sql']);
  });

  it('names nothing without a version', () => {
    assert.strictEqual(parseMigrationName('add_note.sql'), undefined);
  });
});

describe('split migration plan', () => {
  before(() => initEngine());

  const MIXED =
    "ALTER TABLE plans ADD COLUMN note text;\nUPDATE plans SET note = '';\nALTER TABLE plans ALTER COLUMN note SET NOT NULL;\n";

  it('puts Prisma-style parts in new migration folders', () => {
    const file = path.join('/project', 'prisma', 'migrations', '20240101120000_add_note', 'migration.sql');
    const plan = planMigrationSplit(parseMigration(file, MIXED), () => [
      '20240101120000_add_note',
      'migration_lock.toml',
    ]);
    assert.ok('files' in plan, JSON.stringify(plan));
    assert.deepStrictEqual(
      plan.files.map((part) => [path.relative('/project/prisma/migrations', part.path), part.kind]),
      [
        ['20240101120000_add_note/migration.sql', 'ddl'],
        ['20240101120001_add_note_data/migration.sql', 'dml'],
        ['20240101120002_add_note_schema/migration.sql', 'ddl'],
      ],
    );
  });

  it('keeps a seed with the table it fills and a BEGIN/COMMIT wrapping in every part', () => {
    const text =
      'BEGIN;\nCREATE TABLE tiers (id int PRIMARY KEY);\nINSERT INTO tiers VALUES (1);\nUPDATE plans SET tier = 1;\nCOMMIT;\n';
    const plan = planMigrationSplit(parseMigration('/db/0003_tiers.sql', text), () => []);
    assert.ok('files' in plan, JSON.stringify(plan));
    assert.deepStrictEqual(
      plan.files.map((part) => part.text),
      [
        'BEGIN;\nCREATE TABLE tiers (id int PRIMARY KEY);\nINSERT INTO tiers VALUES (1);\nCOMMIT;\n',
        'BEGIN;\nUPDATE plans SET tier = 1;\nCOMMIT;\n',
      ],
    );
  });

  it('keeps a TEMP staging table with the data change that reads it, as mixed-ddl-dml counts it as neither DDL nor DML', () => {
    const text =
      'ALTER TABLE plans ADD COLUMN note text;\nCREATE TEMP TABLE staging (id int, note text);\n' +
      "INSERT INTO staging VALUES (1, 'x');\nUPDATE plans SET note = staging.note FROM staging WHERE plans.id = staging.id;\n";
    const plan = planMigrationSplit(parseMigration('/db/0003_notes.sql', text), () => []);
    assert.ok('files' in plan, JSON.stringify(plan));
    assert.deepStrictEqual(
      plan.files.map((part) => part.text),
      [
        'ALTER TABLE plans ADD COLUMN note text;\n',
        "CREATE TEMP TABLE staging (id int, note text);\nINSERT INTO staging VALUES (1, 'x');\nUPDATE plans SET note = staging.note FROM staging WHERE plans.id = staging.id;\n",
      ],
    );
  });

  it('refuses files it cannot split faithfully, saying why', () => {
    const problem = (file: string, text: string) => {
      const plan = planMigrationSplit(parseMigration(file, text), () => []);
      return 'problem' in plan ? plan.problem : 'split';
    };
    assert.match(
      problem('/db/0001_x.sql', `-- migrate:up\n${MIXED}-- migrate:down\nALTER TABLE plans DROP COLUMN note;\n`),
      /up and down sections/,
    );
    assert.match(problem('/db/0001_x.sql', `BEGIN;\n${MIXED}COMMIT;\nBEGIN;\nSELECT 1;\nCOMMIT;\n`), /several places/);
    assert.match(problem('/db/add_note.sql', MIXED), /does not start with a version/);
    assert.match(
      problem('/db/0001_x.sql', 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n'),
      /Nothing to split/,
    );
  });

  it("splits the example project's flagship migration, with no free number before the next, into 0003a_ and 0003b_", () => {
    const file = path.resolve(__dirname, '../../examples/migrations/0003_dedupe_patients.sql');
    const plan = planMigrationSplit(parseMigration(file, fs.readFileSync(file, 'utf8')));
    assert.ok('files' in plan, 'problem' in plan ? plan.problem : '');
    assert.deepStrictEqual(
      plan.files.slice(1).map((part) => path.basename(part.path)),
      ['0003a_dedupe_patients_data.sql', '0003b_dedupe_patients_schema.sql'],
    );
  });

  it('keeps refusing, and says why, where the runner reads versions as numbers', () => {
    const file = parseMigration('/db/0003_x.up.sql', MIXED);
    const plan = planMigrationSplit(file, () => ['0003_x.up.sql', '0003_x.down.sql', '0004_y.up.sql']);
    assert.match(
      'problem' in plan ? plan.problem : '',
      new RegExp(
        `No free version between 0003 and the next migration \\(0004\\), and ${file.runner!.runner.name} reads versions as numbers`,
      ),
    );
  });
});
