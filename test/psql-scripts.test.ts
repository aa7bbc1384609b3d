import * as assert from 'assert';
import { defaultConfig } from '../server/src/config';
import { initEngine, lintText } from '../server/src/lint/engine';
import { FileFragment } from '../server/src/parse/fragment';
import { parseFragment } from '../server/src/parse/sql';
import { REPO_ROOT } from './support/paths';

/**
 * psql scripts as psql reads them: meta-commands anywhere outside quotes, the ones that send the query
 * buffer ending the statement on their line (found by linting PostgreSQL's own regression suite, which
 * uses `\gset` and `\gexec` hundreds of times), and psql variables standing for text Preflight cannot see.
 */
const config = defaultConfig(REPO_ROOT);

function statementsOf(sql: string) {
  return parseFragment(new FileFragment(sql)).statements.map((s) => ({
    kind: s.kind,
    text: s.text,
    type: s.type,
    error: s.syntaxError?.message,
  }));
}

/**
 * Every meta-command of psql 15.18 (`psql --help=commands`) and those PostgreSQL 16–18 added (`\bind`,
 * `\bind_named`, `\close_prepared`, `\parse`, the pipeline commands, `\drg`, `\restrict`), with arguments.
 */
const META_COMMANDS = [
  '\\copyright',
  '\\crosstabview',
  '\\errverbose',
  '\\g',
  '\\g out.txt',
  '\\gdesc',
  '\\gexec',
  '\\gset prefix_',
  '\\gx',
  '\\q',
  '\\quit',
  '\\restrict abc123',
  '\\unrestrict abc123',
  '\\watch 2',
  '\\?',
  '\\? commands',
  '\\h',
  '\\help ALTER TABLE',
  '\\e',
  '\\edit file.sql 3',
  '\\ef f',
  '\\ev v',
  '\\p',
  '\\print',
  '\\r',
  '\\reset',
  '\\s',
  '\\w out.sql',
  '\\write out.sql',
  "\\copy t FROM 'data.csv' CSV",
  '\\echo hello; world',
  '\\i other.sql',
  '\\include other.sql',
  '\\ir relative.sql',
  '\\include_relative relative.sql',
  '\\o out.txt',
  '\\out',
  '\\qecho x',
  '\\warn careful',
  '\\if :is_prod',
  '\\elif true',
  '\\else',
  '\\endif',
  '\\d',
  '\\d+ users',
  '\\dS+',
  '\\da',
  '\\dA+',
  '\\dAc',
  '\\dAf',
  '\\dAo',
  '\\dAp',
  '\\db+',
  '\\dc',
  '\\dconfig work_mem',
  '\\dC+',
  '\\dd',
  '\\dD',
  '\\ddp',
  '\\dE',
  '\\des',
  '\\det',
  '\\deu',
  '\\dew',
  '\\df',
  '\\dfantw+',
  '\\dF+',
  '\\dFd',
  '\\dFp',
  '\\dFt',
  '\\dg',
  '\\di',
  '\\dl',
  '\\dL',
  '\\dm',
  '\\dn',
  '\\do',
  '\\dO',
  '\\dp',
  '\\dP',
  '\\dPitn+',
  '\\drds',
  '\\drg',
  '\\dRp',
  '\\dRs',
  '\\ds',
  '\\dt public.*',
  '\\dT',
  '\\du',
  '\\dv',
  '\\dx+',
  '\\dX',
  '\\dy',
  '\\l',
  '\\list',
  '\\l+',
  '\\sf+ f',
  '\\sv v',
  '\\z',
  '\\lo_export 1 /tmp/x',
  '\\lo_import /tmp/x',
  '\\lo_list',
  '\\lo_unlink 1',
  '\\a',
  '\\C title',
  '\\f ,',
  '\\H',
  '\\html',
  '\\pset format csv',
  '\\t',
  '\\T x',
  '\\x auto',
  '\\c other_db',
  '\\connect other_db app',
  '\\conninfo',
  '\\encoding UTF8',
  '\\password app',
  '\\cd /tmp',
  '\\getenv home HOME',
  '\\setenv PAGER less',
  '\\timing on',
  '\\! ls',
  '\\prompt "name? " name',
  '\\set ON_ERROR_STOP on',
  '\\unset name',
  '\\bind 1 2',
  '\\bind_named stmt 1',
  '\\close_prepared stmt',
  '\\parse stmt',
  '\\startpipeline',
  '\\sendpipeline',
  '\\syncpipeline',
  '\\flushrequest',
  '\\flush',
  '\\getresults 1',
  '\\endpipeline',
];

describe('psql scripts', () => {
  before(() => initEngine());

  it('ends a statement at \\gset, \\gexec and the other meta-commands that send the query buffer', () => {
    const sql = [
      'SELECT oid AS datoid FROM pg_database WHERE datname = current_database() \\gset',
      "SELECT 'CREATE DATABASE app' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'app')\\gexec",
      'SELECT :datoid AS id \\gx',
      "SELECT $1, $2 \\bind 'foo' 'bar' \\g",
      'SELECT 1 \\crosstabview',
      'SELECT now() \\watch 1',
      '',
    ].join('\n');
    const statements = statementsOf(sql);
    assert.deepStrictEqual(
      statements.map((s) => [s.kind, s.type ?? s.text]),
      [
        ['statement', 'SelectStmt'],
        ['psql-command', '\\gset'],
        ['statement', 'SelectStmt'],
        ['psql-command', '\\gexec'],
        ['statement', 'SelectStmt'],
        ['psql-command', '\\gx'],
        ['statement', 'SelectStmt'],
        ['psql-command', "\\bind 'foo' 'bar' \\g"],
        ['statement', 'SelectStmt'],
        ['psql-command', '\\crosstabview'],
        ['statement', 'SelectStmt'],
        ['psql-command', '\\watch 1'],
      ],
    );
    assert.ok(statements.every((s) => s.error === undefined));
  });

  it('splits at \\; as psql sends two statements, and drops a buffer \\r empties', () => {
    assert.deepStrictEqual(
      statementsOf('SELECT 1 \\; UPDATE t SET a = 1;\n').map((s) => s.type),
      ['SelectStmt', 'UpdateStmt'],
    );
    assert.deepStrictEqual(
      statementsOf('SELECT 2 \\r\nSELECT 3;\n').map((s) => [s.kind, s.text]),
      [
        ['psql-command', '\\r'],
        ['statement', 'SELECT 3'],
      ],
    );
  });

  it('does not call a statement that is only a psql variable a syntax error, but still reports real ones', () => {
    const lint = (sql: string) =>
      lintText('/scripts/run.sql', sql, { config }).diagnostics.filter((d) => d.rule === 'parse-error');
    assert.deepStrictEqual(lint(':qry;\nEXPLAIN (COSTS OFF) :qry;\nSELECT :\'name\' FROM :"table";\n'), []);
    const [error] = lint('ALTER TABLE :tbl ADD COLUMN;\n');
    assert.match(error?.message ?? '', /syntax error at end of input/);
  });

  it('lints a script that uses every psql meta-command, finding what the SQL around them does', function () {
    this.timeout(5000);
    const lines: string[] = [];
    for (const command of META_COMMANDS) lines.push(`SELECT 1;`, command);
    const ddl = lines.length + 1;
    lines.push('ALTER TABLE plans ADD COLUMN note text;', "UPDATE plans SET note = '';", '');
    const sql = lines.join('\n');
    const statements = statementsOf(sql);
    assert.strictEqual(statements.filter((s) => s.kind === 'psql-command').length, META_COMMANDS.length);
    assert.strictEqual(statements.filter((s) => s.kind === 'statement').length, META_COMMANDS.length + 2);
    const diagnostics = lintText('/scripts/every-command.sql', sql, { config }).diagnostics;
    assert.deepStrictEqual(
      diagnostics.filter((d) => d.rule === 'parse-error'),
      [],
    );
    const mixed = diagnostics.find((d) => d.rule === 'mixed-ddl-dml');
    assert.ok(mixed, 'the DDL and DML after the meta-commands were checked');
    assert.strictEqual(sql.slice(0, mixed.span.start).split('\n').length, ddl + 1);
  });
});
