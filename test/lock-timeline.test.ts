import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { TimelineInput, TimelineStatement, lockTimeline } from '../server/src/report/lock-timeline';
import { REPORT_FIXTURES } from './support/report-fixtures';

const dryRunFixture = (name: string): TimelineInput =>
  JSON.parse(fs.readFileSync(path.join(REPORT_FIXTURES, 'check', 'dry-run', `${name}.json`), 'utf8'));

const statement = (
  index: number,
  sql: string,
  locks: TimelineStatement['locks'] = [],
  status = 'ok',
): TimelineStatement => ({
  index,
  line: index + 1,
  endLine: index + 1,
  sql,
  status,
  durationMs: 1,
  locks,
});

describe('lock timeline model', () => {
  it('holds each lock from the statement that took it to the end of the migration', () => {
    const timeline = lockTimeline(dryRunFixture('0002_tier.sql'));
    assert.deepStrictEqual(
      timeline.slots.map((s) => [s.line, s.status, s.transaction]),
      [
        [2, 'ok', 0],
        [3, 'ok', 0],
        [5, 'ok', 0],
        [7, 'skipped', 0],
      ],
    );
    assert.deepStrictEqual(
      timeline.lanes.map((lane) =>
        lane.bars.map((b) => [b.relation, b.mode, b.impact, b.from, b.to, b.release, b.heldMs]),
      ),
      [
        // The ACCESS EXCLUSIVE lock of the quick ALTER is held through the 843 ms UPDATE and the foreign key.
        [['public.plans', 'AccessExclusiveLock', 'reads-and-writes', 0, 4, 'end', 2.1 + 843.5 + 310.2]],
        [['public.orders', 'ShareRowExclusiveLock', 'writes', 2, 4, 'end', 310.2]],
      ],
    );
  });

  it('ends the bars at a failing statement, which aborts the transaction', () => {
    const timeline = lockTimeline(dryRunFixture('0003_sync_note.sql'));
    const [lane] = timeline.lanes;
    assert.strictEqual(lane.relation, 'public.sync_lookup');
    assert.deepStrictEqual(
      lane.bars.map((b) => [b.mode, b.impact, b.from, b.to, b.release]),
      [['RowExclusiveLock', 'schema-changes', 1, 3, 'error']],
    );
  });

  it('releases locks at COMMIT and ROLLBACK, but not at ROLLBACK TO SAVEPOINT', () => {
    const plans = [{ relation: 'public.plans', mode: 'AccessExclusiveLock' }];
    const timeline = lockTimeline({
      statements: [
        statement(0, 'BEGIN'),
        statement(1, 'ALTER TABLE plans ADD COLUMN a int', plans),
        statement(2, 'ROLLBACK TO SAVEPOINT s1'),
        statement(3, '-- done\ncommit;'),
        statement(4, 'begin'),
        statement(5, 'ALTER TABLE plans ADD COLUMN b int', plans),
        statement(6, 'ROLLBACK'),
        statement(7, 'SELECT 1'),
      ],
    });
    assert.deepStrictEqual(
      timeline.slots.map((s) => s.transaction),
      [0, 0, 0, 0, 1, 1, 1, 2],
    );
    assert.deepStrictEqual(
      timeline.lanes[0].bars.map((b) => [b.from, b.to, b.release]),
      [
        [1, 4, 'commit'],
        [5, 7, 'rollback'],
      ],
    );
    assert.strictEqual(timeline.slots[3].label, 'commit;');
  });

  it('stacks a stronger lock on the same table in its own row', () => {
    const timeline = lockTimeline({
      statements: [
        statement(0, 'UPDATE plans SET a = 1', [{ relation: 'public.plans', mode: 'RowExclusiveLock' }]),
        statement(1, 'ALTER TABLE plans ADD COLUMN b int', [{ relation: 'public.plans', mode: 'AccessExclusiveLock' }]),
      ],
    });
    assert.strictEqual(timeline.lanes.length, 1);
    assert.strictEqual(timeline.lanes[0].rows, 2);
    assert.deepStrictEqual(
      timeline.lanes[0].bars.map((b) => [b.mode, b.row, b.from, b.to]),
      [
        ['RowExclusiveLock', 0, 0, 2],
        ['AccessExclusiveLock', 1, 1, 2],
      ],
    );
  });
});
