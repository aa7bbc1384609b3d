/**
 * Catalog timeline benchmark (`npm run bench:timeline`, issue 17 item 1): a pg_dump-style baseline of 1,500
 * statements (about 14,000 lines), edited near its end. Prints
 * - the heap a fully replayed timeline holds (per-name changes), beside a snapshot of the catalog per statement;
 * - the engine in-process: a cold lint, and a re-lint after an edit near the end given the last lint's timeline;
 * - the real language server: didChange → publishDiagnostics for edits near the end.
 * Run with `node --expose-gc out/bench/timeline.js` for the heap figures.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { LspTestClient, workspaceWith } from '../test/support/lsp-client';
import { ConfigCache } from '../server/src/config';
import { LintResult, initEngine, lintText } from '../server/src/lint/engine';
import { parseMigration } from '../server/src/parse/migration';
import { CatalogBuilder } from '../server/src/schema/builder';
import { Catalog, emptyCatalog } from '../server/src/schema/catalog';
import { replayOperation } from '../server/src/schema/replay';
import { CatalogTimeline } from '../server/src/schema/timeline';
import { ms, sleep, stats } from './latency';

const STATEMENTS = 1500;
const EDITS = 30;
const PAUSE_MS = 200;
const FILE = 'db/0001_baseline.sql';

async function main(): Promise<void> {
  await initEngine();
  const text = pgDumpBaseline(STATEMENTS);
  console.log(
    `Catalog timeline benchmark (Node ${process.version}): ${STATEMENTS} statements, ${text.split('\n').length} lines\n`,
  );
  const root = workspaceWith({ [FILE]: text });
  try {
    memory(path.join(root, FILE), text);
    engine(path.join(root, FILE), text);
    await server(root, text);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function memory(file: string, text: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    console.log('heap: run with node --expose-gc for the heap figures\n');
    return;
  }
  const parsed = parseMigration(file, text);
  const heap = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  let start = heap();
  const timeline = new CatalogTimeline(parsed, emptyCatalog());
  timeline.catalogAfterFile();
  const replayed = heap() - start;
  start = heap();
  // What keeping a whole catalog per statement would hold instead: one snapshot after each operation.
  const snapshots: Catalog[] = [];
  let builder = new CatalogBuilder(emptyCatalog());
  for (const operation of parsed.operations) {
    replayOperation(builder, parsed, operation, () => undefined);
    const snapshot = builder.snapshot();
    snapshots.push(snapshot);
    builder = new CatalogBuilder(snapshot);
  }
  const perStatement = heap() - start;
  console.log(`Heap held by the catalog states of the file (${timeline.replayedOperations} statements replayed):`);
  console.log(`  the timeline (what each statement changed, per name): ${mb(replayed)}`);
  console.log(`  a catalog snapshot per statement instead:              ${mb(perStatement)}\n`);
  if (snapshots.length !== parsed.operations.length) throw new Error('unreachable');
}

function engine(file: string, text: string): void {
  const config = new ConfigCache().configFor(file);
  const catalog = emptyCatalog();
  const cold: number[] = [];
  let last: LintResult | undefined;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    last = lintText(file, text, { config, catalog });
    cold.push(performance.now() - started);
  }
  const edits: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const started = performance.now();
    last = lintText(file, editNearEnd(text, i), { config, catalog, previousTimeline: last!.timeline });
    edits.push(performance.now() - started);
  }
  const c = stats(cold);
  const e = stats(edits);
  console.log('Engine in-process (lintText, the catalog before the file empty as for a first migration):');
  console.log(`  cold lint          p50 ${ms(c.p50)}  max ${ms(c.max)}`);
  console.log(
    `  edit near the end  p50 ${ms(e.p50)}  p95 ${ms(e.p95)}  (re-lint given the last lint's timeline; ${last!.timeline?.replayedOperations ?? '?'} statement(s) replayed)\n`,
  );
}

async function server(root: string, text: string): Promise<void> {
  const client = await LspTestClient.start(root);
  try {
    const uri = await client.open(path.join(root, FILE), text);
    await client.diagnostics(uri, (_d, version) => version === 1, 60_000);
    const lines = text.split('\n');
    const line = lines.length - 2;
    const times: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      await sleep(PAUSE_MS);
      const started = performance.now();
      const version = await client.change(uri, [
        { range: { start: { line, character: 0 }, end: { line, character: lines[line].length } }, text: lastLine(i) },
      ]);
      await client.diagnostics(uri, (_d, v) => v === version, 10_000);
      times.push(performance.now() - started);
    }
    const s = stats(times);
    console.log('Language server, didChange → publishDiagnostics for an edit of the last statement:');
    console.log(
      `  server  p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  max ${ms(s.max)}   (target p95 ≤ 50 ms: ${s.p95 <= 50 ? 'met' : 'NOT met'})\n`,
    );
  } finally {
    await client.stop();
  }
}

function lastLine(edit: number): string {
  return `UPDATE public.t0 SET note = 'edit ${edit}' WHERE account_id = ${edit};`;
}

function editNearEnd(text: string, edit: number): string {
  const lines = text.split('\n');
  lines[lines.length - 2] = lastLine(edit);
  return lines.join('\n');
}

/** A squashed baseline as pg_dump writes it: a comment block per object, tables one column per line, functions. */
function pgDumpBaseline(statements: number): string {
  const out: string[] = ['--', '-- PostgreSQL database dump', '--', ''];
  const header = (name: string, type: string) =>
    out.push('--', `-- Name: ${name}; Type: ${type}; Schema: public; Owner: -`, '--', '');
  let count = 0;
  const add = (name: string, type: string, sql: string) => {
    // One statement is left for the last line, the one the edits change.
    if (count++ >= statements - 1) return;
    header(name, type);
    out.push(sql, '');
  };
  for (let i = 0; count < statements - 1; i++) {
    const t = `t${i}`;
    add(
      t,
      'TABLE',
      [
        `CREATE TABLE public.${t} (`,
        '    id bigint NOT NULL,',
        '    account_id bigint NOT NULL,',
        '    parent_id bigint,',
        '    name text NOT NULL,',
        '    note text,',
        "    status text DEFAULT 'open'::text NOT NULL,",
        '    amount numeric(12,2),',
        '    updated_at timestamp with time zone,',
        '    created_at timestamp with time zone DEFAULT now() NOT NULL',
        ');',
      ].join('\n'),
    );
    add(`${t} ${t}_pkey`, 'CONSTRAINT', `ALTER TABLE ONLY public.${t}\n    ADD CONSTRAINT ${t}_pkey PRIMARY KEY (id);`);
    add(`${t}_account_id_idx`, 'INDEX', `CREATE INDEX ${t}_account_id_idx ON public.${t} USING btree (account_id);`);
    add(
      `${t} ${t}_parent_fkey`,
      'FK CONSTRAINT',
      `ALTER TABLE ONLY public.${t}\n    ADD CONSTRAINT ${t}_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.t${Math.max(i - 1, 0)}(id);`,
    );
    add(
      `${t}_touch()`,
      'FUNCTION',
      [
        `CREATE FUNCTION public.${t}_touch() RETURNS trigger`,
        '    LANGUAGE plpgsql',
        '    AS $$',
        'BEGIN',
        "    NEW.note := coalesce(NEW.note, '');",
        '    RETURN NEW;',
        'END',
        '$$;',
      ].join('\n'),
    );
    add(
      `${t} ${t}_touch`,
      'TRIGGER',
      `CREATE TRIGGER ${t}_touch BEFORE UPDATE ON public.${t} FOR EACH ROW EXECUTE FUNCTION public.${t}_touch();`,
    );
    add(`TABLE ${t}`, 'COMMENT', `COMMENT ON TABLE public.${t} IS 'table number ${i}';`);
    add(t, 'DATA', `UPDATE public.${t} SET note = 'n' WHERE account_id = ${i};`);
  }
  out.push(lastLine(-1));
  return out.join('\n') + '\n';
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1).padStart(5)} MB`;
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
