import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ResolvedConfig } from '../resolved-config';
import type { Diagnostic } from '../lint/rule';
import { directoryEvidence } from '../parse/runners';
import { toolInfo } from '../report/tool-info';
import { MigrationListings, historyOf } from '../schema/directory';
import { readUserFile } from '../source-files';

/**
 * Lint results of earlier runs, so that linting a project again re-lints only what changed (`--no-cache` turns it
 * off). A file's findings depend on its path and text, its config, what the files around it say about its runner
 * (Prisma's migration_lock.toml, Diesel's metadata.toml, ...), and the schema before it — which is the replay
 * of the earlier migrations of its directory (and of `schemaFile`) — and on the engine. The key of an entry is a
 * hash of all of these, so that editing an earlier migration re-lints every later one: its findings may change
 * although its own text did not. Results for a live database (`--database-url`) are never cached: its schema can
 * change between runs.
 *
 * Kept in one JSON file under `.preflight-cache/` in the working directory; deleting it is always safe.
 */
export const CACHE_DIRECTORY = '.preflight-cache';
const CACHE_FILE = 'lint.json';

interface CacheFile {
  /** Preflight's version, the rule set and the code that ran: entries of any other engine are dropped. */
  engine: string;
  /** Per absolute path: the key the entry was computed for, and the findings. */
  files: Record<string, { key: string; diagnostics: Diagnostic[] }>;
}

export class LintCache {
  private readonly contentHashes = new Map<string, string>();
  private readonly chains = new Map<string, { files: readonly string[]; hashes: string[] }>();
  private readonly configHashes = new WeakMap<ResolvedConfig, string>();
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly data: CacheFile,
    private readonly listings: MigrationListings,
  ) {}

  /** Opens the cache under `directory` (created on save); an unreadable or foreign cache file starts empty. */
  static open(directory: string, listings: MigrationListings): LintCache {
    const file = path.join(directory, CACHE_FILE);
    const engine = engineFingerprint();
    let data: CacheFile = { engine, files: {} };
    try {
      const read = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
      if (read.engine === engine && read.files && typeof read.files === 'object') data = read;
    } catch {
      // No cache yet, or one cut short: start afresh.
    }
    return new LintCache(file, data, listings);
  }

  /** The key of `absolutePath`'s findings when its bytes are `bytes` (read for this run). */
  key(absolutePath: string, bytes: Uint8Array, config: ResolvedConfig): string {
    const content = hashBytes(bytes);
    this.contentHashes.set(absolutePath, content);
    const runner = JSON.stringify(directoryEvidence(absolutePath) ?? null);
    return hashText(
      [absolutePath, content, this.configHash(config), runner, this.schemaHash(absolutePath, config)].join('\0'),
    );
  }

  get(absolutePath: string, key: string): Diagnostic[] | undefined {
    const entry = this.data.files[absolutePath];
    return entry?.key === key ? entry.diagnostics : undefined;
  }

  set(absolutePath: string, key: string, diagnostics: Diagnostic[]): void {
    this.data.files[absolutePath] = { key, diagnostics };
    this.changed = true;
  }

  /** Writes the cache if anything changed, atomically; a cache that cannot be written is skipped silently. */
  save(): void {
    if (!this.changed) return;
    try {
      const directory = path.dirname(this.file);
      fs.mkdirSync(directory, { recursive: true });
      // Keeps the cache out of the project's commits without touching its own .gitignore.
      const ignore = path.join(directory, '.gitignore');
      if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n');
      for (const file of Object.keys(this.data.files)) if (!fs.existsSync(file)) delete this.data.files[file];
      const temporary = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify(this.data));
      fs.renameSync(temporary, this.file);
    } catch {
      // A read-only checkout lints as well, only without the cache.
    }
  }

  private configHash(config: ResolvedConfig): string {
    let hash = this.configHashes.get(config);
    if (!hash) {
      hash = hashText(JSON.stringify(config, (_key, value) => (value instanceof Map ? [...value] : value)));
      this.configHashes.set(config, hash);
    }
    return hash;
  }

  /**
   * What the schema before the file is replayed from: the schema file and the earlier migrations, with their
   * content (the config, hashed separately, says which dialect they are read as).
   */
  private schemaHash(absolutePath: string, config: ResolvedConfig): string {
    const { directory, migrations: before } = historyOf(absolutePath, config, this.listings);
    const start = config.schemaFile ? `${config.schemaFile}\0${this.contentHash(config.schemaFile)}` : '';
    // Files of one directory share their earlier migrations: hash each prefix once, extending the longest known.
    const chainKey = `${directory}\0${start}`;
    let chain = this.chains.get(chainKey);
    if (!chain || (!isPrefix(chain.files, before) && !isPrefix(before, chain.files))) {
      chain = { files: before, hashes: [hashText(start)] };
      this.chains.set(chainKey, chain);
    }
    if (before.length > chain.files.length) chain.files = before;
    for (let i = chain.hashes.length - 1; i < before.length; i++) {
      chain.hashes.push(hashText(`${chain.hashes[i]}\0${before[i]}\0${this.contentHash(before[i])}`));
    }
    return chain.hashes[before.length];
  }

  private contentHash(file: string): string {
    let hash = this.contentHashes.get(file);
    if (!hash) {
      const read = readUserFile(file);
      hash = 'bytes' in read ? hashBytes(read.bytes) : `unreadable: ${read.problem}`;
      this.contentHashes.set(file, hash);
    }
    return hash;
  }
}

/** Whether `prefix` is a prefix of `files` (the same directory listing, cut at two places). */
function isPrefix(prefix: readonly string[], files: readonly string[]): boolean {
  return (
    prefix.length <= files.length && (prefix.length === 0 || files[prefix.length - 1] === prefix[prefix.length - 1])
  );
}

/**
 * The engine that produced a result: Preflight's version, the versions of the parsers it uses, and the size and
 * modification time of its own code, rules included (so that a rule added or changed in a checkout, without a new
 * version, does not reuse old findings).
 */
function engineFingerprint(): string {
  const parts = [toolInfo().version, ...dependencyVersions()];
  // The rules are part of the code: a bundle (scripts/bundle.js) is one file, otherwise the compiled engine is the
  // folder above this one.
  const bundled = (globalThis as { __PREFLIGHT_RULES__?: unknown }).__PREFLIGHT_RULES__ !== undefined;
  const codeRoot = path.resolve(__dirname, '..');
  for (const file of bundled ? [__filename] : codeFiles(codeRoot)) {
    const stat = fs.statSync(file);
    parts.push(`${path.relative(codeRoot, file)}:${stat.size}:${stat.mtimeMs}`);
  }
  return hashText(parts.join('\0'));
}

function codeFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...codeFiles(full));
    else if (entry.name.endsWith('.js')) files.push(full);
  }
  return files.sort();
}

/** The parsers' versions: an upgrade may read the same text differently. */
function dependencyVersions(): string[] {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return [() => require('libpg-query/package.json'), () => require('typescript/package.json')].map((read) => {
    try {
      return String((read() as { version: string }).version);
    } catch {
      return 'unknown';
    }
  });
  /* eslint-enable @typescript-eslint/no-require-imports */
}

function hashBytes(bytes: Uint8Array): string {
  return crypto.createHash('sha1').update(bytes).digest('hex');
}

function hashText(text: string): string {
  return crypto.createHash('sha1').update(text).digest('hex');
}
