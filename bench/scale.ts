/**
 * Scale benchmark (`npm run bench:scale`): `preflight lint --format json --no-cache` on inputs ten times (four
 * times for files) the size of a baseline measured in the same run with the same generator, so that the ratio of
 * the time per statement, per query or per file says whether the work grows linearly (≈ 1.0), and the peak
 * memory says what is kept per item. The time per item is CPU time (wall time where GNU time is missing) less a
 * run on one item of the same kind (starting Node, loading the engine): on a shared machine CPU time varies much
 * less with the load than wall time does.
 *
 * - statements: one .sql file of 200,000 one-line statements (3.7 MB, under the 4 MB per-file cap), against
 *   20,000;
 * - holes: one Sequelize migration of 20,000 queries with interpolated `${}` values, against 2,000;
 * - files: one migration directory of 10,000 files linted cold (each file sees the schema replayed from every
 *   earlier one), against 2,500.
 *
 * Targets (issue 18): 200,000 statements in ≤ 5 s and ≤ 400 MB; 20,000 holes in ≤ 3 s; memory for 10,000 files
 * that does not grow with the number of files beyond the report itself.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI, Measure, measure, ms, writeResults } from './cli';

interface Case {
  name: string;
  /** Singular and plural. */
  unit: [string, string];
  large: number;
  small: number;
  write: (directory: string, count: number) => void;
  targets: { wallMs?: number; peakMb?: number };
}

const CASES: Case[] = [
  {
    name: 'statements',
    unit: ['statement', 'statements'],
    large: 200_000,
    small: 20_000,
    write: writeStatements,
    targets: { wallMs: 5000, peakMb: 400 },
  },
  {
    name: 'holes',
    unit: ['query', 'queries'],
    large: 20_000,
    small: 2_000,
    write: writeInterpolatedQueries,
    targets: { wallMs: 3000 },
  },
  { name: 'files', unit: ['file', 'files'], large: 10_000, small: 2_500, write: writeMigrationDirectory, targets: {} },
];

/** One-line statements, three SELECTs to one INSERT (about 18 bytes each), after the table they fill. */
export function writeStatements(directory: string, count: number): void {
  const lines = ['CREATE TABLE t (id bigint PRIMARY KEY, a int);'];
  for (let i = 0; i < count; i++) lines.push(i % 4 === 3 ? `INSERT INTO t VALUES (${i});` : `SELECT ${i};`);
  fs.writeFileSync(path.join(directory, '0001_many_statements.sql'), lines.join('\n') + '\n');
}

/** A Sequelize migration whose queries interpolate a `const` of the file and, every other query, an unknown name. */
export function writeInterpolatedQueries(directory: string, count: number): void {
  const lines = [
    "'use strict';",
    'module.exports = {',
    '  async up(queryInterface) {',
    "    const status = 'archived';",
  ];
  for (let i = 0; i < count; i++) {
    const id = i % 2 === 0 ? String(i) : 'id';
    lines.push(
      `    await queryInterface.sequelize.query(\`UPDATE t SET status = '\${status}' WHERE id = \${${id}}\`);`,
    );
  }
  lines.push('  },', '};');
  fs.writeFileSync(path.join(directory, '0001_many_queries.js'), lines.join('\n') + '\n');
}

/**
 * Numbered migrations of one directory, SQL and Sequelize in turn. An SQL one creates a table, changes the one
 * before it (index, backfill) and drops one forty files back; a Sequelize one adds a column to the newest table and
 * backfills it. The schema stays about twenty tables:
 * what grows is the number of files, not the schema. Each Sequelize migration also alters a table created outside
 * the migrations, which replay skips with a reason, as it does in real projects.
 */
export function writeMigrationDirectory(directory: string, count: number): void {
  for (let i = 1; i <= count; i++) {
    const name = `${String(i).padStart(6, '0')}_change`;
    if (i % 2 === 0) {
      const js =
        "'use strict';\nmodule.exports = {\n  async up(queryInterface, Sequelize) {\n" +
        `    await queryInterface.addColumn('t_${i - 1}', 'flag_${i}', { type: Sequelize.BOOLEAN });\n` +
        `    await queryInterface.addColumn('legacy_accounts', 'flag_${i}', { type: Sequelize.BOOLEAN });\n` +
        `    await queryInterface.sequelize.query('UPDATE t_${i - 1} SET status = \\'new\\' WHERE owner_id = ${i}');\n` +
        `  },\n  async down(queryInterface) {\n    await queryInterface.removeColumn('t_${i - 1}', 'flag_${i}');\n  },\n};\n`;
      fs.writeFileSync(path.join(directory, `${name}.js`), js);
      continue;
    }
    const lines = [`CREATE TABLE t_${i} (id bigint PRIMARY KEY, owner_id bigint, status text);`];
    if (i > 2)
      lines.push(
        `CREATE INDEX t_${i - 2}_owner_${i} ON t_${i - 2} (owner_id);`,
        `UPDATE t_${i - 2} SET status = 'new' WHERE owner_id = ${i};`,
      );
    if (i > 40) lines.push(`DROP TABLE t_${i - 40};`);
    fs.writeFileSync(path.join(directory, `${name}.sql`), lines.join('\n') + '\n');
  }
}

interface Run extends Measure {
  count: number;
}

function lint(scratch: string, c: Case, count: number): Run {
  const directory = path.join(scratch, `${c.name}-${count}`);
  fs.mkdirSync(directory);
  c.write(directory, count);
  const run = measure(process.execPath, [CLI, 'lint', directory, '--format', 'json', '--no-cache'], scratch);
  fs.rmSync(directory, { recursive: true, force: true });
  return { ...run, count };
}

function main(): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-bench-scale-'));
  const results: Record<string, { one: Run; small: Run; large: Run; timeRatio: number; met: boolean }> = {};
  try {
    console.log(
      `Scale benchmark (Node ${process.version}, ${os.availableParallelism()} CPUs, load average ${os.loadavg()[0].toFixed(1)})`,
    );
    console.log(
      'preflight lint --format json --no-cache; the ratio is the CPU time per item at the large size over the small one (1.0 = linear)\n',
    );
    let allMet = true;
    for (const c of CASES) {
      const one = lint(scratch, c, 1);
      const small = lint(scratch, c, c.small);
      const large = lint(scratch, c, c.large);
      const work = (run: Run) => (run.cpuMs ?? run.wallMs) - (one.cpuMs ?? one.wallMs);
      const perItem = (run: Run) => work(run) / (run.count - 1);
      const timeRatio = perItem(large) / perItem(small);
      const verdicts: string[] = [];
      let met = true;
      if (c.targets.wallMs !== undefined) {
        met &&= large.wallMs <= c.targets.wallMs;
        verdicts.push(`time ≤ ${ms(c.targets.wallMs)}: ${large.wallMs <= c.targets.wallMs ? 'met' : 'NOT met'}`);
      }
      if (c.targets.peakMb !== undefined) {
        const ok = large.peakMb !== undefined && large.peakMb <= c.targets.peakMb;
        met &&= ok;
        verdicts.push(`peak ≤ ${c.targets.peakMb} MB: ${ok ? 'met' : 'NOT met'}`);
      }
      if (c.name === 'files' && small.peakMb !== undefined && large.peakMb !== undefined) {
        // Beyond the report itself: the growth of peak memory per added file, next to the report's bytes per file.
        const growthKb = ((large.peakMb - small.peakMb) * 1024) / (large.count - small.count);
        const reportKb = large.outputBytes / 1024 / large.count;
        verdicts.push(
          `peak grows ${growthKb.toFixed(1)} KB per file; the JSON report takes ${reportKb.toFixed(1)} KB per file`,
        );
      }
      allMet &&= met;
      const row = (run: Run) =>
        `  ${`${run.count.toLocaleString('en')} ${c.unit[run.count === 1 ? 0 : 1]}`.padEnd(20)} ${ms(run.wallMs).padStart(9)}  ` +
        `CPU ${run.cpuMs === undefined ? '?' : ms(run.cpuMs)}  peak ${run.peakMb ?? '?'} MB` +
        (run.count > 1 ? `  ${(perItem(run) * 1000).toFixed(1)} µs per ${c.unit[0]}` : '  (fixed cost)');
      console.log(`${c.name}:`);
      console.log(row(one));
      console.log(row(small));
      console.log(row(large));
      console.log(`  time per ${c.unit[0]}, large / small: ${timeRatio.toFixed(2)}×   ${verdicts.join('; ')}\n`);
      results[c.name] = { one, small, large, timeRatio, met };
    }
    writeResults('scale', {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.availableParallelism(),
      loadAverage: os.loadavg()[0],
      results,
    });
    if (!allMet) console.log('Some targets are not met (see above).');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) main();
