import * as assert from 'assert';
import { classifyStatement } from '../server/src/parse/classify';
import { runsNow } from '../server/src/parse/execution';
import { FileFragment } from '../server/src/parse/fragment';
import { loadSqlParser, parseFragment } from '../server/src/parse/sql';

function statement(sql: string) {
  return parseFragment(new FileFragment(sql)).statements[0];
}

describe('statement classification', () => {
  before(() => loadSqlParser());

  it('records the table that CREATE TABLE AS and CREATE MATERIALIZED VIEW create', () => {
    const table = classifyStatement(statement('CREATE TABLE archive.visits_2020 AS SELECT * FROM visits'));
    assert.deepStrictEqual(table.creates, ['archive.visits_2020']);
    const view = classifyStatement(statement('CREATE MATERIALIZED VIEW reporting.daily AS SELECT 1'));
    assert.deepStrictEqual(view.creates, ['reporting.daily']);
    assert.deepStrictEqual(
      view.tables.map((t) => t.table),
      ['reporting.daily'],
    );
  });

  it('knows that CREATE TABLE AS ... WITH NO DATA runs no query', () => {
    assert.strictEqual(runsNow(statement("CREATE TABLE copy AS SELECT nextval('s') FROM visits")), true);
    assert.strictEqual(runsNow(statement("CREATE TABLE copy AS SELECT nextval('s') FROM visits WITH NO DATA")), false);
  });
});
