/**
 * What was computed from a piece of source text, for the texts seen most recently. The language server lints a
 * whole file on every keystroke, and the CLI reads each migration twice (to lint it, then to replay it for the
 * migrations after it); results keyed by the text itself are reused whatever moved around them, so an edit
 * recomputes only the statements whose text changed. Bounded by the total length of the texts kept, so that
 * memory stays proportional to what is being worked on (a few files), not to everything ever read.
 *
 * Values are shared by every caller that asks for the same text: they must never be changed.
 */
/** What is left of the budget after an eviction pass: a pass happens once per quarter of the budget. */
const EVICTION_LOW_WATER = 0.75;

export class TextCache<V> {
  private readonly entries = new Map<string, V>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  get(text: string, compute: (text: string) => V): V {
    const known = this.entries.get(text);
    if (known !== undefined || this.entries.has(text)) {
      // Most recently used last: a Map iterates in insertion order, so the first entry is the one to evict.
      this.entries.delete(text);
      this.entries.set(text, known as V);
      return known as V;
    }
    const value = compute(text);
    this.entries.set(text, value);
    this.chars += text.length;
    if (this.chars > this.maxChars) this.evictOldest(text);
    return value;
  }

  /**
   * Evicts the least recently used texts down to three quarters of the budget, in one pass. Iterating a Map
   * from its start walks over the slots of entries deleted since V8 last compacted it (up to the map's size):
   * evicting one entry per insertion that way cost a scan of thousands of slots per statement of a 200,000-
   * statement file (3 of its 15 s).
   */
  private evictOldest(newest: string): void {
    const target = this.maxChars * EVICTION_LOW_WATER;
    for (const [oldest] of this.entries) {
      if (this.chars <= target || oldest === newest) break;
      this.entries.delete(oldest);
      this.chars -= oldest.length;
    }
  }
}

/**
 * How much statement text each cache keeps: 1,000,000 characters, a migration of ten thousand statements or a
 * 14,000-line baseline (parse trees take about 8 bytes a character, token lists about 12). Linting a migration
 * and replaying it after it share the parse of the whole file (parseMigration keeps the last few), so the CLI
 * needs little here; the language server needs the file being edited, and a file larger than this is parsed
 * uncached on every keystroke (measured on a 350,000-character, 1,500-statement file: a re-lint after an edit
 * near its end took 198 ms at 300,000 characters and 85 ms at 1,000,000; the CLI's peak on hatchet and permify
 * stayed at 192-200 MB).
 */
export const STATEMENT_CACHE_CHARS = 1_000_000;
