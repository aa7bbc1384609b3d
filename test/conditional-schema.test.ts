import * as assert from 'assert';
import * as path from 'path';
import { ConfigError, defaultConfig, loadConfigFile } from '../server/src/config';
import type { ResolvedConfig } from '../server/src/resolved-config';
import { initEngine, lintText } from '../server/src/lint/engine';
import { parseMigration } from '../server/src/parse/migration';
import type { Catalog } from '../server/src/schema/catalog';
import { presenceOn } from '../server/src/schema/variants';
import { runPreflight } from './support/cli';
import { replay, tempProject } from './support/schema';

/** The conditions of each operation of a migration, as `statement or call text → [condition texts]`. */
function conditionsOf(name: string, text: string): [string, string[]][] {
  return parseMigration(name, text).operations.map((operation) => [
    text.slice(operation.fileSpan.start, operation.fileSpan.end).split('(')[0].trim(),
    (operation.conditions ?? []).map(
      (c) =>
        `${c.never ? 'never: ' : ''}${c.text}${c.comparison ? ` [${c.comparison.key} ${c.comparison.equal ? '=' : '≠'} ${c.comparison.value}]` : ''}`,
    ),
  ]);
}

const LOGS_CHANGES = `CREATE SCHEMA logs;
CREATE TABLE logs.changes (id uuid PRIMARY KEY, table_name text NOT NULL, record_id text NOT NULL);
`;

function withVariants(variants: Record<string, Record<string, string>>): ResolvedConfig {
  return {
    ...defaultConfig('/project'),
    variants: Object.entries(variants).map(([name, values]) => ({
      name,
      values: new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase().replace(/[_-]/g, ''), v])),
    })),
  };
}

/** Each message cut to the length of the expected one: the tests pin how a message starts. */
function starts(messages: string[], expected: string[]): string[] {
  return messages.map((message, i) => message.slice(0, expected[i]?.length ?? message.length));
}

function lint(
  name: string,
  text: string,
  catalog: Catalog,
  config: ResolvedConfig = defaultConfig('/project'),
  rule?: string,
): string[] {
  return lintText(name, text, { config, catalog })
    .diagnostics.filter((d) => !rule || d.rule === rule)
    .map((d) => `${d.severity} ${d.message}`);
}

describe('conditional schema', function () {
  this.timeout(60_000);
  before(() => initEngine());

  describe('extraction', () => {
    it('records the test of an if, the negated test of its else, a switch case, a ternary, && and an early return with each TS/JS call', () => {
      const text = `import { QueryInterface } from 'sequelize';
export async function up(query: QueryInterface) {
  if (config.serverType === 'central') {
    await query.addIndex('a', ['x']);
  } else {
    await query.addIndex('b', ['x']);
  }
  switch (process.env.SERVER_TYPE) {
    case 'facility':
      await query.addIndex('c', ['x']);
      break;
    default:
      await query.addIndex('d', ['x']);
  }
  isCentral ? await query.addIndex('e', ['x']) : undefined;
  hasSync && (await query.addIndex('f', ['x']));
  if (serverType !== 'central') return;
  await query.addIndex('g', ['x']);
}
`;
      assert.deepStrictEqual(conditionsOf('m.ts', text), [
        ['query.addIndex', ["config.serverType === 'central' [servertype = central]"]],
        ['query.addIndex', ["config.serverType !== 'central' [servertype ≠ central]"]],
        ['query.addIndex', ["process.env.SERVER_TYPE === 'facility' [servertype = facility]"]],
        ['query.addIndex', ["process.env.SERVER_TYPE is none of 'facility'"]],
        ['query.addIndex', ['isCentral']],
        ['query.addIndex', ['hasSync']],
        ['query.addIndex', ["serverType === 'central' [servertype = central]"]],
      ]);
    });

    it('treats a constant test as no condition, a constant false one as never, and a test of the catalog as an idempotency guard', () => {
      const text = `import { QueryInterface } from 'sequelize';
const ENABLED = true;
export async function up(query: QueryInterface) {
  if (true) await query.addIndex('a', ['x']);
  if (ENABLED) await query.addIndex('b', ['x']);
  if (false) await query.addIndex('c', ['x']);
  const columns = await query.describeTable('d');
  if (!columns.x) await query.addColumn('d', 'x', 'text');
  if (!(await query.tableExists('e'))) await query.createTable('e', {});
}
`;
      const conditions = conditionsOf('m.ts', text).map(([, c]) => c);
      assert.deepStrictEqual(conditions, [[], [], ['never: false'], [], []]);
    });

    it('records the IF/ELSIF/ELSE and CASE tests of a DO block, and treats a test of the catalog or a constant as none', () => {
      const text = `DO $$
BEGIN
  IF current_setting('app.server_type') = 'central' THEN
    CREATE INDEX a ON t (x);
  ELSIF server_type <> 'facility' THEN
    CREATE INDEX b ON t (x);
  ELSE
    CREATE INDEX c ON t (x);
  END IF;
  CASE current_setting('app.server_type') WHEN 'central' THEN CREATE INDEX d ON t (x); ELSE NULL; END CASE;
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'e') THEN CREATE INDEX e ON t (x); END IF;
  IF to_regclass('f') IS NULL THEN CREATE INDEX f ON t (x); END IF;
  IF true THEN CREATE INDEX g ON t (x); END IF;
END
$$;
`;
      const file = parseMigration('m.sql', text);
      const rows = file.operations
        .slice(1)
        .map((operation) => [
          operation.statement!.text,
          (operation.conditions ?? []).map(
            (c) =>
              `${c.text} (line ${file.lines.positionAt(c.span.start).line + 1})${c.comparison ? ` [${c.comparison.key} ${c.comparison.equal ? '=' : '≠'} ${c.comparison.value}]` : ''}`,
          ),
        ]);
      assert.deepStrictEqual(rows, [
        ['CREATE INDEX a ON t (x)', ["current_setting('app.server_type') = 'central' (line 3) [servertype = central]"]],
        [
          'CREATE INDEX b ON t (x)',
          [
            "current_setting('app.server_type') <> 'central' (line 3) [servertype ≠ central]",
            "server_type <> 'facility' (line 3) [servertype ≠ facility]",
          ],
        ],
        [
          'CREATE INDEX c ON t (x)',
          [
            "current_setting('app.server_type') <> 'central' (line 3) [servertype ≠ central]",
            "server_type = 'facility' (line 3) [servertype = facility]",
          ],
        ],
        [
          'CREATE INDEX d ON t (x)',
          ["current_setting('app.server_type') IN ('central') (line 10) [servertype = central]"],
        ],
        ['CREATE INDEX e ON t (x)', []],
        ['CREATE INDEX f ON t (x)', []],
        ['CREATE INDEX g ON t (x)', []],
      ]);
    });
  });

  describe('catalog', () => {
    it('marks the indexes, columns, constraints and triggers a conditional statement creates, and only those', () => {
      const { catalog } = replay(
        ['0001.sql', `${LOGS_CHANGES}CREATE INDEX changes_record_id_idx ON logs.changes (record_id);\n`],
        [
          '0002.sql',
          `DO $$ BEGIN
  IF current_setting('app.server_type') = 'central' THEN
    CREATE INDEX changes_table_name_idx ON logs.changes (table_name);
    ALTER TABLE logs.changes ADD COLUMN synced boolean, ADD CONSTRAINT changes_record_id_key UNIQUE (record_id);
    ALTER TABLE logs.changes ALTER COLUMN table_name SET DEFAULT 'x';
    CREATE CONSTRAINT TRIGGER changes_audit AFTER UPDATE ON logs.changes DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION f();
  END IF;
END $$;
`,
        ],
      );
      const table = catalog.tables.get('logs.changes')!;
      const marked = (
        objects: readonly { name: string; onlyWhen?: readonly { text: string; file: string; line: number }[] }[],
      ) =>
        objects
          .filter((o) => o.onlyWhen)
          .map((o) => `${o.name}: ${o.onlyWhen!.map((c) => `${c.text} (${c.file}:${c.line})`).join(', ')}`);
      const condition = "current_setting('app.server_type') = 'central' (0002.sql:2)";
      assert.deepStrictEqual(marked(table.indexes), [
        `changes_table_name_idx: ${condition}`,
        `changes_record_id_key: ${condition}`,
      ]);
      assert.deepStrictEqual(marked(table.columns), [`synced: ${condition}`]);
      assert.deepStrictEqual(marked(table.constraints), [`changes_record_id_key: ${condition}`]);
      assert.deepStrictEqual(marked(table.triggers), [`changes_audit: ${condition}`]);
      assert.strictEqual(
        table.onlyWhen,
        undefined,
        'the table existed before: only what the block adds is conditional',
      );
    });

    it('decides a condition on a variant by the last segment of the name it compares, ignoring case, _ and -', () => {
      const onlyWhen = [
        {
          text: "serverType === 'central'",
          file: 'm.ts',
          line: 3,
          comparison: { key: 'servertype', value: 'central', equal: true },
        },
      ];
      const variant = (values: Record<string, string>) => withVariants({ v: values }).variants[0];
      assert.strictEqual(presenceOn(onlyWhen, undefined), 'some-servers');
      assert.strictEqual(presenceOn(onlyWhen, variant({ SERVER_TYPE: 'central' })), 'everywhere');
      assert.strictEqual(presenceOn(onlyWhen, variant({ 'server-type': 'facility' })), 'nowhere');
      assert.strictEqual(presenceOn(onlyWhen, variant({ region: 'eu' })), 'some-servers');
      assert.strictEqual(presenceOn(undefined, variant({ region: 'eu' })), 'everywhere');
    });
  });

  describe('config', () => {
    it('reads "variants" with their values as text, and rejects a variant whose value is not a string, number or boolean', () => {
      const dir = tempProject({
        'good/.preflightrc.json': JSON.stringify({
          variants: { central: { serverType: 'central', shards: 4 }, facility: { SERVER_TYPE: 'facility' } },
        }),
        'bad/.preflightrc.json': JSON.stringify({ variants: { central: { serverType: ['central'] } } }),
      });
      const config = loadConfigFile(path.join(dir, 'good/.preflightrc.json'));
      assert.deepStrictEqual(
        config.variants.map((v) => [v.name, [...v.values]]),
        [
          [
            'central',
            [
              ['servertype', 'central'],
              ['shards', '4'],
            ],
          ],
          ['facility', [['servertype', 'facility']]],
        ],
      );
      assert.throws(
        () => loadConfigFile(path.join(dir, 'bad/.preflightrc.json')),
        (error: unknown) =>
          error instanceof ConfigError &&
          /variants\.central\.serverType: must be a string, number or boolean$/.test(error.message),
      );
    });
  });

  describe('rules', () => {
    let conditionalTrigger: Catalog;
    before(() => {
      conditionalTrigger = replay(
        [
          '0001.sql',
          `${LOGS_CHANGES}CREATE FUNCTION logs.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;\n`,
        ],
        [
          '0002.sql',
          `DO $$ BEGIN
  IF current_setting('app.server_type') = 'central' THEN
    CREATE CONSTRAINT TRIGGER changes_audit AFTER UPDATE ON logs.changes DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION logs.f();
  END IF;
END $$;
`,
        ],
      ).catalog;
    });
    const mixed =
      "UPDATE logs.changes SET record_id = '' WHERE id = '00000000-0000-0000-0000-000000000000';\nALTER TABLE logs.changes ADD COLUMN note text;\n";

    it('mixed-ddl-dml: a deferred trigger created under a condition makes the migration fail where it exists, and says so', () => {
      const expected = [
        "error Where changes_audit exists, this migration will fail (the trigger is created only when `current_setting('app.server_type') = 'central'` " +
          '(line 2 of 0002.sql)): UPDATE logs.changes fires the deferred constraint trigger changes_audit',
      ];
      assert.deepStrictEqual(
        starts(lint('0003.sql', mixed, conditionalTrigger, undefined, 'mixed-ddl-dml'), expected),
        expected,
      );
    });

    it('mixed-ddl-dml: per variant, the failure on the variant that has the trigger and the plain warning on the one that does not', () => {
      const config = withVariants({ central: { serverType: 'central' }, facility: { serverType: 'facility' } });
      const expected = [
        'error on variant central: This migration will fail: UPDATE logs.changes fires the deferred',
        'warning on variant facility: UPDATE logs.changes changes data in the same transaction as ALTER TABLE logs.changes',
      ];
      assert.deepStrictEqual(
        starts(lint('0003.sql', mixed, conditionalTrigger, config, 'mixed-ddl-dml'), expected),
        expected,
      );
    });

    it('foreign-key-without-index: an index on the referencing columns created under a condition leaves the foreign key unindexed elsewhere', () => {
      const { catalog } = replay(
        [
          '0001.sql',
          `${LOGS_CHANGES}CREATE TABLE patients (id uuid PRIMARY KEY);\nALTER TABLE logs.changes ADD COLUMN patient_id uuid;\n`,
        ],
        [
          '0002.ts',
          `import { QueryInterface } from 'sequelize';
export async function up(query: QueryInterface) {
  if (serverType === 'central') await query.sequelize.query('CREATE INDEX changes_patient_idx ON logs.changes (patient_id)');
}
`,
        ],
      );
      const addKey =
        'ALTER TABLE logs.changes ADD CONSTRAINT changes_patient_fkey FOREIGN KEY (patient_id) REFERENCES patients (id);\n';
      const expected = [
        'warning The index changes_patient_idx on logs.changes (patient_id), the referencing side of this foreign key to public.patients, ' +
          "is created only when `serverType === 'central'` (line 3 of 0002.ts): elsewhere every DELETE from public.patients",
      ];
      assert.deepStrictEqual(
        starts(lint('0003.sql', addKey, catalog, undefined, 'foreign-key-without-index'), expected),
        expected,
      );
      const central = withVariants({ central: { serverType: 'central' } });
      assert.deepStrictEqual(lint('0003.sql', addKey, catalog, central, 'foreign-key-without-index'), []);
    });
  });

  describe('preflight schema (CLI process)', () => {
    const project = {
      'db/0001_create.sql': LOGS_CHANGES,
      'db/0002_add_index.js': `module.exports = {
  async up(queryInterface) {
    const { serverType } = config;
    if (serverType === 'central') {
      await queryInterface.sequelize.query('CREATE INDEX logs_changes_table_name_idx ON logs.changes (table_name)');
    }
  },
};
`,
    };

    it('marks an index created under a condition with the condition and where it is written, in text and JSON', () => {
      const dir = tempProject(project);
      const text = runPreflight(['schema', 'db'], { cwd: dir });
      assert.strictEqual(text.status, 0, text.stderr);
      assert.ok(
        text.stdout.includes(
          "    logs_changes_table_name_idx  btree (table_name)  (only when serverType === 'central', db/0002_add_index.js:4)\n",
        ),
        text.stdout,
      );
      assert.ok(
        text.stdout.includes('    changes_pkey  primary key btree (id)\n'),
        'an unconditional index has no mark',
      );
      const json = runPreflight(['schema', 'db', '--format', 'json'], { cwd: dir });
      const indexes = JSON.parse(json.stdout).tables[0].indexes;
      assert.deepStrictEqual(
        indexes.map((i: { onlyWhen?: unknown }) => i.onlyWhen),
        [
          undefined,
          [
            {
              text: "serverType === 'central'",
              comparison: { key: 'servertype', value: 'central', equal: true },
              file: 'db/0002_add_index.js',
              line: 4,
            },
          ],
        ],
      );
    });
  });
});
