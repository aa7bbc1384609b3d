import * as assert from 'assert';
import * as path from 'path';
import { ClusterConnection } from '../server/src/dryrun/embedded-cluster';
import { dryRunProgramOn, setUp } from './support/dry-run';
import { freshDatabase } from './support/postgres';

/**
 * COPY ... FROM STDIN and COPY ... TO STDOUT through the transaction proxy (issue 13): seed and sync scripts load
 * data this way, with postgres-js streams, pg submittables (pg-copy-streams' way), psql's \copy. Each run is held
 * to the suite's guarantee: the database is unchanged after it (test/support/dry-run.ts).
 */

const ITEMS = `CREATE TABLE items (sku text PRIMARY KEY, qty integer NOT NULL);
INSERT INTO items (sku, qty) VALUES ('a-0', 1);`;

/**
 * A COPY FROM STDIN sent with pg's Connection as pg-copy-streams sends it (a simple Query), or as libpq's
 * PQexecParams does (Parse, Bind, Describe, Execute, Sync; then the data, CopyDone and another Sync, since the
 * server ignores the first Sync while it waits for the data). `end: 'fail'` sends CopyFail after the data, as a
 * client does when its source breaks.
 */
const COPY_IN_SUBMITTABLE = `
class CopyIn {
  constructor(text, data, { protocol = 'simple', end = 'done' } = {}) {
    Object.assign(this, { text, data, protocol, end });
    this.done = new Promise((resolve, reject) => { this.resolve = resolve; this.reject = reject; });
  }
  submit(connection) {
    if (this.protocol === 'simple') return connection.query(this.text);
    connection.parse({ text: this.text });
    connection.bind({});
    connection.describe({ type: 'P' });
    connection.execute({});
    connection.sync();
  }
  handleCopyInResponse(connection) {
    connection.sendCopyFromChunk(Buffer.from(this.data));
    if (this.end === 'fail') connection.sendCopyFail('the source file is unreadable');
    else connection.endCopyFrom();
    if (this.protocol === 'extended') connection.sync();
  }
  handleCommandComplete(message) { this.command = message.text; }
  handleError(error) { this.reject(error); }
  handleReadyForQuery() { this.resolve(this.command); }
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyData() {}
}
`;

describe('dry-run of a program: COPY FROM STDIN and COPY TO STDOUT through the transaction proxy', function () {
  this.timeout(120_000);
  let database: ClusterConnection;

  before(async () => {
    database = await freshDatabase('program_copy');
    await setUp(database, ITEMS);
  });

  it('loads rows with a postgres-js COPY FROM STDIN stream and reads them back with COPY TO STDOUT: ok, the COPY counted, the rows changed reported', async () => {
    const seed = `const postgres = require('postgres');
const { Readable } = require('stream');
const { pipeline } = require('stream/promises');
(async () => {
  const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  const writable = await sql\`COPY items (sku, qty) FROM STDIN\`.writable();
  await pipeline(Readable.from(['a-1\\t3\\n', 'a-2\\t5\\n', 'a-3\\t7\\n']), writable);
  const readable = await sql\`COPY (SELECT sku, qty FROM items ORDER BY sku) TO STDOUT\`.readable();
  let copied = '';
  for await (const chunk of readable) copied += chunk;
  process.stdout.write(copied);
  const [{ count }] = await sql\`SELECT count(*)::int AS count FROM items\`;
  console.log('count', count);
  await sql.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'seed.js' }, { 'seed.js': seed });
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    assert.deepStrictEqual(report.program!.stdout.trim().split('\n'), [
      'a-0\t1',
      'a-1\t3',
      'a-2\t5',
      'a-3\t7',
      'count 4',
    ]);
    // postgres-js reads pg_type for its array types first.
    const [copyIn, copyOut] = report.statements.filter((s) => s.sql.startsWith('COPY'));
    assert.deepStrictEqual([copyIn.status, copyIn.command, copyIn.rowCount, copyIn.connection], ['ok', 'COPY', 3, 1]);
    assert.deepStrictEqual([copyOut.status, copyOut.command, copyOut.rowCount], ['ok', 'COPY', 4]);
    assert.ok(copyIn.locks.some((lock) => lock.relation === 'public.items' && lock.mode === 'RowExclusiveLock'));
    assert.deepStrictEqual(
      report.dataChanges?.map((change) => [change.table, change.inserted, change.updated, change.deleted]),
      [['public.items', 3, 0, 0]],
    );
  });

  it("runs psql's \\copy FROM a CSV file and TO STDOUT with --exec: each COPY reported with its row count", async () => {
    const report = await dryRunProgramOn(
      database,
      {
        exec: `psql -X -q -v ON_ERROR_STOP=1 -c "\\copy items (sku, qty) FROM 'items.csv' CSV HEADER" -c "\\copy (SELECT sum(qty) FROM items) TO STDOUT"`,
      },
      { 'items.csv': 'sku,qty\nc-1,10\nc-2,20\n' },
    );
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    assert.deepStrictEqual(
      report.statements.map((s) => [s.status, s.command, s.rowCount]),
      [
        ['ok', 'COPY', 2],
        ['ok', 'COPY', 1],
      ],
    );
    assert.strictEqual(report.program!.stdout.trim(), '31');
  });

  it("reports a bad row of COPY data as PostgreSQL's 22P02 at the COPY's line, and the next statement still runs in the dry-run's transaction", async () => {
    const script =
      "COPY items (sku, qty) FROM STDIN;\nb-1\t4\nb-2\tfour\n\\.\nINSERT INTO items (sku, qty) VALUES ('b-3', 9);\n";
    const report = await dryRunProgramOn(database, { exec: 'psql -X -q -f load.sql' }, { 'load.sql': script });
    const [copy, insert] = report.statements;
    assert.strictEqual(copy.status, 'error', JSON.stringify(copy));
    assert.strictEqual(copy.error?.code, '22P02');
    assert.match(copy.error?.message ?? '', /invalid input syntax for type integer: "four"/);
    assert.deepStrictEqual([path.basename(copy.source?.file ?? ''), copy.source?.line], ['load.sql', 1]);
    assert.deepStrictEqual([insert.status, insert.rowCount], ['ok', 1]);
    assert.deepStrictEqual(
      report.dataChanges?.map((change) => [change.table, change.inserted]),
      [['public.items', 1]],
    );
  });

  it('relays COPY FROM STDIN in the extended protocol (a second Sync after CopyDone, as libpq sends) and a CopyFail as 57014, the connection usable after each', async () => {
    const script = `const { Client } = require('pg');
${COPY_IN_SUBMITTABLE}
(async () => {
  const client = new Client(process.env.DATABASE_URL);
  await client.connect();
  const loaded = new CopyIn('COPY items (sku, qty) FROM STDIN', 'd-1\\t1\\nd-2\\t2\\n', { protocol: 'extended' });
  client.query(loaded);
  console.log('extended', await loaded.done);
  const failed = new CopyIn('COPY items (sku, qty) FROM STDIN', 'd-3\\t3\\n', { end: 'fail' });
  client.query(failed);
  await failed.done.then(() => console.log('CopyFail accepted'), (error) => console.log('failed', error.code, error.message));
  const { rows } = await client.query("SELECT string_agg(sku, ',' ORDER BY sku) AS skus FROM items WHERE sku LIKE 'd-%'");
  console.log('loaded', rows[0].skus);
  await client.query("COPY items FROM PROGRAM 'cat /etc/hostname'").catch((error) => console.log('program', error.code));
  await client.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'load.js' }, { 'load.js': script });
    assert.deepStrictEqual(report.program!.stdout.trim().split('\n'), [
      'extended COPY 2',
      'failed 57014 COPY from stdin failed: the source file is unreadable',
      'loaded d-1,d-2',
      'program 0A000',
    ]);
    const [extended, failed, select, program] = report.statements;
    assert.deepStrictEqual([extended.status, extended.rowCount], ['ok', 2]);
    assert.deepStrictEqual([failed.status, failed.error?.code], ['error', '57014']);
    assert.strictEqual(select.status, 'ok');
    assert.strictEqual(program.status, 'skipped');
    assert.match(program.reason ?? '', /COPY \.\.\. FROM PROGRAM runs a program on the database server/);
  });

  it('ends a COPY FROM STDIN whose program exits in the middle of its data: the COPY reported failed, the dry-run over in seconds, nothing loaded', async () => {
    const script = `const { Client } = require('pg');
${COPY_IN_SUBMITTABLE}
class DyingCopyIn extends CopyIn {
  handleCopyInResponse(connection) {
    connection.sendCopyFromChunk(Buffer.from(this.data));
    connection.stream.write(Buffer.alloc(0), () => process.exit(0));
  }
}
(async () => {
  const client = new Client(process.env.DATABASE_URL);
  await client.connect();
  client.query(new DyingCopyIn('COPY items (sku, qty) FROM STDIN', 'e-1\\t1\\n'));
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const started = Date.now();
    const report = await dryRunProgramOn(database, { script: 'dies.js' }, { 'dies.js': script }, { timeout: '60s' });
    assert.ok(Date.now() - started < 20_000, `the dry-run took ${Date.now() - started} ms`);
    const [copy] = report.statements;
    assert.deepStrictEqual([copy.status, copy.error?.code], ['error', '57014']);
    assert.match(copy.error?.message ?? '', /client connection closed during COPY/);
    assert.deepStrictEqual(report.dataChanges ?? [], []);
  });
});
