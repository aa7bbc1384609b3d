/**
 * `npm run bench`: every benchmark, one after the other, each in its own process (so that one's caches and
 * warmed-up code do not flatter the next). Each prints its own ratios against the baseline it measures in the
 * same run; the output of each is also kept in bench/results/<name>.json (bench:cli and bench:scale write their
 * numbers there too, as cli.json and scale.json).
 */
import { spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { writeResults } from './cli';

const BENCHMARKS: { name: string; script: string }[] = [
  { name: 'cli-output', script: 'cli.js' },
  { name: 'lsp', script: 'lsp.js' },
  { name: 'schema-replay', script: 'schema-replay.js' },
  { name: 'dry-run', script: 'dry-run.js' },
  { name: 'scale-output', script: 'scale.js' },
];

let failed = false;
for (const { name, script } of BENCHMARKS) {
  console.log(`\n=== ${name} ===\n`);
  const run = spawnSync(process.execPath, [path.join(__dirname, script)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  if (run.status !== 0) failed = true;
  writeResults(name, {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.availableParallelism(),
    loadAverage: os.loadavg()[0],
    exitCode: run.status,
    output: run.stdout.split('\n'),
  });
}
process.exitCode = failed ? 1 : 0;
