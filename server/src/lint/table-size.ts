import type { Catalog } from '../schema/catalog';

/** The row estimate the schema source gives for a table (a live database's statistics), if any. */
export function rowEstimate(catalog: Catalog | undefined, table: string): number | undefined {
  const estimate = catalog?.tables.get(table)?.rowEstimate;
  return estimate !== undefined && estimate >= 0 ? estimate : undefined;
}

/** ` (about 1.2 million rows)` when the schema source knows, for messages; empty otherwise. */
export function rowCountNote(catalog: Catalog | undefined, table: string): string {
  const estimate = rowEstimate(catalog, table);
  return estimate === undefined ? '' : ` (about ${formatRowCount(estimate)} rows)`;
}

export function formatRowCount(rows: number): string {
  if (rows >= 1e9) return `${(rows / 1e9).toFixed(1).replace(/\.0$/, '')} billion`;
  if (rows >= 1e6) return `${(rows / 1e6).toFixed(1).replace(/\.0$/, '')} million`;
  if (rows >= 1e4) return `${Math.round(rows / 1e3)} thousand`;
  return String(Math.round(rows));
}
