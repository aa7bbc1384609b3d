import * as assert from 'assert';
import { describeUrl, passwordInConnectionString, separatePassword, validUrl } from '../client/src/connectionStrings';
import { outcomeSummary, statementSummary } from '../client/src/dryRunFormat';
import { renderReport } from '../client/src/dryRunHtml';
import type { DryRunReport, DryRunStatement } from '../client/src/dryRunReport';

/**
 * The VS Code client's editor-independent parts: which connection strings settings may hold, and what
 * the dry-run results show (inline summaries and the results page). The extension as a whole runs in a
 * real VS Code in test/e2e/extension.e2e.ts.
 */

function statement(overrides: Partial<DryRunStatement>): DryRunStatement {
  return {
    index: 0,
    line: 1,
    endLine: 1,
    sql: 'UPDATE plans SET tier = 1',
    status: 'ok',
    rowCount: null,
    durationMs: null,
    locks: [],
    rewrites: [],
    plan: null,
    notices: [],
    error: null,
    ...overrides,
  };
}

function report(statements: DryRunStatement[], outcome: DryRunReport['outcome'] = 'ok'): DryRunReport {
  return { version: 1, file: '/p/migrations/0003.sql', database: { kind: 'embedded', replayed: ['0001.sql'] }, committed: false, outcome, statements, sideEffects: [] };
}

describe('client: connection strings', () => {
  it('finds a password in a URL, in ?password= and in the libpq key/value form', () => {
    assert.strictEqual(passwordInConnectionString('postgres://app:secret@db.internal:5432/app'), true);
    assert.strictEqual(passwordInConnectionString('postgresql://app@db.internal/app?sslmode=require&password=secret'), true);
    assert.strictEqual(passwordInConnectionString('host=db.internal user=app password=secret dbname=app'), true);
  });

  it('accepts URLs without a password', () => {
    assert.strictEqual(passwordInConnectionString('postgres://app@db.internal:5432/app'), false);
    assert.strictEqual(passwordInConnectionString('postgresql://localhost/app?sslmode=require'), false);
    assert.strictEqual(passwordInConnectionString('host=db.internal user=app dbname=app'), false);
  });

  it('moves a password typed into the URL out of it, decoded', () => {
    assert.deepStrictEqual(separatePassword('postgres://app:s%40cret@db:5432/app'), { url: 'postgres://app@db:5432/app', password: 's@cret' });
    assert.deepStrictEqual(separatePassword('postgres://app@db/app?password=x&sslmode=require'), { url: 'postgres://app@db/app?sslmode=require', password: 'x' });
    assert.deepStrictEqual(separatePassword('postgres://app@db/app'), { url: 'postgres://app@db/app', password: undefined });
  });

  it('describes a connection by host and database only', () => {
    assert.strictEqual(describeUrl('postgres://app:secret@db.internal:5432/app'), 'db.internal:5432/app');
    assert.strictEqual(describeUrl('host=db user=app password=secret dbname=app'), 'host=db dbname=app');
  });

  it('takes postgres:// URLs with a host (or a socket directory) only', () => {
    assert.strictEqual(validUrl('postgres://app@localhost:5432/app'), true);
    assert.strictEqual(validUrl('postgres:///app?host=/var/run/postgresql'), true);
    assert.strictEqual(validUrl('mysql://app@localhost/app'), false);
    assert.strictEqual(validUrl('localhost:5432'), false);
  });
});

describe('client: dry-run summaries', () => {
  it('summarises a statement that ran as rows · time · locks', () => {
    const ran = statement({ rowCount: 500, durationMs: 3.2, locks: [{ relation: 'public.plans', mode: 'RowExclusiveLock' }] });
    assert.strictEqual(statementSummary(ran), '500 rows · 3.2 ms · RowExclusiveLock');
    assert.strictEqual(statementSummary(statement({ rowCount: 1, durationMs: 1500 })), '1 row · 1.5 s');
  });

  it('names each lock mode once, in the order taken, and marks flagged sequential scans', () => {
    const locks = [
      { relation: 'public.plans', mode: 'AccessExclusiveLock' },
      { relation: 'public.plans_pkey', mode: 'AccessExclusiveLock' },
      { relation: 'public.tiers', mode: 'ShareRowExclusiveLock' },
    ];
    const summary = statementSummary(statement({ durationMs: 12, locks, plan: { seqScans: [{ relation: 'public.plans', estimatedRows: 120000 }] } }));
    assert.strictEqual(summary, '12 ms · AccessExclusiveLock · ShareRowExclusiveLock · seq scan');
  });

  it('says why a statement did not run', () => {
    const failed = statement({ status: 'error', error: { code: '55006', message: 'cannot ALTER TABLE "sync_lookup" because it has pending trigger events', detail: null, hint: null } });
    assert.strictEqual(statementSummary(failed), 'failed: 55006 cannot ALTER TABLE "sync_lookup" because it has pending trigger events');
    assert.strictEqual(statementSummary(statement({ status: 'skipped', reason: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block' })), 'skipped: CREATE INDEX CONCURRENTLY cannot run inside a transaction block');
    assert.strictEqual(statementSummary(statement({ status: 'not-run' })), 'not run (an earlier statement failed)');
  });

  it('reports where a failed dry-run failed, and that it was rolled back', () => {
    const failed = report([statement({}), statement({ index: 1, line: 7, status: 'error', error: { code: '23503', message: 'violates foreign key', detail: null, hint: null, line: 8, column: 3 } })], 'failed');
    assert.strictEqual(outcomeSummary(failed), 'dry-run failed at line 8 (rolled back)');
    assert.strictEqual(outcomeSummary(report([statement({})])), 'dry-run ok (1 statement, rolled back)');
  });
});

describe('client: dry-run results page', () => {
  const nonce = 'bm9uY2Utbm9uY2Utbm9uY2U=';
  const page = renderReport(
    report(
      [
        statement({ index: 0, line: 2, endLine: 3, sql: "UPDATE plans SET note = '</script><img src=x onerror=alert(1)>'", rowCount: 500, durationMs: 3 }),
        statement({ index: 1, line: 5, sql: 'ALTER TABLE plans ADD COLUMN c int', status: 'error', error: { code: '55006', message: 'pending trigger events <b>', detail: 'd & d', hint: null } }),
        statement({ index: 2, line: 7, sql: 'SELECT 1', status: 'not-run' }),
      ],
      'failed',
    ),
    '0003_<dedupe>.sql',
    nonce,
  );

  it('allows no network or file access: only the nonce’d inline style and script run', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1];
    assert.strictEqual(csp, `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`);
    const tags = page.match(/<(script|style|link|img|iframe)\b[^>]*>/g) ?? [];
    assert.deepStrictEqual(tags, [`<style nonce="${nonce}">`, `<script nonce="${nonce}">`]);
    // No tag loads anything (attribute values, which hold escaped report text, blanked first).
    assert.doesNotMatch(page.replace(/"[^"]*"/g, '""'), /<[a-z][^<>]*\s(src|href)=/i);
  });

  it('escapes everything that comes from the report', () => {
    assert.ok(page.includes('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(page.includes('pending trigger events &lt;b&gt;'));
    assert.ok(page.includes('d &amp; d'));
    assert.ok(page.includes('<h1>0003_&lt;dedupe&gt;.sql</h1>'));
  });

  it('has one clickable row per statement with its status, lines, rows and time', () => {
    const rows = [...page.matchAll(/<tr tabindex="0" data-index="(\d+)" data-status="([\w-]+)"[^>]*>(.*?)<\/tr>/g)];
    assert.deepStrictEqual(rows.map((row) => [row[1], row[2]]), [['0', 'ok'], ['1', 'error'], ['2', 'not-run']]);
    assert.match(rows[0][3], /<td class="num">2–3<\/td>.*<td class="num">500 rows<\/td><td class="num">3 ms<\/td>/);
    assert.match(rows[1][3], /55006: pending trigger events/);
    assert.match(page, /1 statement failed<\/span> on embedded PostgreSQL · replayed 1 earlier migration · rolled back, nothing was committed/);
  });
});
