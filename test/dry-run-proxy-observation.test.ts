import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig } from '../server/src/config';
import { DryRunReport, dryRunProgram } from '../server/src/dryrun';
import { ClusterConnection } from '../server/src/dryrun/embedded-cluster';
import { setUp } from './support/dry-run';
import { REPO_ROOT } from './support/paths';
import { connectionUrl, freshDatabase } from './support/postgres';

/**
 * What the transaction proxy saves per statement (dryrun/proxy/repeated-writes.ts: no lock observation after a
 * repeated write to a table that can lock nothing else; client-connection.ts: a portal's Describe answered with
 * its Execute) must not cost the report a lock or the program a row description.
 */
const SCHEMA = `CREATE TABLE ledger (id serial PRIMARY KEY, amount int NOT NULL);
CREATE TABLE payments (id serial PRIMARY KEY, amount int NOT NULL);
CREATE TABLE payment_audit (payment_id int NOT NULL, note text NOT NULL);
CREATE FUNCTION audit_large_payment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.amount > 100 THEN INSERT INTO payment_audit VALUES (NEW.id, 'large'); END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER payments_audit AFTER INSERT ON payments FOR EACH ROW EXECUTE FUNCTION audit_large_payment();`;

async function dryRunScript(database: ClusterConnection, script: string): Promise<DryRunReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-observation-'));
  fs.writeFileSync(path.join(dir, 'script.js'), script);
  try {
    const report = await dryRunProgram({
      program: { script: 'script.js' },
      cwd: dir,
      config: defaultConfig(dir),
      databaseUrl: connectionUrl(database),
      env: { PATH: process.env.PATH, NODE_PATH: path.join(REPO_ROOT, 'node_modules') },
      homeDir: dir,
    });
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    return report;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const wrapped = (body: string) => `
const { Client } = require('pg');
const client = new Client(process.env.DATABASE_URL);
(async () => {
  await client.connect();
${body}
  await client.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe('dry-run through the transaction proxy: what each statement costs, and what it still reports', function () {
  this.timeout(120_000);
  let database: ClusterConnection;

  before(async () => {
    database = await freshDatabase('observation');
    await setUp(database, SCHEMA);
  });

  it('reports the lock a conditional trigger takes at the third of three repeated INSERTs (a table with triggers is observed after every write)', async () => {
    const report = await dryRunScript(
      database,
      wrapped(
        `  for (const amount of [1, 2, 500]) await client.query('INSERT INTO payments (amount) VALUES ($1)', [amount]);`,
      ),
    );
    const inserts = report.statements.filter((s) => s.command === 'INSERT');
    assert.strictEqual(inserts.length, 3);
    assert.ok(
      inserts[2].locks.some((lock) => lock.relation === 'public.payment_audit' && lock.mode === 'RowExclusiveLock'),
      JSON.stringify(inserts.map((s) => s.locks.map((l) => `${l.relation} ${l.mode}`))),
    );
  });

  it('plans a repeated UPDATE once, showing that plan at each repeat, and plans again after an index is created', async () => {
    const report = await dryRunScript(
      database,
      wrapped(`  await client.query('INSERT INTO ledger (amount) SELECT g FROM generate_series(1, 50) g');
  for (const id of [1, 2, 3]) await client.query(\`UPDATE ledger SET amount = amount - 1 WHERE amount = \${id}\`);
  await client.query('CREATE INDEX ledger_amount ON ledger (amount)');
  for (const id of [4, 5]) await client.query(\`UPDATE ledger SET amount = amount - 1 WHERE amount = \${id}\`);`),
    );
    const updates = report.statements.filter((s) => s.command === 'UPDATE');
    assert.deepStrictEqual(
      updates.map((s) => s.plan?.plannedAt ?? null),
      // After the index the table has a relation new to the dry-run: every UPDATE is planned (and observed) again.
      [null, updates[0].index, updates[0].index, null, null],
    );
    assert.deepStrictEqual(updates[2].plan?.seqScans, updates[0].plan?.seqScans);
  });

  it("gives a parameterised query's rows their description: RETURNING rows, and the columns of an empty result", async () => {
    const report = await dryRunScript(
      database,
      wrapped(`  const inserted = await client.query('INSERT INTO ledger (amount) VALUES ($1) RETURNING id, amount', [5]);
  const none = await client.query('SELECT id FROM ledger WHERE amount = $1', [-1]);
  const plain = await client.query('UPDATE ledger SET amount = amount WHERE amount = $1', [-1]);
  console.log(JSON.stringify({
    inserted: inserted.rows.map((row) => row.amount),
    insertedFields: inserted.fields.map((field) => field.name),
    noneFields: none.fields.map((field) => field.name),
    noneRows: none.rows.length,
    plainFields: plain.fields.length,
    plainCommand: plain.command,
  }));`),
    );
    assert.deepStrictEqual(JSON.parse(report.program!.stdout), {
      inserted: [5],
      insertedFields: ['id', 'amount'],
      noneFields: ['id'],
      noneRows: 0,
      plainFields: 0,
      plainCommand: 'UPDATE',
    });
  });
});
