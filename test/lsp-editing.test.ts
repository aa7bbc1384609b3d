import * as fs from 'fs';
import * as assert from 'assert';
import * as path from 'path';
import { loadModule, parseSync } from 'libpg-query';
import {
  CodeLens,
  CodeLensRequest,
  DidChangeConfigurationNotification,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  Hover,
  HoverRequest,
  MarkupContent,
  TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { byRule, serverFor } from './support/lsp-client';

const MIXED = "ALTER TABLE plans ADD COLUMN note text;\nUPDATE plans SET note = '';\n";

const MESSY = `-- Backfill first, then constrain.
create table if not exists plans (id bigint primary key, name text not null, tier int default 0);

insert into plans (id, name) values (1, 'free'), (2, 'pro');
\\set ON_ERROR_STOP on
create or replace function touch() returns trigger language plpgsql as $$ begin new.updated_at := now(); return new; end $$;
select p.id, count(*) from plans p join users u on u.plan_id = p.id where p.tier > :min_tier group by p.id;
`;

/** The statements' parse trees without positions: what the SQL means to PostgreSQL. */
function meaning(sql: string): string {
  const withoutPsql = sql.replace(/^\\.*$/gm, '').replace(/:min_tier/g, '_min_tier');
  return JSON.stringify(
    parseSync(withoutPsql).stmts!.map((s) => s.stmt),
    (key, value) => (key === 'location' ? undefined : value),
  );
}

describe('language server: hover, code lens and formatting', function () {
  this.timeout(30_000);
  const server = serverFor({
    'lower/.preflightrc.json': JSON.stringify({ format: { keywordCase: 'lower', indent: 4 } }),
    'mysql/.preflightrc.json': JSON.stringify({ migrations: [{ path: '.', dialect: 'mysql' }] }),
  });

  before(() => loadModule());

  async function format(uri: string, range?: TextEdit['range']): Promise<string> {
    const options = { tabSize: 8, insertSpaces: true };
    const edits = range
      ? await server.client.connection.sendRequest(DocumentRangeFormattingRequest.type, {
          textDocument: { uri },
          range,
          options,
        })
      : await server.client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options });
    return TextDocument.applyEdits(server.client.document(uri), edits ?? []);
  }

  it('explains a finding on hover: what to do instead and the docs link, without repeating the message the editor already shows', async () => {
    const uri = await server.client.open(path.join(server.root, 'hover/0001.sql'), MIXED);
    await server.client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml').length > 0);
    const hover = (await server.client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 1, character: 3 },
    })) as Hover;
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /\*\*mixed-ddl-dml\*\* \(warning\)/);
    assert.doesNotMatch(markdown, /changes data in the same transaction as ALTER TABLE/);
    assert.match(markdown, /\*\*Instead:\*\* Split it into separate migrations/);
    assert.match(markdown, /\[Rule documentation\]\(file:\/\/.*docs\/rules\/mixed-ddl-dml\.md\)/);
    assert.deepStrictEqual(hover.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 26 } });
    fs.mkdirSync(path.join(server.root, 'hover'), { recursive: true });
    fs.writeFileSync(path.join(server.root, 'hover/0000_plans.sql'), 'CREATE TABLE plans (id bigint PRIMARY KEY);\n');
    const later = await server.client.open(path.join(server.root, 'hover/0002.sql'), MIXED);
    await server.client.diagnostics(later, (d) => byRule(d, 'mixed-ddl-dml').length > 0);
    const onTable = (await server.client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: later },
      position: { line: 1, character: 9 },
    })) as Hover;
    const sections = (onTable.contents as MarkupContent).value.split('\n\n---\n\n');
    assert.match(sections[0], /^\*\*public\.plans\*\* — table/, 'the schema comes first');
    assert.match(sections[1], /^\*\*mixed-ddl-dml\*\*/);
    const elsewhere = await server.client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 0, character: 3 },
    });
    assert.ok(elsewhere === null || !(elsewhere.contents as MarkupContent).value.includes('mixed-ddl-dml'));
  });

  it('puts one dry-run lens per database above a migration, each running on the database it names', async () => {
    const uri = await server.client.open(path.join(server.root, 'lens/0001.sql'), MIXED);
    const titles = async () =>
      ((await server.client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[]).map(
        (lens) => [lens.command!.title, lens.command!.command, lens.command!.arguments],
      );
    const settingsChanged = () =>
      server.client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    // '' asks for the embedded database even when a default connection is selected.
    assert.deepStrictEqual(await titles(), [
      ['Preflight: Dry run on embedded PostgreSQL', 'preflight.dryRunFile', [uri, '']],
    ]);
    server.client.settings = {
      connections: [{ name: 'staging', url: 'postgres://app@staging.internal/app' }],
      defaultConnection: 'staging',
    };
    await settingsChanged();
    assert.deepStrictEqual(await waitFor(titles, (t) => t.length === 2), [
      ['Preflight: Dry run on embedded PostgreSQL', 'preflight.dryRunFile', [uri, '']],
      ['Dry run on staging', 'preflight.dryRunFile', [uri, 'staging']],
    ]);
    server.client.settings = { ...server.client.settings, dryRun: { embedded: false } };
    await settingsChanged();
    assert.deepStrictEqual(await waitFor(titles, (t) => t.length === 1), [
      ['Preflight: Dry run on staging', 'preflight.dryRunFile', [uri, 'staging']],
    ]);
    server.client.settings = {};
    await settingsChanged();
  });

  it('formats a SQL file statement by statement without changing what it does', async () => {
    const uri = await server.client.open(path.join(server.root, 'format/0001.sql'), MESSY);
    const formatted = await format(uri);
    assert.strictEqual(
      formatted,
      `-- Backfill first, then constrain.
CREATE TABLE IF NOT EXISTS plans (id bigint PRIMARY KEY, name text NOT NULL, tier int DEFAULT 0);

INSERT INTO
  plans (id, name)
VALUES
  (1, 'free'),
  (2, 'pro');
\\set ON_ERROR_STOP on
CREATE OR REPLACE FUNCTION touch () returns trigger language plpgsql AS $$ begin new.updated_at := now(); return new; end $$;
SELECT
  p.id,
  count(*)
FROM
  plans p
  JOIN users u ON u.plan_id = p.id
WHERE
  p.tier > :min_tier
GROUP BY
  p.id;
`,
    );
    assert.strictEqual(meaning(formatted), meaning(MESSY));
  });

  it('formats only the statements a range touches', async () => {
    const uri = await server.client.open(path.join(server.root, 'format/0002.sql'), 'select 1;\nselect   2;\n');
    assert.strictEqual(
      await format(uri, { start: { line: 1, character: 2 }, end: { line: 1, character: 4 } }),
      'select 1;\nSELECT\n  2;\n',
    );
  });

  it('uses the keyword case and indentation of .preflightrc.json', async () => {
    const uri = await server.client.open(path.join(server.root, 'lower/0001.sql'), 'SELECT A FROM T WHERE B = 1;\n');
    assert.strictEqual(await format(uri), 'select\n    A\nfrom\n    T\nwhere\n    B = 1;\n');
  });

  it('leaves a file that does not parse untouched and logs why', async () => {
    const uri = await server.client.open(
      path.join(server.root, 'format/0003.sql'),
      'select  1;\nALTER TABLE users ADD COLUMN;\n',
    );
    assert.strictEqual(await format(uri), 'select  1;\nALTER TABLE users ADD COLUMN;\n');
    await server.client.until(
      () =>
        server.client.log.find((line) =>
          /Not formatting .*0003\.sql: the statement on line 2 does not parse/.test(line),
        ),
      5000,
      'the log line',
    );
  });

  it("formats MySQL migrations with MySQL's rules: backticks, # comments, DELIMITER lines", async () => {
    const text = "select  `id` from  t where a = 'it\\'s' # note\n;\nDELIMITER //\nselect 1//\n";
    const uri = await server.client.open(path.join(server.root, 'mysql/0001.sql'), text);
    assert.strictEqual(
      await format(uri),
      "SELECT\n  `id`\nFROM\n  t\nWHERE\n  a = 'it\\'s' # note\n;\nDELIMITER //\nSELECT\n  1//\n",
    );
  });

  it("offers formatting for SQL documents only: Preflight's PostgreSQL language and any .sql file", async () => {
    const formatting = await server.client.until(
      () => server.client.registrations.find((r) => r.method === 'textDocument/formatting'),
      5000,
      'the registration',
    );
    assert.deepStrictEqual((formatting.registerOptions as { documentSelector: unknown }).documentSelector, [
      { language: 'postgres' },
      { pattern: '**/*.sql' },
    ]);
    assert.strictEqual(server.client.initializeResult.capabilities.documentFormattingProvider, false);
  });
});

async function waitFor<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
