/**
 * Language server soak (`npm run bench:lsp-soak`): the resident memory of the real `preflight lsp --stdio`
 * process over 10,000 edits of one open migration (bursts of 10 changes, each burst linted and published),
 * read from /proc/<pid>/status. Memory is flat when it stops growing once the first edits have warmed the
 * caches: the figure that matters is the growth from edit 1,000 to edit 10,000. docs/reliability.md has the
 * numbers.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { LspTestClient, workspaceWith } from '../test/support/lsp-client';
import { soak, soakMigration } from '../test/support/lsp-soak';
import { residentMegabytes } from '../test/support/process-memory';

const EDITS = Number(process.env.SOAK_EDITS ?? 10_000);

async function main(): Promise<void> {
  const root = workspaceWith({ 'db/0001_soak.sql': soakMigration() });
  const client = await LspTestClient.start(root);
  try {
    const uri = await client.open(path.join(root, 'db/0001_soak.sql'));
    await client.diagnostics(uri, (_d, version) => version === 1, 60_000);
    const opened = residentMegabytes(client.process.pid!)!;
    console.log(
      `Preflight language server soak (Node ${process.version}): ${EDITS} edits in bursts of 10, one 63-statement migration`,
    );
    console.log(`  after opening: ${opened} MB resident`);
    const started = performance.now();
    const samples = await soak(client, uri, { edits: EDITS, burst: 10, sampleEvery: 500 });
    const seconds = (performance.now() - started) / 1000;
    for (const { edit, rssMb } of samples) console.log(`  after ${String(edit).padStart(6)} edits: ${rssMb} MB`);
    const warm = samples.find((s) => s.edit >= Math.min(1000, EDITS))!.rssMb;
    const last = samples[samples.length - 1].rssMb;
    const peak = Math.max(...samples.map((s) => s.rssMb));
    console.log(
      `  growth from edit ${Math.min(1000, EDITS)} to ${EDITS}: ${last - warm} MB (peak ${peak} MB); ${EDITS / 10} lints published; ${seconds.toFixed(0)} s`,
    );
    console.log(
      `  the server answered every burst and is still running: ${client.process.exitCode === null ? 'yes' : 'NO'}`,
    );
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
