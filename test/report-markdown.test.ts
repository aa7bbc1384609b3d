import * as assert from 'assert';
import { DryRunReport } from '../shared/protocol';
import { GITHUB_COMMENT_LIMIT, markdownReport } from '../server/src/report/markdown';
import { withDryRun } from '../server/src/report/dry-run-findings';
import { ReportFile } from '../server/src/report/types';
import { loadCheckFixture, reportFile } from './support/report-fixtures';

/** A migration with `count` findings, each on its own line. */
function manyFindings(root: string, name: string, count: number): ReportFile {
  const text =
    Array.from({ length: count }, (_, i) => `UPDATE plans SET tier = 'basic' WHERE id = ${i};`).join('\n') + '\n';
  const findings = Array.from({ length: count }, (_, i) => ({
    file: name,
    rule: 'mixed-ddl-dml',
    severity: 'warning' as const,
    from: [i + 1, 1] as [number, number],
    to: [i + 1, 20] as [number, number],
    message: `UPDATE public.plans changes data in the same transaction as ALTER TABLE public.plans (finding ${i}).`,
    help: 'Split it into separate migrations: the schema change, then the data change.',
  }));
  return reportFile(root, name, text, findings);
}

describe('markdown report (pull request comment)', () => {
  const { root, files, dryRuns } = loadCheckFixture();

  it("stays under GitHub's 65,536-character comment limit and says what it left out", () => {
    const big = [
      manyFindings(root, 'db/migrations/0100_big.sql', 2000),
      manyFindings(root, 'db/migrations/0101_big.sql', 500),
    ];
    const comment = markdownReport(big, { color: false, sourceRoot: root }, GITHUB_COMMENT_LIMIT);
    assert.ok(comment.length < GITHUB_COMMENT_LIMIT, `${comment.length} characters`);
    assert.ok(comment.length > GITHUB_COMMENT_LIMIT - 2000, 'uses the room it has');
    const shown = comment.match(/^- \*\*warning\*\*/gm)!.length;
    const note =
      /> This comment was cut to stay under GitHub's 65,536-character limit: (\d+) findings?, (\d+) files? not shown\./.exec(
        comment,
      );
    assert.ok(note, comment.slice(-600));
    assert.strictEqual(shown + Number(note[1]), 2500, 'every finding is either shown or counted');
    assert.match(comment, /^\| \[`db\/migrations\/0101_big\.sql`\]/m, 'the summary table still lists every file');
  });

  it('counts the dry-run statements it leaves out too', () => {
    const [file] = files.filter((f) => f.dryRun);
    const report = dryRuns.get(file.displayPath)!;
    const statements = Array.from({ length: 3000 }, (_, i) => ({ ...report.statements[0], index: i }));
    const long: DryRunReport = { ...report, statements };
    const comment = markdownReport(
      [withDryRun({ ...file, diagnostics: [] }, long)],
      { color: false, sourceRoot: root },
      GITHUB_COMMENT_LIMIT,
    );
    assert.ok(comment.length < GITHUB_COMMENT_LIMIT);
    const note = /: (\d+) dry-run statements[,. ]/.exec(comment);
    assert.ok(note, comment.slice(-600));
    assert.strictEqual(comment.match(/^\| \d+ \| /gm)!.length + Number(note[1]), 3000);
  });

  it('is not cut when it fits', () => {
    assert.doesNotMatch(markdownReport(files, { color: false, sourceRoot: root }, GITHUB_COMMENT_LIMIT), /was cut/);
  });
});
