import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseMigration } from '../../server/src/parse/migration';
import { CatalogBuilder } from '../../server/src/schema/builder';
import type { Catalog, SkippedStatement } from '../../server/src/schema/catalog';
import { replayMigration } from '../../server/src/schema/replay';
import { REPO_ROOT } from './paths';

/** Real `pg_dump --schema-only` output of a generated schema (see its make-baseline.sh). */
export const BASELINE = path.join(REPO_ROOT, 'test', 'fixtures', 'schema', 'pgdump-baseline', '0000_baseline.sql');

/** Replays migration texts in order, as the files of one directory. The SQL parser must be loaded. */
export function replay(...files: [name: string, text: string][]): { catalog: Catalog; skipped: SkippedStatement[] } {
  const builder = new CatalogBuilder();
  const skipped: SkippedStatement[] = [];
  for (const [name, text] of files) replayMigration(builder, parseMigration(name, text), skipped);
  return { catalog: builder.snapshot(), skipped };
}

/** A catalog as plain JSON with a stable order, for comparing catalogs from different sources. */
export function comparable(catalog: Catalog): unknown {
  const sortedMap = <T>(map: ReadonlyMap<string, T>) => [...map.keys()].sort().map((key) => map.get(key));
  return JSON.parse(
    JSON.stringify({
      schemas: [...catalog.schemas].sort(),
      tables: sortedMap(catalog.tables).map((t) => ({
        ...t,
        rowEstimate: undefined,
        constraints: [...t!.constraints].sort((a, b) => a.name.localeCompare(b.name)),
        indexes: [...t!.indexes].sort((a, b) => a.name.localeCompare(b.name)),
      })),
      views: sortedMap(catalog.views),
      sequences: sortedMap(catalog.sequences),
      functions: sortedMap(catalog.functions),
    }),
  );
}

/** A temporary directory holding `files` (relative path → content). */
export function tempProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-schema-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
