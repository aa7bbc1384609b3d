import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../support/paths';
import { codeServerPackage, installCodeServer } from './code-server';

/**
 * Tokenizes migrations with VS Code's own TextMate engine (vscode-textmate + vscode-oniguruma, as shipped
 * inside code-server) and VS Code's own TypeScript, JavaScript and SQL grammars, with Preflight's PostgreSQL
 * grammar and injection grammars added the way package.json contributes them.
 */

interface Token {
  text: string;
  scopes: string[];
}

interface TextMate {
  Registry: new (options: unknown) => { loadGrammar(scope: string): Promise<Grammar | null> };
  INITIAL: unknown;
  parseRawGrammar(content: string, filePath: string): unknown;
}
interface Grammar {
  tokenizeLine(
    line: string,
    state: unknown,
  ): { tokens: { startIndex: number; endIndex: number; scopes: string[] }[]; ruleStack: unknown };
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { grammars: { scopeName: string; path: string; injectTo?: string[] }[] };
};

async function loadTokenizer(): Promise<(scope: string, text: string) => Promise<Token[][]>> {
  const vscodeDir = path.join(codeServerPackage(installCodeServer()), 'lib', 'vscode');
  const modules = path.join(vscodeDir, 'node_modules');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const textmate = require(path.join(modules, 'vscode-textmate')) as TextMate;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const oniguruma = require(path.join(modules, 'vscode-oniguruma')) as {
    loadWASM(data: ArrayBuffer): Promise<void>;
    OnigScanner: new (sources: string[]) => unknown;
    OnigString: new (text: string) => unknown;
  };
  const wasm = fs.readFileSync(path.join(modules, 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));

  const files: Record<string, string> = {
    'source.ts': path.join(vscodeDir, 'extensions', 'typescript-basics', 'syntaxes', 'TypeScript.tmLanguage.json'),
    'source.js': path.join(vscodeDir, 'extensions', 'javascript', 'syntaxes', 'JavaScript.tmLanguage.json'),
    'source.sql': path.join(vscodeDir, 'extensions', 'sql', 'syntaxes', 'sql.tmLanguage.json'),
  };
  for (const grammar of manifest.contributes.grammars) files[grammar.scopeName] = path.join(REPO_ROOT, grammar.path);

  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scope: string) =>
      files[scope] ? textmate.parseRawGrammar(fs.readFileSync(files[scope], 'utf8'), files[scope]) : null,
    // As VS Code does for `injectTo`.
    getInjections: (scope: string) =>
      manifest.contributes.grammars.filter((g) => g.injectTo?.includes(scope)).map((g) => g.scopeName),
  });

  return async (scope, text) => {
    const grammar = await registry.loadGrammar(scope);
    assert.ok(grammar, scope);
    let state = textmate.INITIAL;
    return text.split('\n').map((line) => {
      const result = grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      return result.tokens.map((token) => ({
        text: line.slice(token.startIndex, token.endIndex),
        scopes: token.scopes,
      }));
    });
  };
}

/** The scopes of the first token with this text (searching from line `fromLine`). */
function scopesOf(lines: Token[][], text: string, fromLine = 0): string[] {
  for (const line of lines.slice(fromLine)) {
    const token = line.find((t) => t.text.trim() === text);
    if (token) return token.scopes;
  }
  assert.fail(`no token "${text}" in ${JSON.stringify(lines.map((line) => line.map((t) => t.text).join('')))}`);
}

const SEQUELIZE_MIGRATION = `module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.sequelize.query(
      \`UPDATE encounters SET status = 'open' -- preflight-ignore mixed-ddl-dml: 40 rows
        WHERE status IS \${nothing}\`,
    );
    await queryInterface.addColumn('encounters', 'source', Sequelize.TEXT);
    const note = 'UPDATE is just a word here';
  },
};
`;

const POSTGRES_MIGRATION = `\\set ON_ERROR_STOP on
/* backfill /* nested */ still a comment */
CREATE FUNCTION audit_change() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  INSERT INTO logs.changes (note) VALUES (E'it\\'s');
  RETURN NEW;
END
$body$;
SELECT id::text, "Mixed Case" FROM t WHERE n > 1_000 AND k = :'key' LIMIT $1;
`;

const TYPEORM_MIGRATION = `export class AddSource1700000000000 {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE encounters ADD COLUMN source text");
    await this.knex?.raw('DELETE FROM logs WHERE id = 1');
    const statement = sql\`SELECT 1 -- trailing comment\`;
    const after = 1;
  }
}
`;

describe('grammars in VS Code’s TextMate engine', function () {
  this.timeout(10 * 60_000);
  let tokenize: (scope: string, text: string) => Promise<Token[][]>;

  before(async () => {
    tokenize = await loadTokenizer();
  });

  it('highlights the template literal passed to queryInterface.sequelize.query as SQL, with ${} as JavaScript', async () => {
    const lines = await tokenize('source.js', SEQUELIZE_MIGRATION);
    assert.ok(scopesOf(lines, 'UPDATE').includes('meta.embedded.block.pgsql'));
    assert.ok(scopesOf(lines, 'UPDATE').includes('keyword.other.DML.pgsql'));
    assert.ok(scopesOf(lines, 'WHERE', 4).includes('keyword.other.pgsql'), 'the SQL continues on the next line');
    assert.ok(scopesOf(lines, 'nothing').includes('meta.template.expression.js'));
    assert.ok(
      !scopesOf(lines, 'nothing').some((scope) => scope.endsWith('.pgsql') && scope !== 'meta.embedded.block.pgsql'),
    );
  });

  it('highlights a directive inside SQL embedded in JavaScript', async () => {
    const lines = await tokenize('source.js', SEQUELIZE_MIGRATION);
    assert.ok(scopesOf(lines, 'preflight-ignore').includes('keyword.control.directive.preflight'));
    assert.ok(scopesOf(lines, 'mixed-ddl-dml').includes('variable.parameter.rule-id.preflight'));
  });

  it('leaves strings that are not sent as SQL alone, and JavaScript after the SQL intact', async () => {
    const lines = await tokenize('source.js', SEQUELIZE_MIGRATION);
    assert.ok(!scopesOf(lines, 'UPDATE is just a word here').includes('meta.embedded.block.pgsql'));
    assert.ok(scopesOf(lines, 'addColumn').some((scope) => scope.startsWith('entity.name.function')));
  });

  it('highlights queryRunner.query, this.knex?.raw and sql`` in TypeScript, and ends at the closing quote', async () => {
    const lines = await tokenize('source.ts', TYPEORM_MIGRATION);
    assert.ok(scopesOf(lines, 'ALTER').includes('meta.embedded.block.pgsql'));
    assert.ok(scopesOf(lines, 'DELETE').includes('meta.embedded.block.pgsql'));
    assert.ok(scopesOf(lines, 'SELECT').includes('meta.embedded.block.pgsql'));
    // A SQL line comment must not swallow the closing backtick: the next line is TypeScript again.
    assert.ok(scopesOf(lines, 'const', 5).includes('storage.type.ts'));
    assert.ok(!scopesOf(lines, 'const', 5).includes('meta.embedded.block.pgsql'));
  });

  it('highlights directive comments in .sql files, in the PostgreSQL language and in VS Code’s SQL', async () => {
    for (const [scope, dml] of [
      ['source.pgsql', 'keyword.other.DML.pgsql'],
      ['source.sql', 'keyword.other.DML.sql'],
    ]) {
      const lines = await tokenize(
        scope,
        '-- preflight-ignore-file\n-- preflight-transaction: none\n/* preflight-ignore mixed-ddl-dml: seed */\nUPDATE t SET a = 1;\n',
      );
      assert.ok(scopesOf(lines, 'preflight-ignore-file').includes('keyword.control.directive.preflight'), scope);
      assert.ok(scopesOf(lines, 'none', 1).includes('constant.language.transaction-mode.preflight'), scope);
      assert.ok(scopesOf(lines, 'mixed-ddl-dml', 2).includes('variable.parameter.rule-id.preflight'), scope);
      assert.ok(scopesOf(lines, 'UPDATE').includes(dml), scope);
    }
  });

  it('highlights a PostgreSQL migration: psql commands, nested comments, a dollar-quoted body as code, E strings, casts, variables', async () => {
    const lines = await tokenize('source.pgsql', POSTGRES_MIGRATION);
    assert.ok(scopesOf(lines, '\\set').includes('keyword.control.psql.pgsql'));
    assert.ok(
      scopesOf(lines, 'still a comment').includes('comment.block.pgsql'),
      'a nested block comment ends at its own */',
    );
    assert.ok(scopesOf(lines, '$body$').includes('punctuation.definition.string.begin.pgsql'));
    const insert = scopesOf(lines, 'INSERT');
    assert.ok(
      insert.includes('meta.embedded.block.pgsql') && insert.includes('keyword.other.DML.pgsql'),
      JSON.stringify(insert),
    );
    assert.ok(scopesOf(lines, "\\'").includes('constant.character.escape.pgsql'), "E'...' reads \\' as an escape");
    assert.ok(scopesOf(lines, 'RETURN').includes('keyword.control.pgsql'));
    assert.ok(!scopesOf(lines, 'SELECT', 8).includes('meta.embedded.block.pgsql'), 'the body ends at $body$');
    assert.ok(scopesOf(lines, 'text', 8).includes('storage.type.pgsql'));
    assert.ok(scopesOf(lines, 'Mixed Case').includes('variable.other.quoted-identifier.pgsql'));
    assert.ok(scopesOf(lines, '1_000').includes('constant.numeric.pgsql'));
    assert.ok(scopesOf(lines, "'key'").includes('variable.other.psql.pgsql'));
    assert.ok(scopesOf(lines, '$1').includes('variable.parameter.positional.pgsql'));
  });

  it('highlights a dollar-quoted DO body in SQL embedded in TypeScript, and TypeScript after it', async () => {
    const lines = await tokenize(
      'source.ts',
      'await queryRunner.query(`DO $$ BEGIN UPDATE t SET a = 1; END $$`);\nconst after = 1;\n',
    );
    assert.ok(scopesOf(lines, 'UPDATE').includes('keyword.other.DML.pgsql'));
    assert.ok(scopesOf(lines, 'UPDATE').includes('meta.embedded.block.pgsql'));
    assert.ok(scopesOf(lines, 'const', 1).includes('storage.type.ts'));
  });
});
