import * as assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfigFile } from '../server/src/config';
import { initEngine, lintText } from '../server/src/lint/engine';
import { allRules } from '../server/src/lint/registry';
import { ruleDialects } from '../server/src/lint/rule';
import { REPO_ROOT } from './support/paths';

describe('linting MySQL migrations', () => {
  let root: string;
  before(async () => {
    await initEngine();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-mysql-'));
    fs.writeFileSync(
      path.join(root, '.preflightrc.json'),
      JSON.stringify({ migrations: [{ path: 'mysql', dialect: 'mysql' }, 'pg'] }),
    );
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const lint = (relative: string, text: string) => {
    const file = path.join(root, relative);
    return lintText(file, text, { config: loadConfigFile(path.join(root, '.preflightrc.json')) }).diagnostics;
  };

  it('runs only the rules that declare MySQL: PostgreSQL lock rules stay silent on the same SQL', () => {
    const sql = 'CREATE INDEX orders_status ON orders (status);\nALTER TABLE orders DROP COLUMN note;\n';
    const pgRules = new Set(lint('pg/0001.sql', sql).map((d) => d.rule));
    assert.ok(
      pgRules.has('require-concurrent-index-creation') && pgRules.has('ban-drop-column'),
      [...pgRules].join(', '),
    );
    const mysqlRules = lint('mysql/0001.sql', sql).map((d) => d.rule);
    assert.deepStrictEqual(
      mysqlRules.filter((id) => !ruleDialects(allRules().get(id)!).includes('mysql')),
      [],
    );
  });

  it('never crashes on mutated MySQL fixtures, and every span lies inside the file', () => {
    const texts = mysqlFixtures();
    assert.ok(texts.length > 10);
    const nasty = fc.constantFrom(
      "'",
      '"',
      '`',
      ';',
      '#',
      '-- ',
      '/*',
      '*/',
      '\\',
      'DELIMITER //\n',
      '//',
      'BEGIN ',
      'END',
      '$$',
      '?',
      '??',
      '${',
      '\r\n',
      'é',
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        fc.array(fc.tuple(fc.nat(), nasty), { maxLength: 5 }),
        (text, insertions) => {
          let mutated = text;
          for (const [at, piece] of insertions) {
            const position = mutated.length === 0 ? 0 : at % mutated.length;
            mutated = mutated.slice(0, position) + piece + mutated.slice(position);
          }
          for (const diagnostic of lint('mysql/0002.sql', mutated)) {
            assert.ok(
              diagnostic.span.start >= 0 &&
                diagnostic.span.end <= mutated.length &&
                diagnostic.span.start <= diagnostic.span.end,
            );
            assert.ok(!/failed on this file/.test(diagnostic.message), diagnostic.message);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** The .sql fixtures of every rule's mysql/ and mariadb/ folders. */
function mysqlFixtures(): string[] {
  const texts: string[] = [];
  const visit = (dir: string, inMySql: boolean) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full, inMySql || entry.name === 'mysql' || entry.name === 'mariadb');
      else if (inMySql && entry.name.endsWith('.sql')) texts.push(fs.readFileSync(full, 'utf8'));
    }
  };
  visit(path.join(REPO_ROOT, 'test', 'rules'), false);
  return texts;
}
