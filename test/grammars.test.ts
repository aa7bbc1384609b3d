import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './support/paths';

/**
 * The grammars in syntaxes/ (Preflight's PostgreSQL language and the injections): well-formed, wired into
 * package.json, and their regexes doing what they claim on sample lines. The regexes are written to mean the same in Oniguruma (VS Code) and
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

interface LanguageContribution {
  id: string;
  aliases: string[];
  extensions: string[];
  configuration: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: {
    languages: LanguageContribution[];
    grammars: {
      language?: string;
      scopeName: string;
      path: string;
      injectTo?: string[];
      embeddedLanguages?: Record<string, string>;
    }[];
  };
};

function loadGrammar(scopeName: string): Grammar {
  const entry = manifest.contributes.grammars.find((g) => g.scopeName === scopeName);
  assert.ok(entry, `package.json contributes no grammar ${scopeName}`);
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, entry.path), 'utf8')) as Grammar;
}

/** Oniguruma's leading `(?i)` (JavaScript has no inline flags) becomes the `i` flag. */
function regex(source: string): RegExp {
  return source.startsWith('(?i)') ? new RegExp(source.slice(4), 'gi') : new RegExp(source, 'g');
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
  const postgres = loadGrammar('source.pgsql');
  const sql = loadGrammar('inline.preflight.sql');
  const directives = loadGrammar('inline.preflight.directive');

  it('package.json points at the grammar files with their own scope names', () => {
    for (const entry of manifest.contributes.grammars) {
      const grammar = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, entry.path), 'utf8')) as Grammar;
      assert.strictEqual(grammar.scopeName, entry.scopeName, entry.path);
    }
  });

  it('contributes a PostgreSQL language for .sql, .pgsql and .psql files, with its grammar, comments and brackets', () => {
    const language = manifest.contributes.languages.find((l) => l.id === 'postgres');
    assert.ok(language, 'no postgres language');
    assert.strictEqual(language.aliases[0], 'PostgreSQL', 'the first alias is the name the status bar shows');
    assert.deepStrictEqual(language.extensions, ['.sql', '.pgsql', '.psql']);
    assert.strictEqual(manifest.contributes.grammars.find((g) => g.language === 'postgres')?.scopeName, 'source.pgsql');
    const configuration = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, language.configuration), 'utf8')) as {
      comments: { lineComment: string; blockComment: string[] };
      brackets: string[][];
      autoClosingPairs: { open: string; close: string }[];
    };
    assert.deepStrictEqual(configuration.comments, { lineComment: '--', blockComment: ['/*', '*/'] });
    assert.deepStrictEqual(configuration.brackets, [
      ['(', ')'],
      ['[', ']'],
    ]);
    assert.ok(configuration.autoClosingPairs.some((pair) => pair.open === "E'" && pair.close === "'"));
    assert.ok(manifest.activationEvents.includes('onLanguage:postgres'));
  });

  it('injects SQL into JavaScript and TypeScript as PostgreSQL, with the PostgreSQL grammar', () => {
    const entry = manifest.contributes.grammars.find((g) => g.scopeName === sql.scopeName)!;
    assert.deepStrictEqual([...entry.injectTo!].sort(), [...HOST_SCOPES].sort());
    assert.deepStrictEqual(entry.embeddedLanguages, { 'meta.embedded.block.pgsql': 'postgres' });
    for (const host of HOST_SCOPES) assert.ok(sql.injectionSelector.includes(`L:${host} -comment -string`), host);
  });

  it("injects directive highlighting into PostgreSQL, VS Code's SQL and JavaScript/TypeScript comments", () => {
    const entry = manifest.contributes.grammars.find((g) => g.scopeName === directives.scopeName)!;
    assert.deepStrictEqual([...entry.injectTo!].sort(), ['source.pgsql', 'source.sql', ...HOST_SCOPES].sort());
    for (const scope of [
      'comment.line.double-dash.pgsql',
      'comment.line.double-dash.sql',
      'comment.line.double-slash.ts',
      'comment.line.double-slash.js',
      'comment.block.ts',
    ]) {
      assert.ok(directives.injectionSelector.includes(`L:${scope}`), scope);
    }
  });

  it('includes only rules that exist: its own repository, itself, the PostgreSQL grammar and TypeScript expressions', () => {
    for (const grammar of [postgres, sql, directives]) {
      for (const rule of rules(grammar)) {
        if (!rule.include) continue;
        if (rule.include.startsWith('#'))
          assert.ok(grammar.repository[rule.include.slice(1)], `${grammar.scopeName}: ${rule.include}`);
        else
          assert.ok(
            ['$self', 'source.pgsql', 'source.ts#expression'].includes(rule.include),
            `${grammar.scopeName}: ${rule.include}`,
          );
      }
    }
  });

  it('has regexes that JavaScript compiles (so they mean the same as in Oniguruma)', () => {
    for (const grammar of [postgres, sql, directives]) {
      for (const rule of rules(grammar)) {
        for (const source of [rule.begin, rule.end, rule.match])
          if (source !== undefined) assert.doesNotThrow(() => regex(source), source);
      }
    }
  });

  describe('PostgreSQL', () => {
    const matches = (rule: Rule, line: string) => [...line.matchAll(regex(rule.match ?? rule.begin!))].map((m) => m[0]);
    const keywords = (line: string) =>
      postgres.repository.keywords.patterns!.flatMap((rule) =>
        matches(rule, line).map((word) => `${word}:${(rule as { name: string }).name}`),
      );

    it('opens a dollar quote with or without a tag, but not at a $1 parameter', () => {
      const dollar = postgres.repository['dollar-quoted'];
      assert.deepStrictEqual(matches(dollar, 'AS $$ BEGIN'), ['$$']);
      assert.deepStrictEqual(matches(dollar, 'DO $body$ BEGIN'), ['$body$']);
      assert.deepStrictEqual(matches(dollar, 'WHERE id = $1'), []);
      assert.deepStrictEqual(matches(postgres.repository.parameters, 'WHERE id = $1 AND b = $12'), ['$1', '$12']);
    });

    it("starts E'' strings at the prefix only, and U&'' / B'' / X'' strings", () => {
      const [escape, prefixed] = postgres.repository.strings.patterns!;
      assert.deepStrictEqual(matches(escape, "SELECT E'a\\'b', e'x'"), ["E'", "e'"]);
      assert.deepStrictEqual(matches(escape, "SELECT 'safe'"), [], 'a word ending in e before a quote');
      assert.deepStrictEqual(matches(prefixed, "SELECT U&'d\\0061t', B'0101', X'1F'"), ["U&'", "B'", "X'"]);
    });

    it('recognises psql variables and backslash commands, but not :: casts or := assignments', () => {
      const [variable, command] = postgres.repository.psql.patterns!;
      assert.deepStrictEqual(matches(variable, 'SELECT :limit, :\'name\', :"table"'), [
        ':limit',
        ":'name'",
        ':"table"',
      ]);
      assert.deepStrictEqual(matches(variable, 'SELECT id::text; total := 1;'), []);
      assert.deepStrictEqual(matches(command, '\\set ON_ERROR_STOP on\nSELECT 1 \\gexec'), ['\\set', '\\gexec']);
      assert.deepStrictEqual(matches(postgres.repository.casts, 'id::text, at::timestamp with time zone'), [
        '::text',
        '::timestamp with time zone',
      ]);
    });

    it('reads numbers with underscores and 0x/0o/0b prefixes, not digits inside names', () => {
      assert.deepStrictEqual(matches(postgres.repository.numbers, 'LIMIT 1_000 OFFSET 0x1F, 1.5e3, .5, 0b101, 0o17'), [
        '1_000',
        '0x1F',
        '1.5e3',
        '.5',
        '0b101',
        '0o17',
      ]);
      assert.deepStrictEqual(matches(postgres.repository.numbers, 'SELECT t1.col2 FROM v2'), []);
    });

    it('classes keywords as DML, DDL and others, whatever their case, and not inside identifiers', () => {
      assert.deepStrictEqual(keywords('update sync_lookup set is_duplicate = true'), [
        'update:keyword.other.DML.pgsql',
        'set:keyword.other.statement.pgsql',
        'true:constant.language.pgsql',
      ]);
      assert.deepStrictEqual(keywords('ALTER TABLE t'), ['ALTER:keyword.other.DDL.pgsql', 'TABLE:keyword.other.pgsql']);
      assert.deepStrictEqual(keywords('updated_at selection'), []);
      assert.deepStrictEqual(
        matches(postgres.repository.types, 'a timestamp with time zone, b double precision, c jsonb'),
        ['timestamp with time zone', 'double precision', 'jsonb'],
      );
    });
  });

  describe('SQL calls', () => {
    const begin = sql.repository['sql-call'].begin!;
    const calls = (line: string) => [...line.matchAll(regex(begin))].map((m) => m[1]);

    it('recognises the calls that send SQL, also through a receiver chain and optional chaining', () => {
      assert.deepStrictEqual(calls('await queryInterface.sequelize.query(`UPDATE users SET a = 1`);'), [
        'queryInterface.sequelize.query',
      ]);
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
