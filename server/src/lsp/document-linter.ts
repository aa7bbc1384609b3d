import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { isDeepStrictEqual } from 'util';
import { Connection, Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import { ConfigCache, ConfigError, defaultConfigWithRules } from '../config';
import { ResolvedConfig, isIgnored, migrationDirectoryOf } from '../resolved-config';
import { crashReport } from '../crash';
import { LintResult, lintText, unreadableFileResult } from '../lint/engine';
import { CONVENTIONAL_MIGRATION_DIRECTORIES } from '../../../shared/protocol';
import { MAX_FILE_BYTES, decodeSource, readUserText } from '../source-files';
import { allRules } from '../lint/registry';
import type { Diagnostic } from '../lint/rule';
import { importsDatabaseClient } from '../parse/database-clients';
import { MigrationFile, languageOf } from '../parse/migration';
import { LineIndex } from '../parse/text';
import type { Catalog } from '../schema/catalog';
import type { CatalogTimeline } from '../schema/timeline';
import { ConfigProblems, configErrorDiagnostic } from './config-problems';
import { DiagnosticData, toLspDiagnostic, toLspEdit } from './diagnostics';
import { IgnoreDirectiveEdits } from './ignore-directives';
import { DEFAULT_SETTINGS, EditorSettings } from './settings';

/** One lint of one version of a document, as published. */
export interface LintedDocument {
  uri: string;
  filePath: string;
  /** Absent for a file read from disk. */
  version?: number;
  config: ResolvedConfig;
  /** The schema before this migration that the rules saw. */
  catalog?: Catalog;
  result: LintResult;
  /** The parsed file; absent when the text could not be linted at all (too large, binary). */
  file?: MigrationFile;
  diagnostics: LspDiagnostic[];
}

/** What the linter needs to know of a text: editor buffers and files read from disk alike. */
export interface SourceText {
  uri: string;
  /** The editor's version; absent for a file read from disk. */
  version?: number;
  text: string;
}

/** A migration Preflight lints, and the config that applies to it. */
interface LintTarget {
  filePath: string;
  config: ResolvedConfig;
}

/** The schema as it stands before a migration runs (see `schema/sources.ts`). */
export type CatalogSource = (filePath: string, config: ResolvedConfig) => Catalog | undefined;

/**
 * Lints documents with the CLI's engine and config, and publishes the findings. The config comes from
 * `ConfigCache` exactly as in `preflight lint`; the editor's `preflight.rules` setting is used only where
 * no config file applies, so an editor finding and a CI finding never disagree.
 */
export class DocumentLinter {
  readonly configs = new ConfigCache();
  settings: EditorSettings = DEFAULT_SETTINGS;
  catalogFor: CatalogSource = () => undefined;
  private readonly latest = new Map<string, LintedDocument>();
  /** Config files (or directories linted with the defaults) already named in the log: each is announced once. */
  private readonly announcedConfigs = new Set<string>();

  constructor(
    private readonly connection: Connection,
    readonly problems: ConfigProblems,
  ) {}

  /**
   * Lints `source` and publishes its diagnostics; undefined when it is not a migration Preflight lints.
   * `unreadable`: why the file's bytes are not lintable text (`decodeSource`'s problem), reported instead.
   */
  lint(source: SourceText, unreadable?: string): LintedDocument | undefined {
    const target = this.target(source);
    return target && this.lintTarget(source, target, { unreadable });
  }

  /**
   * Lints an open document again because a migration before it changed. Its own text did not; when its config
   * and the schema replayed before it are also what its last lint saw (a neighbour opened or closed with the
   * text it has on disk), its findings cannot differ, and it is neither linted nor published again.
   */
  relint(source: SourceText): LintedDocument | undefined {
    const target = this.target(source);
    if (!target) return undefined;
    const catalog = this.schemaBefore(target);
    const last = this.latest.get(source.uri);
    // The replay cache hands out the same catalog object for as long as no migration before the file changed.
    if (
      last &&
      last.version === source.version &&
      last.catalog !== undefined &&
      last.catalog === catalog &&
      isDeepStrictEqual(last.config, target.config)
    )
      return last;
    return this.lintTarget(source, target, { catalog });
  }

  /** A config file changed: configs are loaded (and named in the log) again. */
  configChanged(): void {
    this.configs.clear();
    this.announcedConfigs.clear();
  }

  /** The schema before the file; undefined if replay fails, which the lint that follows reports on the document. */
  private schemaBefore({ filePath, config }: LintTarget): Catalog | undefined {
    try {
      return this.catalogFor(filePath, config);
    } catch {
      return undefined;
    }
  }

  /** `unreadable`: what is wrong with the file's bytes; `catalog`: the schema before it, when already looked up. */
  private lintTarget(
    source: SourceText,
    { filePath, config }: LintTarget,
    input: { unreadable?: string; catalog?: Catalog },
  ): LintedDocument {
    const { unreadable } = input;
    this.announce(config, filePath);
    const started = performance.now();
    // The schema timeline of the document's last lint: an edit replays the file from its first changed statement.
    const previousTimeline = this.latest.get(source.uri)?.result.timeline;
    const { result, catalog } = unreadable
      ? { result: unreadableFileResult(filePath, unreadable), catalog: undefined }
      : this.runEngine(filePath, source.text, config, input.catalog, previousTimeline);
    // Debug level: the editor shows it when its log level is Debug (VS Code: "Set Log Level..." on the output).
    const replayed = result.timeline
      ? `; schema timeline replayed ${result.timeline.replayedOperations} of ${result.file?.operations.length ?? 0} statements`
      : '';
    this.connection.console.debug(
      `linted ${path.basename(filePath)} in ${Math.round(performance.now() - started)} ms: ${result.diagnostics.length} findings${replayed}`,
    );
    const lines = result.file?.lines ?? new LineIndex(source.text);
    const edits = result.file && new IgnoreDirectiveEdits(result.file);
    const diagnostics = result.diagnostics.map((d) =>
      toLspDiagnostic(d, lines, actionData(result.file, edits, d, source.version ?? -1)),
    );
    const linted: LintedDocument = {
      uri: source.uri,
      filePath,
      version: source.version,
      config,
      catalog,
      result,
      file: result.file,
      diagnostics,
    };
    this.latest.set(source.uri, linted);
    this.publish(source, diagnostics);
    return linted;
  }

  /** Lints a file that is not open in the editor, as `preflight lint` reads it. */
  lintFromDisk(filePath: string): LintedDocument | undefined {
    const uri = pathToFileURL(filePath).href;
    if (!isMigrationPath(filePath)) return undefined;
    const decoded = readUserText(filePath);
    return this.lint(
      { uri, text: 'text' in decoded ? decoded.text : '' },
      'problem' in decoded ? decoded.problem : undefined,
    );
  }

  /**
   * The file and config of a migration Preflight lints; undefined (and the document's diagnostics cleared)
   * for anything else. A broken config is reported, and shown on the document instead of findings.
   */
  private target(source: SourceText): LintTarget | undefined {
    const filePath = filePathOf(source.uri);
    if (!filePath) return undefined;
    let config: ResolvedConfig | undefined;
    try {
      config = this.lintedConfig(filePath, source.text);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.problems.report(error);
      this.latest.delete(source.uri);
      this.publish(source, [configErrorDiagnostic(error, new LineIndex(source.text))]);
      return undefined;
    }
    if (!config) {
      this.forget(source.uri);
      return undefined;
    }
    return { filePath, config };
  }

  /**
   * The config of a file Preflight lints, undefined for any other file; throws ConfigError. `text`: the file's
   * text, for a TS/JS file outside the migration directories (linted when it imports a database client).
   */
  private lintedConfig(filePath: string, text?: string): ResolvedConfig | undefined {
    if (!isMigrationPath(filePath)) return undefined;
    const config = this.configFor(filePath);
    if (isIgnored(config, filePath)) return undefined;
    return isLintedLanguage(filePath, config) || (text !== undefined && importsDatabaseClient(text))
      ? config
      : undefined;
  }

  /** The lint of exactly this version, linting now if the scheduled lint has not run yet. */
  current(source: SourceText): LintedDocument | undefined {
    const linted = this.latest.get(source.uri);
    return linted && linted.version === source.version ? linted : this.lint(source);
  }

  /**
   * Whether Preflight lints the file at `uri`, decided without linting it (code lens asks on every change): by
   * its path, or, for a TS/JS file outside the migration directories, by whether `text` (the open document's)
   * imports a database client — its first lint may not have run yet when the editor asks — else by its last lint.
   */
  lints(uri: string, text?: string): boolean {
    const filePath = filePathOf(uri);
    try {
      return filePath !== undefined && (this.lintedConfig(filePath, text) !== undefined || this.latest.has(uri));
    } catch {
      return false;
    }
  }

  /** Clears a document's diagnostics (closed, ignored, or no longer a migration). */
  forget(uri: string): void {
    if (this.latest.delete(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  linted(): LintedDocument[] {
    return [...this.latest.values()];
  }

  /** The config for `filePath`; throws ConfigError when the config file that applies is invalid. */
  configFor(filePath: string): ResolvedConfig {
    const config = this.configs.configFor(filePath);
    if (config.file || Object.keys(this.settings.rules).length === 0) return config;
    try {
      return defaultConfigWithRules(config.rootDir, this.settings.rules, 'the editor setting preflight.rules');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // A bad editor setting is announced, and the defaults stay in force.
      this.problems.report(error);
      return config;
    }
  }

  private runEngine(
    filePath: string,
    text: string,
    config: ResolvedConfig,
    knownCatalog?: Catalog,
    previousTimeline?: CatalogTimeline,
  ): { result: LintResult; catalog?: Catalog } {
    // Editors hand over text, not bytes; the CLI's limits and messages still apply.
    if (text.includes('\0') || Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) {
      const decoded = decodeSource(Buffer.from(text, 'utf8'));
      if ('problem' in decoded) return { result: unreadableFileResult(filePath, decoded.problem) };
    }
    try {
      const catalog = knownCatalog ?? this.catalogFor(filePath, config);
      return { result: lintText(filePath, text, { config, catalog, previousTimeline }), catalog };
    } catch (error) {
      // The engine never throws on user input; if a bug makes it, this document says so and the server goes on.
      this.connection.console.error(`Linting ${filePath} failed: ${crashReport(error)}`);
      const message = `Preflight failed on this file (${(error as Error).message}); please report it. Other files are still linted.`;
      return {
        result: {
          path: filePath,
          diagnostics: [{ rule: 'parse-error', severity: 'error', message, span: { start: 0, end: 0 } }],
        },
      };
    }
  }

  /** Says in the log which config a file is linted with, the first time that config is used. */
  private announce(config: ResolvedConfig, filePath: string): void {
    const source = config.file ?? `the defaults (no .preflightrc.json above ${path.dirname(filePath)})`;
    if (this.announcedConfigs.has(source)) return;
    this.announcedConfigs.add(source);
    const ruleSettings = [...config.rules.values()].filter((setting) => setting.explicit).length;
    this.connection.console.info(
      `config: ${source}; ${config.migrations.length} migration directories, ${ruleSettings} rule settings, PostgreSQL ${config.pgVersion}`,
    );
  }

  private publish(source: SourceText, diagnostics: LspDiagnostic[]): void {
    void this.connection.sendDiagnostics({ uri: source.uri, version: source.version, diagnostics });
  }
}

function actionData(
  file: MigrationFile | undefined,
  ignore: IgnoreDirectiveEdits | undefined,
  diagnostic: Diagnostic,
  version: number,
): DiagnosticData {
  const data: DiagnosticData = { version };
  if (!file || !ignore) return data;
  if (diagnostic.fix) {
    data.fix = {
      title: diagnostic.fix.title,
      safe: diagnostic.fix.safe ?? false,
      edits: diagnostic.fix.edits.map((edit) => toLspEdit(file.lines, edit)),
    };
  }
  // Findings of rules that run after suppression (unused-ignore) cannot be silenced by a directive.
  if (allRules().get(diagnostic.rule)?.afterSuppression) return data;
  const statement = ignore.statement(diagnostic);
  if (statement) data.ignoreStatement = toLspEdit(file.lines, statement);
  data.ignoreFile = toLspEdit(file.lines, ignore.wholeFile(diagnostic.rule));
  return data;
}

export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** SQL and TS/JS sources, but not type declarations. */
export function isMigrationPath(filePath: string): boolean {
  return languageOf(filePath) !== undefined && !/\.d\.[mc]?ts$/i.test(filePath);
}

/**
 * Every `.sql` file is linted; a TS/JS file inside a migration directory (configured or conventional), or —
 * decided from its text, see `lintedConfig` — one that imports a database client, so that an editor that sends
 * every TypeScript file gets no findings on application code that never talks to a database.
 */
function isLintedLanguage(filePath: string, config: ResolvedConfig): boolean {
  if (languageOf(filePath) === 'sql') return true;
  if (migrationDirectoryOf(config, filePath)) return true;
  const directory = path.dirname(path.resolve(filePath)).split(path.sep).join('/') + '/';
  return CONVENTIONAL_MIGRATION_DIRECTORIES.some((name) => directory.includes(`/${name}/`));
}
