import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../support/paths';
import { codeServerPackage, installCodeServer } from './code-server';

/**
 * Tokenizes migrations with VS Code's own TextMate engine (vscode-textmate + vscode-oniguruma, as shipped
 * inside code-server) and VS Code's own TypeScript, JavaScript and SQL grammars, with Preflight's
 * injection grammars added the way package.json contributes them.
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
  tokenizeLine(line: string, state: unknown): { tokens: { startIndex: number; endIndex: number; scopes: string[] }[]; ruleStack: unknown };
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { grammars: { scopeName: string; path: string; injectTo: string[] }[] };
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
    loadGrammar: async (scope: string) => (files[scope] ? textmate.parseRawGrammar(fs.readFileSync(files[scope], 'utf8'), files[scope]) : null),
    // As VS Code does for `injectTo`.
    getInjections: (scope: string) => manifest.contributes.grammars.filter((g) => g.injectTo.includes(scope)).map((g) => g.scopeName),
  });

  return async (scope, text) => {
    const grammar = await registry.loadGrammar(scope);
    assert.ok(grammar, scope);
    let state = textmate.INITIAL;
    return text.split('\n').map((line) => {
      const result = grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      return result.tokens.map((token) => ({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes }));
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
    assert.ok(scopesOf(lines, 'UPDATE').includes('meta.embedded.block.sql'));
    assert.ok(scopesOf(lines, 'UPDATE').includes('keyword.other.DML.sql'));
    assert.ok(scopesOf(lines, 'WHERE', 4).includes('keyword.other.DML.sql'), 'the SQL continues on the next line');
    assert.ok(scopesOf(lines, 'nothing').includes('meta.template.expression.js'));
    assert.ok(!scopesOf(lines, 'nothing').some((scope) => scope.endsWith('.sql') && scope !== 'meta.embedded.block.sql'));
  });

  it('highlights a directive inside SQL embedded in JavaScript', async () => {
    const lines = await tokenize('source.js', SEQUELIZE_MIGRATION);
    assert.ok(scopesOf(lines, 'preflight-ignore').includes('keyword.control.directive.preflight'));
    assert.ok(scopesOf(lines, 'mixed-ddl-dml').includes('variable.parameter.rule-id.preflight'));
  });

  it('leaves strings that are not sent as SQL alone, and JavaScript after the SQL intact', async () => {
    const lines = await tokenize('source.js', SEQUELIZE_MIGRATION);
    assert.ok(!scopesOf(lines, 'UPDATE is just a word here').includes('meta.embedded.block.sql'));
    assert.ok(scopesOf(lines, 'addColumn').some((scope) => scope.startsWith('entity.name.function')));
  });

  it('highlights queryRunner.query, this.knex?.raw and sql`` in TypeScript, and ends at the closing quote', async () => {
    const lines = await tokenize('source.ts', TYPEORM_MIGRATION);
    assert.ok(scopesOf(lines, 'ALTER').includes('meta.embedded.block.sql'));
    assert.ok(scopesOf(lines, 'DELETE').includes('meta.embedded.block.sql'));
    assert.ok(scopesOf(lines, 'SELECT').includes('meta.embedded.block.sql'));
    // A SQL line comment must not swallow the closing backtick: the next line is TypeScript again.
    assert.ok(scopesOf(lines, 'const', 5).includes('storage.type.ts'));
    assert.ok(!scopesOf(lines, 'const', 5).includes('meta.embedded.block.sql'));
  });

  it('highlights directive comments in .sql files', async () => {
    const lines = await tokenize('source.sql', '-- preflight-ignore-file\n-- preflight-transaction: none\nUPDATE t SET a = 1;\n');
    assert.ok(scopesOf(lines, 'preflight-ignore-file').includes('keyword.control.directive.preflight'));
    assert.ok(scopesOf(lines, 'none', 1).includes('constant.language.transaction-mode.preflight'));
    assert.ok(scopesOf(lines, 'UPDATE').includes('keyword.other.DML.sql'));
  });
});
