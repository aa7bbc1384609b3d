import * as assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { defaultConfig } from '../server/src/config';
import { decodeSource, initEngine } from '../server/src/lint/engine';
import { assertLintsCleanly } from './support/lint-clean';
import { REPO_ROOT } from './support/paths';

/**
 * Bad input never crashes the engine: random and mutated SQL and TS/JS always produce diagnostics whose
 * spans lie inside the file. A hang would trip mocha's timeout.
 */
const config = defaultConfig(REPO_ROOT);

function fixtureTexts(extension: string): string[] {
  const root = path.join(REPO_ROOT, 'test', 'rules');
  const texts: string[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith(extension)) texts.push(fs.readFileSync(full, 'utf8'));
    }
  };
  visit(root);
  return texts;
}

/** Characters that matter to the splitter and the parsers. */
const NASTY = fc.constantFrom(
  "'",
  '"',
  '$$',
  '$a$',
  ';',
  '--',
  '/*',
  '*/',
  '\\',
  '\0',
  '(',
  ')',
  '`',
  '${',
  '}',
  '\r\n',
  "E'",
  ':x',
  '?',
  '\uFEFF',
  '🚀',
);

/** A text with random cuts and insertions of the characters above. */
function mutated(texts: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...texts),
      fc.array(fc.tuple(fc.nat(), fc.oneof(NASTY, fc.string({ unit: 'binary', maxLength: 8 }))), { maxLength: 6 }),
      fc.option(fc.nat()),
    )
    .map(([text, insertions, cut]) => {
      let result = text;
      for (const [at, piece] of insertions) {
        const position = result.length === 0 ? 0 : at % result.length;
        result = result.slice(0, position) + piece + result.slice(position);
      }
      return cut === null || result.length === 0 ? result : result.slice(0, cut % result.length);
    });
}

describe('bad input never crashes the engine', () => {
  before(() => initEngine());

  it('lints mutated SQL fixtures', () => {
    const texts = fixtureTexts('.sql');
    fc.assert(
      fc.property(mutated(texts), (text) => void assertLintsCleanly('/fuzz/migration.sql', text, config)),
      { numRuns: 400 },
    );
  });

  it('lints mutated TS and JS fixtures', () => {
    const texts = [...fixtureTexts('.ts'), ...fixtureTexts('.js')];
    assert.ok(texts.length > 0);
    fc.assert(
      fc.property(mutated(texts), (text) => void assertLintsCleanly('/fuzz/migration.ts', text, config)),
      { numRuns: 200 },
    );
  });

  it('keeps spans inside a file that ends in a template cut off after `${` (found by the mutation test above)', () => {
    assertLintsCleanly(
      '/fuzz/rename.ts',
      'async function rename(connection, table) {\n  await connection.query(`ALTER TABLE ${table} RENAME TO ${',
      config,
    );
  });

  it('lints random unicode as SQL and as TS', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        assertLintsCleanly('/fuzz/random.sql', text, config);
        assertLintsCleanly('/fuzz/random.js', text, config);
      }),
      { numRuns: 300 },
    );
  });

  it('survives 10,000-deep parentheses, in SQL and embedded in TS', () => {
    const deep = `SELECT ${'('.repeat(10_000)}1${')'.repeat(10_000)};\nUPDATE t SET a = 1;`;
    assertLintsCleanly('/fuzz/deep.sql', deep, config);
    assertLintsCleanly(
      '/fuzz/deep.ts',
      `await knex.raw(\`${deep}\`);\nconst x = ${'['.repeat(5_000)}${']'.repeat(5_000)};`,
      config,
    );
  });

  it('turns random bytes into a lintable text or one clear problem', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const decoded = decodeSource(bytes);
        if ('text' in decoded) assertLintsCleanly('/fuzz/bytes.sql', decoded.text, config);
        else assert.match(decoded.problem, /binary|UTF-8|too large/);
      }),
      { numRuns: 300 },
    );
  });
});
