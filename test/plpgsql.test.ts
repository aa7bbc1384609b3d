import * as assert from 'assert';
import { FileFragment } from '../server/src/parse/fragment';
import { parseMigration } from '../server/src/parse/migration';
import { routineBody } from '../server/src/parse/plpgsql';
import { loadSqlParser, parseFragment } from '../server/src/parse/sql';
import { Span } from '../server/src/parse/text';

function textOf(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

/** The operations a DO block adds after itself: effect, the file text they cover, the tables they touch. */
function executed(path: string, text: string) {
  return parseMigration(path, text)
    .operations.filter((operation) => operation.executedBy)
    .map((operation) => ({
      effect: operation.effect,
      text: textOf(text, operation.fileSpan),
      tables: operation.tables.map((t) => textOf(text, t.span)),
    }));
}

describe('DO blocks and function bodies', () => {
  before(() => loadSqlParser());

  it('makes each statement a DO block runs an operation with its exact range in the body', () => {
    const text = [
      'ALTER TABLE sync_lookup ADD COLUMN note text;',
      'DO $do$',
      'DECLARE n int;',
      'BEGIN',
      "  IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'x') THEN",
      "    update  sync_lookup set note = '' where note is null;",
      '  END IF;',
      '  DELETE FROM logs.changes WHERE record_id = 1 RETURNING id INTO n;',
      'END $do$;',
    ].join('\n');
    assert.deepStrictEqual(executed('m.sql', text), [
      { effect: 'dml', text: "update  sync_lookup set note = '' where note is null", tables: ['sync_lookup'] },
      { effect: 'dml', text: 'DELETE FROM logs.changes WHERE record_id = 1 RETURNING id', tables: ['logs.changes'] },
    ]);
  });

  it('maps PERFORM, whose SQL PL/pgSQL rewrites to SELECT, back to the PERFORM in the file', () => {
    const text = 'DO $$ BEGIN PERFORM   pg_advisory_xact_lock(42); END $$;';
    const [perform] = parseMigration('m.sql', text).operations.filter((operation) => operation.executedBy);
    assert.strictEqual(perform.statement!.type, 'SelectStmt');
    assert.strictEqual(textOf(text, perform.fileSpan), 'PERFORM   pg_advisory_xact_lock(42)');
    const call = perform.statement!.node!.SelectStmt.targetList[0].ResTarget.val.FuncCall;
    assert.strictEqual(textOf(text, perform.statement!.locate(call.location)), 'pg_advisory_xact_lock');
  });

  it('parses the string constant given to EXECUTE, doubled quotes included, and keeps computed queries apart', () => {
    const text = "DO $$ BEGIN EXECUTE 'UPDATE t SET a = ''x'''; EXECUTE 'ALTER TABLE ' || tbl || ' ADD b int'; END $$;";
    const [statement] = parseFragment(new FileFragment(text)).statements;
    const body = routineBody(statement);
    assert.deepStrictEqual(
      body.statements.map((s) => ({ text: textOf(text, s.statement.fileSpan), dynamic: s.dynamic })),
      [{ text: "UPDATE t SET a = ''x''", dynamic: true }],
    );
    assert.strictEqual(body.dynamicExecutes.length, 1);
    assert.strictEqual(textOf(text, body.dynamicExecutes[0].fileSpan), "'ALTER TABLE ' || tbl || ' ADD b int'");
    assert.ok(body.dynamicExecutes[0].node?.A_Expr, 'the computed query is parsed as an expression');
  });

  it('reads single-quoted bodies, whose quotes are doubled', () => {
    const text = "DO 'BEGIN UPDATE t SET a = ''x''; END';";
    assert.deepStrictEqual(executed('m.sql', text), [{ effect: 'dml', text: "UPDATE t SET a = ''x''", tables: ['t'] }]);
  });

  it('marks statements under IF, loops and EXCEPTION handlers as guarded', () => {
    const text =
      'DO $$ BEGIN ALTER TABLE a ADD x int; IF true THEN ALTER TABLE b ADD x int; END IF; ' +
      'BEGIN ALTER TABLE c ADD CONSTRAINT k CHECK (x > 0); EXCEPTION WHEN duplicate_object THEN NULL; END; END $$;';
    const [statement] = parseFragment(new FileFragment(text)).statements;
    assert.deepStrictEqual(
      routineBody(statement).statements.map((s) => [s.statement.node!.AlterTableStmt.relation.relname, s.guarded]),
      [
        ['a', false],
        ['b', true],
        ['c', true],
      ],
    );
  });

  it('never runs a function body at migration time: its statements are no operations', () => {
    const text =
      'CREATE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  INSERT INTO audit VALUES (NEW.id);\n  RETURN NEW;\nEND $$;';
    const file = parseMigration('m.sql', text);
    assert.deepStrictEqual(
      file.operations.map((o) => o.effect),
      ['ddl'],
    );
    const body = routineBody(file.statements[0]).statements;
    assert.deepStrictEqual(
      body.map((s) => [textOf(text, s.statement.fileSpan), s.runsNow]),
      [['INSERT INTO audit VALUES (NEW.id)', false]],
    );
  });

  it('reads LANGUAGE sql function bodies as SQL', () => {
    const text = "CREATE FUNCTION purge() RETURNS void LANGUAGE sql AS 'DELETE FROM sessions; UPDATE t SET a = ''x''';";
    const [statement] = parseFragment(new FileFragment(text)).statements;
    assert.deepStrictEqual(
      routineBody(statement).statements.map((s) => textOf(text, s.statement.fileSpan)),
      ['DELETE FROM sessions', "UPDATE t SET a = ''x''"],
    );
  });

  it('maps statements of a DO block inside a TS template literal to the file, holes included', () => {
    const text = [
      'export async function up(knex) {',
      '  await knex.raw(`DO $$ BEGIN',
      "    UPDATE ${table} SET note = '\\n';",
      '  END $$`);',
      '}',
    ].join('\n');
    const [update] = parseMigration('m.js', text).operations.filter((operation) => operation.executedBy);
    assert.strictEqual(textOf(text, update.fileSpan), "UPDATE ${table} SET note = '\\n'");
    assert.strictEqual(update.statement!.fragment.holes.length, 1);
  });

  it('yields nothing for a body PL/pgSQL rejects, rather than guessing', () => {
    const text = 'DO $$ BEGIN UPDATE t SET a = 1 $$;';
    assert.deepStrictEqual(executed('m.sql', text), []);
  });

  it('lets a preflight-ignore comment inside a DO body silence the statement after it', () => {
    const text = 'DO $$ BEGIN\n  -- preflight-ignore mixed-ddl-dml\n  UPDATE t SET a = 1;\nEND $$;';
    const file = parseMigration('m.sql', text);
    assert.deepStrictEqual(
      file.comments.map((c) => c.body),
      [' preflight-ignore mixed-ddl-dml'],
    );
    assert.strictEqual(textOf(text, file.comments[0].span), '-- preflight-ignore mixed-ddl-dml');
  });
});
