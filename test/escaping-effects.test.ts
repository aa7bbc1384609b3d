import * as assert from 'assert';
import { EscapeAnalysis, EscapeVerdict, notifiedChannels } from '../server/src/dryrun/escaping-effects';
import { parseMigration } from '../server/src/parse/migration';
import { loadSqlParser } from '../server/src/parse/sql';

/** The verdict on each statement of `sql`, checked in order by one analysis (as a dry-run does). */
function verdicts(sql: string): EscapeVerdict[] {
  const analysis = new EscapeAnalysis();
  return parseMigration('migration.sql', sql).statements.map((statement) => analysis.check(statement));
}

/** Each statement as `escapes`, `undecidable` or `contained`. */
function kinds(sql: string): string[] {
  return verdicts(sql).map((v) =>
    v.escapes.length > 0 ? 'escapes' : v.undecidable.length > 0 ? 'undecidable' : 'contained',
  );
}

const DBLINK = "dblink_exec('dbname=other', 'DELETE FROM t')";

describe('escaping effects: what a dry-run refuses, read from parse trees', () => {
  before(() => loadSqlParser());

  it('matches escaping functions as PostgreSQL resolves their names: quoted, schema-qualified, split by a comment', () => {
    const calls = [
      `SELECT "dblink_exec"('a', 'b');`,
      `SELECT public.dblink_exec('a', 'b');`,
      `SELECT extensions."dblink_exec"('a', 'b');`,
      `SELECT dblink_exec/**/('a', 'b');`,
      `SELECT DBLINK_EXEC ('a', 'b');`,
      `SELECT pg_catalog.pg_terminate_backend(1);`,
      `SELECT pg_catalog . "pg_terminate_backend" /* x */ (1);`,
    ];
    for (const call of calls) assert.deepStrictEqual(kinds(call), ['escapes'], call);
    assert.match(verdicts(calls[0])[0].escapes[0], /^dblink_exec\(\) runs SQL over another connection/);
  });

  it('treats a quoted name in another case as another function, as PostgreSQL does', () => {
    assert.deepStrictEqual(kinds(`SELECT "DBLINK_EXEC"('a', 'b');\nSELECT "Pg_Terminate_Backend"(1);`), [
      'contained',
      'contained',
    ]);
  });

  it("refuses reads of the server's files, whose content would leave in the report", () => {
    const reads = [
      "SELECT pg_read_file('/proc/1/environ');",
      "SELECT pg_catalog.pg_read_binary_file('postgresql.auto.conf');",
      "SELECT * FROM pg_ls_dir('.');",
      "SELECT lo_import('/etc/passwd');",
      "COPY t FROM '/etc/passwd';",
    ];
    for (const read of reads)
      assert.match(verdicts(read)[0].escapes[0] ?? '', /reads the database server's files/, read);
    assert.deepStrictEqual(kinds('COPY t FROM STDIN;\nCOPY t TO STDOUT;'), ['contained', 'contained']);
  });

  it('finds calls stored for later: DEFAULT, CHECK, USING, views, rules, DECLARE, PREPARE, COPY queries, policies, index expressions', () => {
    const statements = [
      `CREATE TABLE d (x text DEFAULT ${DBLINK});`,
      `ALTER TABLE d ALTER COLUMN x SET DEFAULT ${DBLINK};`,
      `ALTER TABLE d ADD CHECK (${DBLINK} <> '');`,
      `CREATE DOMAIN dm AS text CHECK (${DBLINK} <> VALUE);`,
      `ALTER TABLE d ALTER COLUMN x TYPE int USING ${DBLINK}::int;`,
      `CREATE VIEW v AS SELECT ${DBLINK};`,
      `CREATE RULE r AS ON INSERT TO d DO ALSO SELECT ${DBLINK};`,
      `DECLARE c CURSOR FOR SELECT ${DBLINK};`,
      `PREPARE p AS SELECT ${DBLINK};`,
      `COPY (SELECT ${DBLINK}) TO STDOUT;`,
      `CREATE POLICY pol ON d USING (${DBLINK} = '');`,
      `CREATE INDEX i ON d ((${DBLINK}));`,
      `CREATE TRIGGER tr AFTER INSERT ON d FOR EACH ROW WHEN (${DBLINK} = '') EXECUTE FUNCTION f();`,
      'CREATE OPERATOR @@@ (function = dblink_exec, leftarg = text, rightarg = text);',
      `SELECT query_to_xml('SELECT ${DBLINK.replace(/'/g, "''")}', true, false, '');`,
    ];
    assert.deepStrictEqual(
      kinds(statements.join('\n')),
      statements.map(() => 'escapes'),
    );
  });

  it('reads every expression of a DO block: declarations, conditions, assignments, RAISE arguments, cursors, loops', () => {
    const bodies = [
      `DECLARE x text := ${DBLINK}; BEGIN END`,
      `DECLARE c CURSOR FOR SELECT ${DBLINK}; BEGIN END`,
      `BEGIN IF ${DBLINK} = '' THEN NULL; END IF; END`,
      `DECLARE x text; BEGIN x := ${DBLINK}; END`,
      `DECLARE x text[]; BEGIN x[length(${DBLINK})] := 'a'; END`,
      `BEGIN RAISE NOTICE '%', ${DBLINK}; END`,
      `DECLARE r record; BEGIN FOR r IN SELECT ${DBLINK} LOOP END LOOP; END`,
      `BEGIN PERFORM "dblink_exec"/**/('a', 'b'); END`,
      "BEGIN COPY t TO/**/PROGRAM 'true'; END",
      'BEGIN CALL pg_catalog.pg_reload_conf(); END',
    ];
    for (const body of bodies) assert.deepStrictEqual(kinds(`DO $$ ${body} $$;`), ['escapes'], body);
  });

  it('reads a constant EXECUTE, and calls a query built at run time undecidable: concatenation, format(), a variable', () => {
    assert.deepStrictEqual(kinds(`DO $$ BEGIN EXECUTE 'SELECT ${DBLINK.replace(/'/g, "''")}'; END $$;`), ['escapes']);
    assert.deepStrictEqual(kinds("DO $$ BEGIN EXECUTE $q$ COPY t TO PROGRAM 'true' $q$; END $$;"), ['escapes']);
    assert.deepStrictEqual(kinds("DO $$ BEGIN EXECUTE 'ALTER TABLE t ADD COLUMN x int'; END $$;"), ['contained']);
    const built = [
      "BEGIN EXECUTE 'SELECT dblink' || '_exec(1)'; END",
      "BEGIN EXECUTE format('SELECT %s()', 'pg_reload_conf'); END",
      "DECLARE q text := 'SELECT 1'; BEGIN EXECUTE q; END",
      "DECLARE r record; BEGIN FOR r IN EXECUTE 'SELECT ' || '1' LOOP END LOOP; END",
      "DECLARE c refcursor; BEGIN OPEN c FOR EXECUTE 'SELECT ' || '1'; END",
    ];
    for (const body of built) {
      const [verdict] = verdicts(`DO $$ ${body} $$;`);
      assert.deepStrictEqual(verdict.escapes, [], body);
      assert.match(verdict.undecidable[0] ?? '', /^EXECUTE of a query built when it runs/, body);
    }
    assert.match(
      verdicts("SELECT query_to_xml(current_setting('x'), true, false, '');")[0].undecidable[0],
      /query_to_xml\(\) of a query built when it runs/,
    );
    assert.match(verdicts('DO LANGUAGE plpython3u $$ import os $$;')[0].undecidable[0], /a DO block in plpython3u/);
  });

  it('lets a function be created and refuses its calls when its body escapes: SQL, PL/pgSQL, BEGIN ATOMIC, triggers, renames, overloads, field notation', () => {
    const sql = [
      `CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $f$ SELECT ${DBLINK} $f$;`,
      'SELECT f();',
      `CREATE FUNCTION g() RETURNS void LANGUAGE plpgsql AS $g$ BEGIN PERFORM ${DBLINK}; END $g$;`,
      'SELECT * FROM g();',
      `CREATE PROCEDURE p() BEGIN ATOMIC SELECT ${DBLINK}; END;`,
      'CALL p();',
      'CREATE FUNCTION h() RETURNS trigger LANGUAGE plpgsql AS $h$ BEGIN PERFORM g(); RETURN NEW; END $h$;',
      'CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION h();',
      'ALTER FUNCTION h() RENAME TO innocent;',
      'SELECT innocent();',
      'CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $f$ SELECT x $f$;',
      'SELECT f();',
      'CREATE FUNCTION clean() RETURNS int LANGUAGE sql AS $c$ SELECT 1 $c$;',
      'SELECT clean();',
      `CREATE FUNCTION late(x text DEFAULT ${DBLINK}) RETURNS text LANGUAGE sql AS $l$ SELECT x $l$;`,
      'SELECT late();',
      'SELECT t.f, (t).f FROM t;',
    ];
    assert.deepStrictEqual(kinds(sql.join('\n')), [
      'contained',
      'escapes',
      'contained',
      'escapes',
      'contained',
      'escapes',
      'contained',
      'escapes',
      'contained',
      'escapes',
      'contained',
      'escapes',
      'contained',
      'contained',
      'contained',
      'escapes',
      'escapes',
    ]);
    assert.match(
      verdicts(sql.slice(0, 2).join('\n'))[1].escapes[0],
      /^f\(\), created above, leads to this: dblink_exec\(\)/,
    );
  });

  it('judges CREATE OR REPLACE FUNCTION by its new body, which existing triggers, views and defaults would run', () => {
    const sql = [
      `CREATE OR REPLACE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $a$ BEGIN PERFORM ${DBLINK}; RETURN NEW; END $a$;`,
      'CREATE OR REPLACE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $s$ BEGIN EXECUTE NEW.query; RETURN NEW; END $s$;',
      'CREATE OR REPLACE FUNCTION clean() RETURNS int LANGUAGE sql AS $c$ SELECT 1 $c$;',
    ];
    assert.deepStrictEqual(kinds(sql.join('\n')), ['escapes', 'undecidable', 'contained']);
    assert.match(
      verdicts(sql[0])[0].escapes[0],
      /^it gives audit\(\), which existing triggers, views or defaults may call, a body that escapes: dblink_exec\(\)/,
    );
    assert.deepStrictEqual(kinds("LOAD 'auto_explain';"), ['escapes']);
  });

  it('calls a function whose body cannot be read undecidable: C, internal, other languages, a query it is given', () => {
    const sql = [
      "CREATE FUNCTION sh(text) RETURNS int LANGUAGE c AS 'libc.so.6', 'system';",
      "SELECT sh('true');",
      "CREATE FUNCTION kill(int) RETURNS bool LANGUAGE internal AS 'pg_terminate_backend';",
      'SELECT kill(1);',
      'CREATE FUNCTION run(q text) RETURNS void LANGUAGE plpgsql AS $r$ BEGIN EXECUTE q; END $r$;',
      "SELECT run('SELECT 1');",
    ];
    assert.deepStrictEqual(kinds(sql.join('\n')), [
      'contained',
      'undecidable',
      'contained',
      'undecidable',
      'contained',
      'undecidable',
    ]);
    assert.match(
      verdicts(sql.slice(0, 2).join('\n'))[1].undecidable[0],
      /^sh\(\), created above, runs a body in c, which cannot be read/,
    );
  });

  it('gives up on SQL nested deeper than its limit instead of overflowing the stack', () => {
    let sql = 'SELECT pg_reload_conf()';
    for (let level = 0; level < 200; level++)
      sql = `DO $d${level}$ BEGIN EXECUTE $q${level}$ ${sql} $q${level}$; END $d${level}$`;
    const [verdict] = verdicts(`${sql};`);
    assert.deepStrictEqual(verdict.escapes, []);
    assert.match(verdict.undecidable[0] ?? '', /nested more than \d+ strings deep/);
  });

  it('finds the channels a DO block notifies with the same walk, and none in definitions that run later', () => {
    const channels = (sql: string) => parseMigration('migration.sql', sql).statements.map(notifiedChannels);
    assert.deepStrictEqual(
      channels("DO $$ BEGIN NOTIFY deploys; PERFORM pg_notify('jobs', 'x'); EXECUTE 'NOTIFY later'; END $$;"),
      [['deploys', 'jobs', 'later']],
    );
    assert.deepStrictEqual(
      channels("CREATE RULE r AS ON INSERT TO t DO ALSO NOTIFY c;\nSELECT pg_notify(current_user, '');"),
      [[], ['?']],
    );
  });
});
