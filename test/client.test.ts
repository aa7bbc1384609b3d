import * as assert from 'assert';
import { describeUrl, passwordInConnectionString, separatePassword, validUrl } from '../client/src/connectionStrings';
import { flaggedPlans, lineSummary, outcomeSummary, statementSummary } from '../client/src/dryRunFormat';
import { renderReport } from '../client/src/dryRunHtml';
import { followEdits } from '../client/src/editedSince';
import type { DryRunReport, LockTaken, PgLockMode, StatementError, StatementReport } from '../shared/protocol';

/**
 * The VS Code client's editor-independent parts: which connection strings settings may hold, and what
 * the dry-run results show (inline summaries and the results page). The extension as a whole runs in a
 * real VS Code in test/e2e/extension.e2e.ts.
 */

function statement(overrides: Partial<StatementReport>): StatementReport {
  return {
    index: 0,
    line: 1,
    endLine: 1,
    column: 1,
    endColumn: 26,
    startOffset: 0,
    endOffset: 25,
    sql: 'UPDATE plans SET tier = 1',
    status: 'ok',
    command: null,
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

function lock(relation: string, mode: PgLockMode): LockTaken {
  return { relation, kind: 'table', mode, blocks: ['DDL'], conflictsWith: [], blocksWork: 'other schema changes' };
}

function sqlError(code: string, message: string, overrides: Partial<StatementError> = {}): StatementError {
  return {
    code,
    message,
    detail: null,
    hint: null,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    context: null,
    ...overrides,
  };
}

function report(statements: StatementReport[], outcome: DryRunReport['outcome'] = 'ok'): DryRunReport {
  return {
    version: 1,
    file: '/p/migrations/0003.sql',
    database: {
      kind: 'embedded',
      serverVersion: '18.4',
      host: '127.0.0.1',
      port: 5432,
      database: 'shadow',
      user: 'postgres',
      source: 'embedded',
      replayed: ['0001.sql'],
      notReplayed: [],
      notes: [],
    },
    committed: false,
    outcome,
    statements,
    sideEffects: [],
    settings: { lockTimeout: '5s', statementTimeout: '60s' },
    durationMs: 40,
  };
}

describe('client: connection strings', () => {
  it('finds a password in a URL, in ?password= and in the libpq key/value form', () => {
    assert.strictEqual(passwordInConnectionString('postgres://app:secret@db.internal:5432/app'), true);
    assert.strictEqual(
      passwordInConnectionString('postgresql://app@db.internal/app?sslmode=require&password=secret'),
      true,
    );
    assert.strictEqual(passwordInConnectionString('host=db.internal user=app password=secret dbname=app'), true);
  });

  it('accepts URLs without a password', () => {
    assert.strictEqual(passwordInConnectionString('postgres://app@db.internal:5432/app'), false);
    assert.strictEqual(passwordInConnectionString('postgresql://localhost/app?sslmode=require'), false);
    assert.strictEqual(passwordInConnectionString('host=db.internal user=app dbname=app'), false);
  });

  it('moves a password typed into the URL out of it, decoded', () => {
    assert.deepStrictEqual(separatePassword('postgres://app:s%40cret@db:5432/app'), {
      url: 'postgres://app@db:5432/app',
      password: 's@cret',
    });
    assert.deepStrictEqual(separatePassword('postgres://app@db/app?password=x&sslmode=require'), {
      url: 'postgres://app@db/app?sslmode=require',
      password: 'x',
    });
    assert.deepStrictEqual(separatePassword('postgres://app@db/app'), {
      url: 'postgres://app@db/app',
      password: undefined,
    });
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
    const ran = statement({ rowCount: 500, durationMs: 3.2, locks: [lock('public.plans', 'RowExclusiveLock')] });
    assert.strictEqual(statementSummary(ran), '500 rows · 3.2 ms · RowExclusiveLock');
    assert.strictEqual(statementSummary(statement({ rowCount: 1, durationMs: 1500 })), '1 row · 1.5 s');
  });

  it('names each lock mode once, in the order taken, and marks flagged sequential scans', () => {
    const locks = [
      lock('public.plans', 'AccessExclusiveLock'),
      lock('public.plans_pkey', 'AccessExclusiveLock'),
      lock('public.tiers', 'ShareRowExclusiveLock'),
    ];
    const seqScans = [
      {
        relation: 'public.plans',
        estimatedRows: 120000,
        flagged: true,
        indexCouldServe: false,
        filter: '(tier IS NULL)',
      },
      { relation: 'public.tiers', estimatedRows: 12, flagged: false, indexCouldServe: null, filter: null },
    ];
    const ran = statement({ durationMs: 12, locks, plan: { seqScans, explain: [] } });
    assert.strictEqual(statementSummary(ran), '12 ms · AccessExclusiveLock · ShareRowExclusiveLock · seq scan');
    assert.deepStrictEqual(flaggedPlans(ran), [
      'Seq Scan on public.plans (~120,000 rows): no index can serve this filter',
    ]);
  });

  it('says why a statement did not run', () => {
    const failed = statement({
      status: 'error',
      error: sqlError('55006', 'cannot ALTER TABLE "sync_lookup" because it has pending trigger events'),
    });
    assert.strictEqual(
      statementSummary(failed),
      'failed: 55006 cannot ALTER TABLE "sync_lookup" because it has pending trigger events',
    );
    assert.strictEqual(
      statementSummary(
        statement({ status: 'skipped', reason: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block' }),
      ),
      'skipped: CREATE INDEX CONCURRENTLY cannot run inside a transaction block',
    );
    assert.strictEqual(statementSummary(statement({ status: 'not-run' })), 'not run (an earlier statement failed)');
  });

  it('reports where a failed dry-run failed, and that it was rolled back', () => {
    const failed = report(
      [
        statement({}),
        statement({
          index: 1,
          line: 7,
          status: 'error',
          error: sqlError('23503', 'violates foreign key', { line: 8, column: 3 }),
        }),
      ],
      'failed',
    );
    assert.strictEqual(outcomeSummary(failed), 'dry-run failed at line 8 (rolled back)');
    assert.strictEqual(outcomeSummary(report([statement({})])), 'dry-run ok (1 statement, rolled back)');
  });
});

describe('client: dry-run results page', () => {
  const nonce = 'bm9uY2Utbm9uY2Utbm9uY2U=';
  const page = renderReport(
    report(
      [
        statement({
          index: 0,
          line: 2,
          endLine: 3,
          sql: "UPDATE plans SET note = '</script><img src=x onerror=alert(1)>'",
          rowCount: 500,
          durationMs: 3,
        }),
        statement({
          index: 1,
          line: 5,
          sql: 'ALTER TABLE plans ADD COLUMN c int',
          status: 'error',
          error: sqlError('55006', 'pending trigger events <b>', { detail: 'd & d' }),
        }),
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

  it('has one clickable row per statement with its status, lines, rows and time, and its error under it', () => {
    const rows = [
      ...page.matchAll(
        /<tr class="statement[^"]*" tabindex="0" data-index="(\d+)" data-status="([\w-]+)"[^>]*>(.*?)<\/tr>/g,
      ),
    ];
    assert.deepStrictEqual(
      rows.map((row) => [row[1], row[2]]),
      [
        ['0', 'ok'],
        ['1', 'error'],
        ['2', 'not-run'],
      ],
    );
    assert.match(rows[0][3], /<td class="num">2–3<\/td>.*<td class="num">500 rows<\/td><td class="num">3 ms<\/td>/);
    const details = [...page.matchAll(/<tr class="details" data-index="(\d+)"[^>]*>(.*?)<\/tr>/g)];
    assert.deepStrictEqual(
      details.map((row) => row[1]),
      ['1'],
    );
    assert.match(details[0][2], /<div class="error">55006: pending trigger events &lt;b&gt;<br>d &amp; d<\/div>/);
    assert.match(
      page,
      /1 statement failed<\/span> on embedded PostgreSQL · replayed 1 earlier migration · rolled back, nothing was committed/,
    );
  });
});

describe('client: results after the file was edited', () => {
  const places = [
    { startOffset: 0, endOffset: 20, edited: false },
    { startOffset: 22, endOffset: 40, edited: false },
    { startOffset: 42, endOffset: 60, edited: false },
  ];

  it('moves the statements after an edit and marks the one it changed', () => {
    // Five characters typed inside the second statement.
    const moved = followEdits(places, [{ rangeOffset: 30, rangeLength: 0, text: 'xxxxx' }]);
    assert.deepStrictEqual(moved, [
      { startOffset: 0, endOffset: 20, edited: false },
      { startOffset: 22, endOffset: 45, edited: true },
      { startOffset: 47, endOffset: 65, edited: false },
    ]);
  });

  it('applies the changes of one event against the text before it, last first', () => {
    // A line added above everything and the middle statement's gap shortened, in one event (as multi-cursor edits are).
    const moved = followEdits(places, [
      { rangeOffset: 0, rangeLength: 0, text: '-- a\n' },
      { rangeOffset: 40, rangeLength: 2, text: '' },
    ]);
    assert.deepStrictEqual(
      moved.map((p) => [p.startOffset, p.endOffset, p.edited]),
      [
        [5, 25, false],
        [27, 45, false],
        [45, 63, false],
      ],
    );
  });

  it('says on the page that the results are out of date, and which statements changed', () => {
    const stale = renderReport(
      report([statement({ index: 0 }), statement({ index: 1, line: 3 })]),
      '0003.sql',
      'bm9uY2U=',
      [1],
    );
    assert.match(
      stale,
      /Out of date: 0003\.sql was edited after this dry-run \(1 statement changed\)\. Run it again for current results\./,
    );
    assert.match(stale, /data-index="1" data-status="ok" data-edited="true"/);
    assert.doesNotMatch(stale, /data-index="0" data-status="ok" data-edited/);
    assert.doesNotMatch(renderReport(report([statement({})]), '0003.sql', 'bm9uY2U='), /Out of date/);
  });
});

describe('client: results page of a program dry-run', () => {
  const nonce = 'bm9uY2Utbm9uY2Utbm9uY2U=';
  const script = '/p/scripts/fix-over-cap.ts';
  const program: DryRunReport = {
    ...report(
      [
        statement({
          index: 0,
          line: 4,
          sql: 'SELECT id FROM visits',
          source: { file: script, line: 4, call: 'client.query' },
        }),
        statement({
          index: 1,
          line: 9,
          sql: 'UPDATE visits SET status = 1',
          rowCount: 1,
          source: { file: script, line: 9, call: 'client.query' },
        }),
        statement({
          index: 2,
          line: 12,
          sql: 'SELECT 1',
          source: { file: '/p/scripts/db.ts', line: 12, call: 'pool.query' },
        }),
        statement({
          index: 3,
          line: 9,
          sql: 'UPDATE visits SET status = 2',
          rowCount: 1,
          source: { file: script, line: 9, call: 'client.query' },
        }),
      ],
      'ok',
    ),
    file: script,
    program: {
      command: `node ${script}`,
      exitCode: 0,
      signal: null,
      timedOut: false,
      connections: 2,
      stdout: 'would flip 118 visits <b>\n',
      stderr: 'warning: 3 accounts\n',
      outsideEffects: 'effects outside PostgreSQL are not undone',
    },
    dataChanges: [
      {
        table: 'public.visits',
        inserted: 0,
        updated: 118,
        deleted: 2,
        numericSums: [{ column: 'payment_accrued', delta: -12340, rows: 118 }],
        samples: [{ before: { id: 4, payment_accrued: 120 }, after: { id: 4, payment_accrued: 100 } }],
      },
      { table: 'public.audit', inserted: 1500, updated: 0, deleted: 0, numericSums: [], samples: [] },
    ],
  };
  const page = renderReport(program, 'fix-over-cap.ts', nonce);

  it("groups the statements under the line and call of the program's code that sent them, in the order each first ran", () => {
    const headings = [...page.matchAll(/<tr class="group"><td colspan="6">(.*?)<\/td><\/tr>/g)].map((m) => m[1]);
    assert.deepStrictEqual(headings, [
      'line 4 · client.query (1 statement)',
      'line 9 · client.query (2 statements)',
      'db.ts:12 · pool.query (1 statement)',
    ]);
    const order = [...page.matchAll(/<tr class="(group|statement)[^"]*"(?: tabindex="0" data-index="(\d+)")?/g)].map(
      (m) => (m[1] === 'group' ? 'group' : m[2]),
    );
    assert.deepStrictEqual(order, ['group', '0', 'group', '1', '3', 'group', '2']);
    // Only statements are clickable: a heading reveals nothing.
    assert.match(page, /querySelectorAll\('tbody tr\[data-index\]'\)/);
  });

  it('shows each table changed with rows inserted, updated and deleted and the numeric sums that moved', () => {
    const items = page.match(/<ul class="data-changes">(.*)<\/ul>/)?.[1] ?? '';
    assert.deepStrictEqual(
      [...items.matchAll(/<li>([^<]*)/g)].map((m) => m[1]),
      [
        'public.visits: 118 rows updated, 2 rows deleted; payment_accrued: −12,340 over 118 rows',
        'id 4: payment_accrued 120 → 100',
        'public.audit: 1,500 rows inserted',
      ],
    );
  });

  it("shows the program's output, escaped, how it ended, and that effects outside PostgreSQL stay done", () => {
    assert.match(page, /<code>node \/p\/scripts\/fix-over-cap\.ts<\/code> exited with code 0 · 2 connections/);
    assert.ok(page.includes('<pre class="stdout">would flip 118 visits &lt;b&gt;\n</pre>'));
    assert.ok(page.includes('<pre class="stderr">warning: 3 accounts\n</pre>'));
    assert.match(page, /<p class="warning">effects outside PostgreSQL are not undone<\/p>/);
  });

  it('groups by client connection when the statements carry no source, and says why a program failed without a failed statement', () => {
    const unplaced = renderReport(
      {
        ...program,
        outcome: 'failed',
        statements: [
          statement({ index: 0, line: 0, endLine: 0, connection: 1 }),
          statement({ index: 1, line: 0, endLine: 0, connection: 2 }),
          statement({ index: 2, line: 0, endLine: 0, connection: 1 }),
        ],
        program: { ...program.program!, exitCode: 3 },
        dataChanges: undefined,
      },
      'fix-over-cap.ts',
      nonce,
    );
    const headings = [...unplaced.matchAll(/<tr class="group"><td colspan="6">(.*?)<\/td><\/tr>/g)].map((m) => m[1]);
    assert.deepStrictEqual(headings, ['connection 1 (2 statements)', 'connection 2 (1 statement)']);
    // No line is known: the line cell stays empty rather than saying 0.
    assert.match(unplaced, /data-index="0"[^>]*><td class="num"><\/td>/);
    assert.match(unplaced, /The program exited with code 3<\/span>/);
    assert.doesNotMatch(unplaced, /data-changes/);
  });

  it('renders a migration as before: no headings, no program section', () => {
    const migration = renderReport(report([statement({})]), '0003.sql', nonce);
    assert.doesNotMatch(migration, /<tr class="group"|Program output|data-changes/);
  });
});

describe('client: inline summary of a line that sent many statements', () => {
  it("sums a loop's statements on one line into one summary, or names the first failure among them", () => {
    const loop = [1, 2, 3].map((i) =>
      statement({ index: i, rowCount: 1, durationMs: 2, locks: [lock('public.visits', 'RowExclusiveLock')] }),
    );
    assert.strictEqual(lineSummary(loop), '3 statements · 3 rows · 6 ms · RowExclusiveLock');
    assert.strictEqual(lineSummary(loop.slice(0, 1)), statementSummary(loop[0]));
    const failing = [
      ...loop,
      statement({ index: 4, status: 'error', error: sqlError('23503', 'insert violates foreign key') }),
    ];
    assert.strictEqual(lineSummary(failing), '4 statements · failed: 23503 insert violates foreign key');
  });
});
