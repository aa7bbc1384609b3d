import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './support/paths';

/**
 * The injection grammars in syntaxes/: well-formed, wired into package.json, and their regexes doing
 * what they claim on sample lines. The regexes are written to mean the same in Oniguruma (VS Code) and
 * JavaScript, so JavaScript's RegExp can check them here; test/e2e/grammars.e2e.ts tokenizes real files
 * with VS Code's own TextMate engine and grammars.
 */

interface Rule {
  begin?: string;
  end?: string;
  match?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, Rule & { name?: string }>;
  beginCaptures?: Record<string, Rule & { name?: string }>;
}

interface Grammar extends Rule {
  scopeName: string;
  injectionSelector: string;
  repository: Record<string, Rule>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { grammars: { scopeName: string; path: string; injectTo: string[]; embeddedLanguages?: Record<string, string> }[] };
};

function loadGrammar(scopeName: string): Grammar {
  const entry = manifest.contributes.grammars.find((g) => g.scopeName === scopeName);
  assert.ok(entry, `package.json contributes no grammar ${scopeName}`);
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, entry.path), 'utf8')) as Grammar;
}

function regex(source: string): RegExp {
  return new RegExp(source, 'g');
}

/** Every rule of a grammar, nested ones included. */
function rules(grammar: Grammar): Rule[] {
  const all: Rule[] = [];
  const visit = (rule: Rule) => {
    all.push(rule);
    rule.patterns?.forEach(visit);
    Object.values(rule.captures ?? {}).forEach(visit);
    Object.values(rule.beginCaptures ?? {}).forEach(visit);
  };
  visit(grammar);
  Object.values(grammar.repository).forEach(visit);
  return all;
}

const HOST_SCOPES = ['source.js', 'source.ts', 'source.tsx', 'source.js.jsx'];

describe('grammars', () => {
  const sql = loadGrammar('inline.preflight.sql');
  const directives = loadGrammar('inline.preflight.directive');

  it('package.json points at the grammar files with their own scope names', () => {
    for (const entry of manifest.contributes.grammars) {
      const grammar = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, entry.path), 'utf8')) as Grammar;
      assert.strictEqual(grammar.scopeName, entry.scopeName, entry.path);
    }
  });

  it('injects SQL into JavaScript and TypeScript, mapped to the sql language', () => {
    const entry = manifest.contributes.grammars.find((g) => g.scopeName === sql.scopeName)!;
    assert.deepStrictEqual([...entry.injectTo].sort(), [...HOST_SCOPES].sort());
    assert.deepStrictEqual(entry.embeddedLanguages, { 'meta.embedded.block.sql': 'sql' });
    for (const host of HOST_SCOPES) assert.ok(sql.injectionSelector.includes(`L:${host} -comment -string`), host);
  });

  it('injects directive highlighting into SQL and JavaScript/TypeScript comments', () => {
    const entry = manifest.contributes.grammars.find((g) => g.scopeName === directives.scopeName)!;
    assert.deepStrictEqual([...entry.injectTo].sort(), ['source.sql', ...HOST_SCOPES].sort());
    for (const scope of ['comment.line.double-dash.sql', 'comment.line.double-slash.ts', 'comment.line.double-slash.js', 'comment.block.ts']) {
      assert.ok(directives.injectionSelector.includes(`L:${scope}`), scope);
    }
  });

  it('includes only rules that exist: its own repository, source.sql and TypeScript expressions', () => {
    for (const grammar of [sql, directives]) {
      for (const rule of rules(grammar)) {
        if (!rule.include) continue;
        if (rule.include.startsWith('#')) assert.ok(grammar.repository[rule.include.slice(1)], `${grammar.scopeName}: ${rule.include}`);
        else assert.ok(['source.sql', 'source.ts#expression'].includes(rule.include), `${grammar.scopeName}: ${rule.include}`);
      }
    }
  });

  it('has regexes that JavaScript compiles (so they mean the same as in Oniguruma)', () => {
    for (const grammar of [sql, directives]) {
      for (const rule of rules(grammar)) {
        for (const source of [rule.begin, rule.end, rule.match]) if (source !== undefined) assert.doesNotThrow(() => regex(source), source);
      }
    }
  });

  describe('SQL calls', () => {
    const begin = sql.repository['sql-call'].begin!;
    const calls = (line: string) => [...line.matchAll(regex(begin))].map((m) => m[1]);

    it('recognises the calls that send SQL, also through a receiver chain and optional chaining', () => {
      assert.deepStrictEqual(calls('await queryInterface.sequelize.query(`UPDATE users SET a = 1`);'), ['queryInterface.sequelize.query']);
      assert.deepStrictEqual(calls('await queryRunner.query('), ['queryRunner.query']);
      assert.deepStrictEqual(calls("return knex.raw('SELECT 1')"), ['knex.raw']);
      assert.deepStrictEqual(calls('await this.knex?.raw("DELETE FROM t")'), ['this.knex?.raw']);
      assert.deepStrictEqual(calls('pgm.sql(`ALTER TABLE t ADD COLUMN c int`)'), ['pgm.sql']);
      assert.deepStrictEqual(calls("db.runSql('UPDATE t SET a = 1', cb)"), ['db.runSql']);
    });

    it('leaves other calls alone', () => {
      assert.deepStrictEqual(calls("knex.schema.createTable('t', fn)"), []);
      assert.deepStrictEqual(calls("myknex.raw('x')"), []);
      assert.deepStrictEqual(calls('sequelize.define("User", {})'), []);
      assert.deepStrictEqual(calls('queryRunner.queryAll(`x`)'), []);
    });

    it('spans whitespace and line ends up to a string literal, and ends at any other argument', () => {
      const end = regex(sql.repository['sql-call'].end!);
      assert.strictEqual('  sqlText)'.search(end), 2);
      for (const rest of ['   ', '', '`', "'", '"']) assert.strictEqual(rest.search(end), -1, JSON.stringify(rest));
    });
  });

  describe('sql tagged templates', () => {
    const begin = regex(sql.repository['sql-tagged-template'].begin!);

    it('recognises sql`...` and Prisma.sql`...` but not other tags ending in sql', () => {
      assert.ok('const q = sql`SELECT 1`'.match(begin));
      assert.ok('Prisma.sql`DELETE FROM t`'.match(begin));
      assert.strictEqual('mysql`SELECT 1`'.match(begin), null);
      assert.strictEqual('sqlite`SELECT 1`'.match(begin), null);
    });
  });

  it('ends an embedded SQL line comment before the closing quote', () => {
    const comment = sql.repository['sql-comment-in-template'];
    const line = 'SELECT 1 -- note`);';
    const start = line.indexOf('--') + 2;
    const end = regex(comment.end!);
    end.lastIndex = start;
    assert.strictEqual(end.exec(line)?.index, line.indexOf('`'));
  });

  describe('directive comments', () => {
    const ignore = regex(directives.repository.ignore.match!);
    const transaction = regex(directives.repository.transaction.match!);
    const first = (re: RegExp, line: string) => [...line.matchAll(re)][0];

    it('splits a preflight-ignore directive into keyword, rule list and reason', () => {
      const match = first(ignore, '-- preflight-ignore mixed-ddl-dml, audit-log-write: backfill of 20 rows');
      assert.ok(match);
      assert.strictEqual(match[1], 'preflight-ignore');
      assert.strictEqual(match[2].trim(), 'mixed-ddl-dml, audit-log-write');
      assert.strictEqual(match[4].trim(), 'backfill of 20 rows');
    });

    it('recognises the file-wide, TypeScript, block-comment and squawk forms', () => {
      assert.strictEqual(first(ignore, '-- preflight-ignore-file')?.[1], 'preflight-ignore-file');
      assert.strictEqual(first(ignore, '// preflight-ignore mixed-ddl-dml')?.[1], 'preflight-ignore');
      assert.strictEqual(first(ignore, '/* preflight-ignore mixed-ddl-dml: seed */')?.[4].trim(), 'seed');
      assert.strictEqual(first(ignore, '-- squawk-ignore ban-drop-column')?.[1], 'squawk-ignore');
    });

    it('ignores words that only start like a directive, and directives later in a comment', () => {
      assert.strictEqual(first(ignore, '-- preflight-ignored by nobody'), undefined);
      assert.strictEqual(first(ignore, '-- see preflight-ignore docs'), undefined);
    });

    it('recognises preflight-transaction with its mode', () => {
      assert.strictEqual(first(transaction, '-- preflight-transaction: none')?.[3], 'none');
      assert.strictEqual(first(transaction, '// preflight-transaction per-migration')?.[3], 'per-migration');
      assert.strictEqual(first(transaction, '-- preflight-transaction: sometimes'), undefined);
    });
  });
});
