import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  CodeAction,
  CodeActionRequest,
  Diagnostic,
  ExecuteCommandRequest,
  TextDocumentEdit,
  TextEdit,
} from 'vscode-languageserver-protocol/node';
import { byRule, serverFor } from './support/lsp-client';

const MIXED =
  "ALTER TABLE plans ADD COLUMN note text;\nUPDATE plans SET note = '';\nALTER TABLE plans ALTER COLUMN note SET NOT NULL;\n";

/** sequelize-cli wraps nothing in a transaction: this migration asks for one. */
const SEQUELIZE = `module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.addColumn('plans', 'note', { type: 'TEXT' }, { transaction });
      await queryInterface.sequelize.query(\`UPDATE plans SET note = ''\`, { transaction });
    });
  },
};
`;

describe('language server: code actions', function () {
  this.timeout(30_000);
  const server = serverFor(
    {
      'db/0007_add_note.sql': MIXED,
      'db/0010_later.sql': 'SELECT 1;\n',
      'ts/20240101120059_add_note.sql': `-- Adds a note to every plan.\nSET lock_timeout = '5s';\n${MIXED}`,
      'full/0001_a.sql': MIXED,
      'full/0002_b.sql': 'SELECT 1;\n',
      'numbered/0001_a.up.sql': MIXED,
      'numbered/0002_b.up.sql': 'SELECT 1;\n',
      'migrations/20240101120000-add-note.js': SEQUELIZE,
    },
    { initializationOptions: { clientCommands: ['preflight.showRuleDocumentation'] } },
  );

  async function actionsFor(uri: string, rule: string): Promise<{ diagnostic: Diagnostic; actions: CodeAction[] }> {
    const version = server.client.document(uri).version;
    const [diagnostic] = byRule(
      await server.client.diagnostics(uri, (d, v) => v === version && byRule(d, rule).length > 0),
      rule,
    );
    const actions = (await server.client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    })) as CodeAction[];
    return { diagnostic, actions };
  }

  function editsOf(action: CodeAction | undefined): TextEdit[] {
    assert.ok(action, 'no such code action');
    const change = action.edit!.documentChanges![0] as TextDocumentEdit;
    return change.edits as TextEdit[];
  }

  async function apply(uri: string, action: CodeAction | undefined): Promise<number> {
    return server.client.applyEdits(uri, editsOf(action));
  }

  it("offers the rule's quick fix and applies it", async () => {
    const uri = await server.client.open(
      path.join(server.root, 'db/0001_unused.sql'),
      '-- preflight-ignore mixed-ddl-dml: tiny table\nSELECT 1;\n',
    );
    const { actions } = await actionsFor(uri, 'unused-ignore');
    const fix = actions.find((a) => a.title === 'Remove the unused ignore directive');
    assert.strictEqual(fix?.kind, 'quickfix');
    assert.strictEqual(fix?.isPreferred, true);
    const version = await apply(uri, fix);
    assert.strictEqual(server.client.document(uri).getText(), '\nSELECT 1;\n');
    assert.deepStrictEqual(byRule(await server.client.diagnostics(uri, (_d, v) => v === version), 'unused-ignore'), []);
    // unused-ignore runs after suppression: a directive cannot silence it, so no ignore actions are offered.
    assert.ok(!actions.some((a) => a.title.startsWith('Ignore unused-ignore')));
  });

  it('ignores a rule for one SQL statement with a directive above it', async () => {
    const uri = await server.client.open(path.join(server.root, 'db/0002_stmt.sql'), MIXED);
    const { actions } = await actionsFor(uri, 'mixed-ddl-dml');
    const version = await apply(
      uri,
      actions.find((a) => a.title === 'Ignore mixed-ddl-dml for this statement'),
    );
    assert.strictEqual(
      server.client.document(uri).getText(),
      "ALTER TABLE plans ADD COLUMN note text;\n-- preflight-ignore mixed-ddl-dml: explain why this is safe\nUPDATE plans SET note = '';\nALTER TABLE plans ALTER COLUMN note SET NOT NULL;\n",
    );
    const after = await server.client.diagnostics(uri, (_d, v) => v === version);
    assert.deepStrictEqual(byRule(after, 'mixed-ddl-dml'), []);
    assert.deepStrictEqual(byRule(after, 'unused-ignore'), []);
  });

  it('ignores a rule for the whole SQL file with a directive on the first line', async () => {
    const uri = await server.client.open(path.join(server.root, 'db/0003_file.sql'), MIXED);
    const { actions } = await actionsFor(uri, 'mixed-ddl-dml');
    const version = await apply(
      uri,
      actions.find((a) => a.title === 'Ignore mixed-ddl-dml for this file'),
    );
    assert.strictEqual(
      server.client.document(uri).getText(),
      `-- preflight-ignore-file mixed-ddl-dml: explain why this is safe\n${MIXED}`,
    );
    assert.deepStrictEqual(byRule(await server.client.diagnostics(uri, (_d, v) => v === version), 'mixed-ddl-dml'), []);
  });

  it('adds the rule to a directive that already covers the statement', async () => {
    const text =
      "ALTER TABLE plans ADD COLUMN note text;\n-- preflight-ignore parse-error: psql syntax\nUPDATE plans SET note = '';\n";
    const uri = await server.client.open(path.join(server.root, 'db/0004_extend.sql'), text);
    const { actions } = await actionsFor(uri, 'mixed-ddl-dml');
    const version = await apply(
      uri,
      actions.find((a) => a.title === 'Ignore mixed-ddl-dml for this statement'),
    );
    assert.strictEqual(
      server.client.document(uri).getText(),
      text.replace('parse-error:', 'parse-error, mixed-ddl-dml:'),
    );
    assert.deepStrictEqual(byRule(await server.client.diagnostics(uri, (_d, v) => v === version), 'mixed-ddl-dml'), []);
  });

  it('ignores a rule for one call of a JS migration with an indented // directive', async () => {
    const uri = await server.client.open(path.join(server.root, 'migrations/20240101120000-add-note.js'));
    const { actions } = await actionsFor(uri, 'mixed-ddl-dml');
    const version = await apply(
      uri,
      actions.find((a) => a.title === 'Ignore mixed-ddl-dml for this statement'),
    );
    assert.strictEqual(
      server.client.document(uri).getText(),
      SEQUELIZE.replace(
        '      await queryInterface.sequelize.query',
        '      // preflight-ignore mixed-ddl-dml: explain why this is safe\n      await queryInterface.sequelize.query',
      ),
    );
    assert.deepStrictEqual(byRule(await server.client.diagnostics(uri, (_d, v) => v === version), 'mixed-ddl-dml'), []);
  });

  it('does not offer the split refactor as applicable for a JS migration, and says why', async () => {
    const uri = await server.client.open(path.join(server.root, 'migrations/20240102000000-again.js'), SEQUELIZE);
    const { actions } = await actionsFor(uri, 'mixed-ddl-dml');
    const split = actions.find((a) => a.kind === 'refactor.rewrite');
    assert.match(split?.disabled?.reason ?? '', /automatic for \.sql migrations only/);
  });

  it('splits a numbered SQL migration into DDL / DML / DDL files that run right after it', async () => {
    const file = path.join(server.root, 'db/0007_add_note.sql');
    const uri = await server.client.open(file);
    const { actions } = await actionsFor(uri, 'mixed-ddl-dml');
    const split = actions.find((a) => a.kind === 'refactor.rewrite');
    assert.strictEqual(split?.disabled, undefined);
    const result = await server.client.connection.sendRequest(ExecuteCommandRequest.type, split!.command!);
    assert.deepStrictEqual(result, {
      applied: true,
      files: [
        path.join(server.root, 'db/0008_add_note_data.sql'),
        path.join(server.root, 'db/0009_add_note_schema.sql'),
      ],
    });
    assert.strictEqual(server.client.document(uri).getText(), 'ALTER TABLE plans ADD COLUMN note text;\n');
    assert.strictEqual(
      fs.readFileSync(path.join(server.root, 'db/0008_add_note_data.sql'), 'utf8'),
      "UPDATE plans SET note = '';\n",
    );
    assert.strictEqual(
      fs.readFileSync(path.join(server.root, 'db/0009_add_note_schema.sql'), 'utf8'),
      'ALTER TABLE plans ALTER COLUMN note SET NOT NULL;\n',
    );
    const edit = server.client.appliedEdits[server.client.appliedEdits.length - 1].edit;
    assert.deepStrictEqual(
      edit.documentChanges!.filter((c) => 'kind' in c).map((c) => (c as { kind: string }).kind),
      ['create', 'create'],
    );
  });

  it('carries the session setup into each part and keeps timestamps valid across a minute', async () => {
    const uri = await server.client.open(path.join(server.root, 'ts/20240101120059_add_note.sql'));
    const { actions } = await actionsFor(uri, 'mixed-ddl-dml');
    const result = await server.client.connection.sendRequest(
      ExecuteCommandRequest.type,
      actions.find((a) => a.kind === 'refactor.rewrite')!.command!,
    );
    assert.deepStrictEqual(
      (result as { files: string[] }).files.map((f) => path.basename(f)),
      ['20240101120100_add_note_data.sql', '20240101120101_add_note_schema.sql'],
    );
    assert.strictEqual(
      server.client.document(uri).getText(),
      "-- Adds a note to every plan.\nSET lock_timeout = '5s';\nALTER TABLE plans ADD COLUMN note text;\n",
    );
    assert.strictEqual(
      fs.readFileSync(path.join(server.root, 'ts/20240101120100_add_note_data.sql'), 'utf8'),
      "SET lock_timeout = '5s';\nUPDATE plans SET note = '';\n",
    );
  });

  it('splits into 0001a_ and 0001b_ when no number is free before the next migration and files run in name order', async () => {
    const uri = await server.client.open(path.join(server.root, 'full/0001_a.sql'));
    const { actions } = await actionsFor(uri, 'mixed-ddl-dml');
    const split = actions.find((a) => a.kind === 'refactor.rewrite');
    assert.strictEqual(split?.disabled, undefined);
    const result = (await server.client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: split!.command!.command,
      arguments: split!.command!.arguments,
    })) as { applied: boolean; files: string[] };
    assert.deepStrictEqual(
      result.files.map((file) => path.basename(file)),
      ['0001a_a_data.sql', '0001b_a_schema.sql'],
    );
  });

  it('explains why a migration cannot be split when no version is free and its runner reads versions as numbers', async () => {
    const uri = await server.client.open(path.join(server.root, 'numbered/0001_a.up.sql'));
    const { actions } = await actionsFor(uri, 'mixed-ddl-dml');
    const split = actions.find((a) => a.kind === 'refactor.rewrite');
    assert.match(
      split?.disabled?.reason ?? '',
      /No free version between 0001 and the next migration \(0002\), and .* reads versions as numbers/,
    );
  });

  it('fixes every safe fix at once for source.fixAll.preflight (codeActionsOnSave), and nothing else', async () => {
    const long = (name: string) => `${name}_${'x'.repeat(70)}`;
    const text = `CREATE TABLE ${long('first')} (id bigint);\nCREATE TABLE ${long('second')} (id bigint);\nUPDATE plans SET tier = 1;\n`;
    const uri = await server.client.open(path.join(server.root, 'db/0008_names.sql'), text);
    const version = server.client.document(uri).version;
    const before = await server.client.diagnostics(
      uri,
      (d, v) => v === version && byRule(d, 'identifier-too-long').length === 2,
    );
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = (await server.client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.deepStrictEqual(
      actions.map((a) => [a.title, a.kind]),
      [['Fix all auto-fixable Preflight problems', 'source.fixAll.preflight']],
    );
    const fixed = await apply(uri, actions[0]);
    assert.strictEqual(
      server.client.document(uri).getText(),
      `CREATE TABLE ${long('first').slice(0, 63)} (id bigint);\nCREATE TABLE ${long('second').slice(0, 63)} (id bigint);\nUPDATE plans SET tier = 1;\n`,
    );
    const after = await server.client.diagnostics(uri, (_d, v) => v === fixed);
    assert.deepStrictEqual(byRule(after, 'identifier-too-long'), []);
    assert.ok(before.length > after.length);
    const lightbulb = (await server.client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics: [] },
    })) as CodeAction[];
    assert.ok(
      !lightbulb.some((a) => a.kind === 'source.fixAll.preflight'),
      'fix-all computed for a plain lightbulb request',
    );
  });

  it("offers the rule's documentation, through the client's own command, to clients that have it", async () => {
    const uri = await server.client.open(path.join(server.root, 'db/0009_docs.sql'), MIXED);
    const { actions } = await actionsFor(uri, 'mixed-ddl-dml');
    const docs = actions.find((a) => a.title === 'Show documentation for mixed-ddl-dml');
    assert.deepStrictEqual(docs?.command, {
      title: 'Show documentation',
      command: 'preflight.showRuleDocumentation',
      arguments: ['mixed-ddl-dml'],
    });
  });

  it('offers nothing for a diagnostic from an older version of the document', async () => {
    const uri = await server.client.open(path.join(server.root, 'db/0005_stale.sql'), MIXED);
    const { diagnostic } = await actionsFor(uri, 'mixed-ddl-dml');
    await server.client.change(uri, `-- edited\n${MIXED}`);
    const actions = await server.client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    assert.deepStrictEqual(actions, []);
  });
});
