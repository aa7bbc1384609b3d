import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigCache } from '../server/src/config';
import { dialectOf } from '../server/src/resolved-config';
import { formatFile } from '../server/src/format';
import { applyFixes } from '../server/src/lint/apply-fixes';
import type { Dialect } from '../server/src/parse/dialect';
import { languageOf, parseMigration } from '../server/src/parse/migration';
import { Statement, loadSqlParser } from '../server/src/parse/sql';
import { REPO_ROOT } from './support/paths';

/**
 * The formatter never changes what a statement means: every rule fixture (PostgreSQL and MySQL, .sql and SQL
 * embedded in TS/JS) is formatted, the file is parsed again — libpg-query trees for PostgreSQL, node-sql-parser
 * trees for MySQL — and each statement must give the same tree as before, positions aside (compared here, not by
 * the formatter's own check). A statement that does not parse must come out as written. A file the formatter
 * leaves alone must say why.
 */
const FIXTURES = path.join(REPO_ROOT, 'test', 'rules');

function fixtureFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return fixtureFiles(full);
    return languageOf(entry.name) ? [full] : [];
  });
}

/** A statement's parse tree as text without positions; its text when it did not parse. */
function tree(statement: Statement): string {
  if (statement.dialect === 'postgresql' && statement.node) {
    return JSON.stringify(statement.node, (key, value) =>
      /^(location|stmt_location|stmt_len|(rexpr_)?list_(start|end))$/.test(key) ? undefined : value,
    );
  }
  if (statement.mysql) return JSON.stringify(foldCase(statement.mysql));
  return `unparsed: ${statement.text}`;
}

/** Keyword case and the case of columns and functions are not meaning in MySQL; literals and table names are. */
function foldCase(node: unknown, key = ''): unknown {
  if (Array.isArray(node)) return node.map((item) => foldCase(item, key));
  if (typeof node === 'string') return ['table', 'db', 'as'].includes(key) ? node : node.toLowerCase();
  if (!node || typeof node !== 'object') return node;
  const literal = /string$/.test(String((node as { type?: unknown }).type));
  return Object.fromEntries(
    Object.entries(node)
      .filter(([field]) => field !== 'loc')
      .map(([field, value]) => [field, literal && field === 'value' ? value : foldCase(value, field)]),
  );
}

/** The trees of a file's statements (its own, or the SQL its TS/JS sends), in order. */
function trees(file: string, text: string, dialect: Dialect): string[] {
  return parseMigration(file, text, { dialect })
    .statements.filter((s) => s.kind === 'statement')
    .map(tree);
}

describe('formatting keeps the meaning of every rule fixture', function () {
  this.timeout(120_000);
  const configs = new ConfigCache();
  before(() => loadSqlParser());

  for (const file of fixtureFiles(FIXTURES)) {
    const name = path.relative(FIXTURES, file);
    it(name, () => {
      const text = fs.readFileSync(file, 'utf8');
      const config = configs.configFor(file);
      const outcome = formatFile(file, text, config);
      if ('skipped' in outcome) {
        assert.match(outcome.skipped, /\w/, 'a file left alone says why');
        return;
      }
      const dialect = dialectOf(config, file);
      const formatted = applyFixes(text, [{ title: 'format', edits: outcome.edits }]).text;
      assert.deepStrictEqual(trees(file, formatted, dialect), trees(file, text, dialect));
    });
  }
});
