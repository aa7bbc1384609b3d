import * as path from 'path';
import {
  CancellationToken,
  ClientCapabilities,
  CodeActionKind,
  CodeLensRefreshRequest,
  Connection,
  DidChangeWatchedFilesNotification,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  ErrorCodes,
  ExecuteCommandParams,
  ExecuteCommandRequest,
  FileChangeType,
  FileEvent,
  InitializeParams,
  InitializeResult,
  MessageType,
  Range,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAME } from '../config';
import type { ResolvedConfig } from '../resolved-config';
import { crashReport } from '../crash';
import { embeddedPostgresInstalled, stopEmbeddedServer } from '../dryrun';
import { formatFile } from '../format';
import { MigrationFile, languageOf, parseMigration } from '../parse/migration';
import { LineIndex } from '../parse/text';
import { toolInfo } from '../report/tool-info';
import { SchemaReplayCache } from '../schema/cache';
import { replayedCatalogFor } from '../schema/sources';
import {
  APPLY_REFACTORING_COMMAND,
  CodeActionSupport,
  FIX_ALL_KIND,
  SHOW_RULE_DOCUMENTATION_COMMAND,
  codeActions,
} from './code-actions';
import { compatibleFixes } from '../lint/apply-fixes';
import { allRules } from '../lint/registry';
import { dryRunLenses } from './code-lens';
import { ConfigProblems } from './config-problems';
import { OpenMigration, dependantsOf } from './dependants';
import { toLspEdit } from './diagnostics';
import { runDryRun } from './dry-run';
import { DocumentLinter, LintedDocument, SourceText, filePathOf, isMigrationPath } from './document-linter';
import { hover } from './hover';
import { LintScheduler, RelintPass } from './lint-scheduler';
import { showMessage } from './messages';
import { CommandProgress, startProgress } from './progress';
import { readSettings } from './settings';
import { refactoringEdit } from './refactorings';
import { lintWorkspace } from './workspace-lint';

const LINT_WORKSPACE_COMMAND = 'preflight.server.lintWorkspace';
const DRY_RUN_COMMAND = 'preflight.server.dryRun';

/** Preflight's PostgreSQL language (package.json), and `.sql` files that another extension claims. */
const SQL_DOCUMENTS = [{ language: 'postgres' }, { pattern: '**/*.sql' }];
const HOST_EXTENSIONS = '{ts,mts,cts,js,mjs,cjs}';

/**
 * The Preflight language server: the CLI's engine behind the Language Server Protocol. This file only wires
 * protocol messages to the modules beside it; nothing here decides what a finding is.
 */
export function startLanguageServer(connection: Connection): void {
  new PreflightServer(connection).listen();
}

class PreflightServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly linter: DocumentLinter;
  private readonly scheduler: LintScheduler;
  private readonly relints: RelintPass;
  private capabilities: ClientCapabilities = {};
  /** Commands the client registered that code actions may name (`initializationOptions.clientCommands`). */
  private clientCommands = new Set<string>();
  private folders: string[] = [];
  /** Files published by a workspace lint while not open: re-read from disk when they change or close. */
  private readonly fromDisk = new Set<string>();
  /** File path → URI of the open documents, whose text replay uses instead of the disk's. */
  private readonly openPaths = new Map<string, string>();
  private replay = new SchemaReplayCache();

  constructor(private readonly connection: Connection) {
    this.linter = new DocumentLinter(connection, new ConfigProblems(connection));
    this.linter.catalogFor = (filePath, config) => replayedCatalogFor(filePath, config, this.replay).catalog;
    this.scheduler = new LintScheduler((uri) => this.safely(`linting ${uri}`, () => this.lintOpen(uri)));
    this.relints = new RelintPass(
      (changed) => dependantsOf(changed, this.openMigrations(), (filePath) => this.linter.configFor(filePath)),
      (uri) => this.safely(`linting ${uri}`, () => this.relintOpen(uri)),
    );
  }

  listen(): void {
    const { connection, documents } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.initialized());
    documents.onDidOpen(({ document }) => {
      const filePath = filePathOf(document.uri);
      if (filePath) this.openPaths.set(filePath, document.uri);
    });
    documents.onDidChangeContent(({ document }) => this.changed(document.uri));
    documents.onDidClose(({ document }) => this.closed(document.uri));
    documents.onDidSave(() => {
      // Without file watching, saving a migration is when a changed config file is noticed.
      if (!this.watchesFiles()) this.configChanged();
    });
    connection.onDidChangeWatchedFiles(({ changes }) =>
      this.safely('handling file changes', () => this.filesChanged(changes)),
    );
    connection.onDidChangeConfiguration((params) => void this.loadSettings(params.settings));

    connection.onCodeAction((params) => {
      const document = documents.get(params.textDocument.uri);
      return document
        ? codeActions(
            document,
            params,
            this.codeActionSupport(),
            (doc, rule) => this.refactoringCheck(doc, rule),
            (doc) => this.fixAllEdits(doc),
            (doc, range) => this.embeddedSqlEdits(doc, range),
          )
        : [];
    });
    connection.onHover((params) => {
      const linted = this.currentLint(params.textDocument.uri);
      return linted?.file ? hover(linted, linted.file.lines.offsetAt(params.position)) : null;
    });
    connection.onCodeLens(({ textDocument }) =>
      this.linter.lints(textDocument.uri, documents.get(textDocument.uri)?.getText())
        ? dryRunLenses(textDocument.uri, this.linter.settings, embeddedPostgresInstalled())
        : [],
    );
    connection.onDocumentFormatting((params) => this.format(params.textDocument.uri));
    connection.onDocumentRangeFormatting((params) => this.format(params.textDocument.uri, params.range));
    connection.onRequest(ExecuteCommandRequest.type, (params, token) => this.executeCommand(params, token));
    // The embedded PostgreSQL kept warm between dry-runs goes with the server.
    connection.onShutdown(() => stopEmbeddedServer());

    documents.listen(connection);
    connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.capabilities = params.capabilities ?? {};
    const clientCommands = (params.initializationOptions as { clientCommands?: unknown } | undefined)?.clientCommands;
    this.clientCommands = new Set(Array.isArray(clientCommands) ? clientCommands.filter(isString) : []);
    // The schema replayed from earlier migrations, held for the server's life: editing migration N replays from
    // N only. Open documents are replayed as the editor has them; with file watching, the disk is re-read only
    // for files reported changed.
    this.replay = new SchemaReplayCache({
      readText: (file) => {
        const uri = this.openPaths.get(file);
        return uri === undefined ? undefined : this.documents.get(uri)?.getText();
      },
      assumeUnchanged: this.watchesFiles(),
    });
    const folders = params.workspaceFolders?.map((folder) => filePathOf(folder.uri)) ?? [
      params.rootUri ? filePathOf(params.rootUri) : (params.rootPath ?? undefined),
    ];
    this.folders = folders.filter(isString);
    const dynamicFormatting = this.capabilities.textDocument?.formatting?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: {
          codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND],
        },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        // Registered for SQL documents only once initialized, when the client allows: a TS/JS migration must
        // not make the editor ask which formatter to use.
        documentFormattingProvider: !dynamicFormatting,
        documentRangeFormattingProvider: !dynamicFormatting,
        executeCommandProvider: { commands: [DRY_RUN_COMMAND, LINT_WORKSPACE_COMMAND, APPLY_REFACTORING_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        // What the client cannot know on its own: whether a dry-run without a connection has a database.
        experimental: { preflight: { embeddedPostgres: embeddedPostgresInstalled() } },
      },
      serverInfo: { name: 'preflight', version: toolInfo().version },
    };
  }

  private async initialized(): Promise<void> {
    const { connection } = this;
    const registrations: Promise<unknown>[] = [];
    if (this.capabilities.textDocument?.formatting?.dynamicRegistration) {
      registrations.push(
        connection.client.register(DocumentFormattingRequest.type, { documentSelector: SQL_DOCUMENTS }),
      );
    }
    if (this.capabilities.textDocument?.rangeFormatting?.dynamicRegistration) {
      registrations.push(
        connection.client.register(DocumentRangeFormattingRequest.type, { documentSelector: SQL_DOCUMENTS }),
      );
    }
    if (this.watchesFiles()) {
      registrations.push(
        connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            { globPattern: `**/${CONFIG_FILE_NAME}` },
            { globPattern: '**/package.json' },
            { globPattern: '**/*.sql' },
            // Configured migration directories can have any name: the handler filters.
            { globPattern: `**/*.${HOST_EXTENSIONS}` },
          ],
        }),
      );
    }
    if (this.capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((folder) => filePathOf(folder.uri)));
        this.folders = [
          ...this.folders.filter((folder) => !removed.has(folder)),
          ...event.added.map((f) => filePathOf(f.uri)).filter(isString),
        ];
      });
    }
    await Promise.all(registrations).catch((error) =>
      connection.console.error(`Registering capabilities failed: ${error}`),
    );
    await this.loadSettings();
  }

  /** Pulls `preflight.*` from the client (or takes pushed settings), then re-lints what they affect. */
  private async loadSettings(pushed?: unknown): Promise<void> {
    let raw: unknown = (pushed as { preflight?: unknown } | undefined)?.preflight;
    if (this.capabilities.workspace?.configuration) {
      try {
        raw = await this.connection.workspace.getConfiguration('preflight');
      } catch (error) {
        this.connection.console.warn(`Reading the preflight settings failed: ${error}`);
      }
    }
    this.linter.settings = readSettings(raw);
    this.relintOpenDocuments();
    if (this.capabilities.workspace?.codeLens?.refreshSupport)
      void this.connection.sendRequest(CodeLensRefreshRequest.type);
  }

  private watchesFiles(): boolean {
    return this.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  }

  private lintOpen(uri: string): void {
    const source = this.openSource(uri);
    if (source) this.linter.lint(source);
  }

  /** Lints an open document whose schema may have changed; publishes only if its findings can differ. */
  private relintOpen(uri: string): void {
    // A lint of its own still to come (it was just opened or edited) will see the schema as it is then.
    if (this.scheduler.isPending(uri)) return;
    const source = this.openSource(uri);
    if (source) this.linter.relint(source);
  }

  private openMigrations(): OpenMigration[] {
    return this.documents.all().flatMap(({ uri }) => {
      const filePath = filePathOf(uri);
      return filePath ? [{ uri, filePath }] : [];
    });
  }

  private openSource(uri: string): SourceText | undefined {
    const document = this.documents.get(uri);
    return document && { uri, version: document.version, text: document.getText() };
  }

  private currentLint(uri: string): LintedDocument | undefined {
    const source = this.openSource(uri);
    return source && this.linter.current(source);
  }

  /**
   * A document opened or changed: lint it, and (in the pass that follows the burst) the open migrations after
   * it, whose schema starts from it. An open whose text is the disk's changes nothing for them: the pass
   * publishes nothing.
   */
  private changed(uri: string): void {
    this.scheduler.schedule(uri);
    const filePath = filePathOf(uri);
    if (filePath) this.relints.migrationChanged(filePath);
  }

  private closed(uri: string): void {
    this.scheduler.cancel(uri);
    const filePath = filePathOf(uri);
    if (filePath) this.openPaths.delete(filePath);
    // Its unsaved text no longer counts: what runs after it is replayed from the disk again.
    if (filePath) this.relints.migrationChanged(filePath);
    // A file a workspace lint reported keeps its findings (as on disk) after its editor closes.
    if (this.fromDisk.has(uri) && filePath) this.linter.lintFromDisk(filePath);
    else this.linter.forget(uri);
  }

  /** Settings or config changed: every open document joins the relint pass (published again only if it can differ). */
  private relintOpenDocuments(): void {
    this.relints.add(this.documents.all().map((document) => document.uri));
  }

  private configChanged(): void {
    this.linter.configChanged();
    this.replay.clear();
    this.linter.problems.forgetChanged();
    this.relintOpenDocuments();
    for (const uri of this.fromDisk) {
      const filePath = filePathOf(uri);
      if (filePath && !this.documents.get(uri)) this.linter.lintFromDisk(filePath);
    }
  }

  /**
   * A config file changed: everything is linted again. A migration changed on disk: it is re-read if a
   * workspace lint reported it, and the open migrations after it in its directory are linted again, since
   * what they see of the schema starts from it. Open documents belong to the editor, not to the disk.
   */
  private filesChanged(changes: FileEvent[]): void {
    const migrations: string[] = [];
    let configChanged = false;
    for (const change of changes) {
      const filePath = filePathOf(change.uri);
      if (!filePath || filePath.split(path.sep).includes('node_modules')) continue;
      const name = path.basename(filePath);
      if (name === CONFIG_FILE_NAME || name === 'package.json') configChanged = true;
      else if (isMigrationPath(filePath)) {
        this.replay.invalidate(filePath);
        if (this.documents.get(change.uri)) continue;
        migrations.push(filePath);
        if (change.type === FileChangeType.Deleted) {
          this.fromDisk.delete(change.uri);
          this.linter.forget(change.uri);
        } else if (this.fromDisk.has(change.uri)) {
          this.linter.lintFromDisk(filePath);
        }
      }
    }
    if (configChanged) {
      this.configChanged();
      return;
    }
    migrations.forEach((filePath) => this.relints.migrationChanged(filePath));
  }

  private format(uri: string, range?: Range): TextEdit[] | null {
    const document = this.documents.get(uri);
    const filePath = filePathOf(uri);
    if (!document || !filePath || path.extname(filePath).toLowerCase() !== '.sql') return null;
    let config: ResolvedConfig;
    try {
      config = this.linter.configFor(filePath);
    } catch {
      this.connection.console.info(`Not formatting ${filePath}: its config is invalid.`);
      return null;
    }
    const text = document.getText();
    const lines = new LineIndex(text);
    const outcome = formatFile(
      filePath,
      text,
      config,
      range && { start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) },
    );
    if ('skipped' in outcome) {
      this.connection.console.info(`Not formatting ${filePath}: ${outcome.skipped}.`);
      return [];
    }
    for (const note of outcome.notes) this.connection.console.info(`Formatting ${filePath}: ${note}.`);
    return outcome.edits.map((edit) => toLspEdit(lines, edit));
  }

  /** "Format embedded SQL": formats the SQL template literals of a TS/JS document that the range touches. */
  private embeddedSqlEdits(document: TextDocument, range: Range): TextEdit[] {
    const filePath = filePathOf(document.uri);
    const language = filePath ? languageOf(filePath) : undefined;
    if (!filePath || !language || language === 'sql') return [];
    let config: ResolvedConfig;
    try {
      config = this.linter.configFor(filePath);
    } catch {
      return [];
    }
    const text = document.getText();
    const lines = new LineIndex(text);
    const outcome = formatFile(filePath, text, config, {
      start: lines.offsetAt(range.start),
      end: lines.offsetAt(range.end),
    });
    return 'edits' in outcome ? outcome.edits.map((edit) => toLspEdit(lines, edit)) : [];
  }

  private codeActionSupport(): CodeActionSupport {
    return {
      documentChanges: this.capabilities.workspace?.workspaceEdit?.documentChanges === true,
      disabled: this.capabilities.textDocument?.codeAction?.disabledSupport === true,
      showRuleDocumentation: this.clientCommands.has(SHOW_RULE_DOCUMENTATION_COMMAND),
    };
  }

  /** Fix-all: the safe fixes of the document's current lint that do not touch each other (`lint --fix`'s first pass). */
  private fixAllEdits(document: TextDocument): TextEdit[] {
    const linted = this.linter.current({ uri: document.uri, version: document.version, text: document.getText() });
    if (!linted?.file) return [];
    const safe = linted.result.diagnostics.flatMap((diagnostic) => (diagnostic.fix?.safe ? [diagnostic.fix] : []));
    const lines = linted.file.lines;
    return compatibleFixes(safe, document.getText().length).flatMap((fix) =>
      fix.edits.map((edit) => toLspEdit(lines, edit)),
    );
  }

  private refactoringCheck(document: TextDocument, ruleId: string): { title: string; problem?: string } | undefined {
    const refactoring = allRules().get(ruleId)?.refactoring;
    if (!refactoring) return undefined;
    const edit = refactoringEdit(refactoring, this.refactoringSource(document), this.capabilities);
    return { title: refactoring.title, problem: 'problem' in edit ? edit.problem : undefined };
  }

  /** The parsed document to refactor: its current lint's, or a plain parse where Preflight does not lint it. */
  private refactoringSource(document: TextDocument): { uri: string; version: number; file: MigrationFile } {
    const source = { uri: document.uri, version: document.version, text: document.getText() };
    const file =
      this.linter.current(source)?.file ?? parseMigration(filePathOf(document.uri) ?? document.uri, source.text);
    return { uri: document.uri, version: document.version, file };
  }

  private async executeCommand(params: ExecuteCommandParams, token: CancellationToken): Promise<unknown> {
    switch (params.command) {
      case LINT_WORKSPACE_COMMAND:
        return this.withProgress('Preflight: linting the workspace', params, token, async (progress) => {
          const { fromDisk, ...summary } = await lintWorkspace(
            this.folders,
            this.linter,
            (uri) => this.openSource(uri),
            progress,
          );
          fromDisk.forEach((uri) => this.fromDisk.add(uri));
          return summary;
        });
      case DRY_RUN_COMMAND:
        return this.withProgress('Preflight: dry run', params, token, (progress) =>
          runDryRun(params.arguments?.[0], {
            text: (uri) => this.documents.get(uri)?.getText(),
            configFor: (filePath) => this.linter.configFor(filePath),
            folders: () => this.folders,
            settings: this.linter.settings,
            progress,
          }),
        );
      case APPLY_REFACTORING_COMMAND: {
        const { uri, rule } = (params.arguments?.[0] ?? {}) as { uri?: unknown; rule?: unknown };
        const document = typeof uri === 'string' ? this.documents.get(uri) : undefined;
        const refactoring = typeof rule === 'string' ? allRules().get(rule)?.refactoring : undefined;
        if (!document || !refactoring) {
          throw new ResponseError(
            ErrorCodes.InvalidParams,
            `${APPLY_REFACTORING_COMMAND} needs [{ uri, rule }]: an open document and a rule that offers a refactoring`,
          );
        }
        const edit = refactoringEdit(refactoring, this.refactoringSource(document), this.capabilities);
        if ('problem' in edit) {
          showMessage(this.connection, MessageType.Warning, edit.problem);
          return { applied: false, reason: edit.problem };
        }
        const result = await this.connection.workspace.applyEdit({ label: refactoring.title, edit: edit.edit });
        if (!result.applied)
          showMessage(
            this.connection,
            MessageType.Error,
            `"${refactoring.title}" was not applied${result.failureReason ? `: ${result.failureReason}` : ''}.`,
          );
        return { applied: result.applied, files: edit.files };
      }
      default:
        throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${params.command}`);
    }
  }

  private async withProgress<T>(
    title: string,
    params: ExecuteCommandParams,
    token: CancellationToken,
    run: (progress: CommandProgress) => Promise<T>,
  ): Promise<T> {
    const canCreate = this.capabilities.window?.workDoneProgress === true;
    const progress = await startProgress(this.connection, title, params.workDoneToken, canCreate, token);
    try {
      return await run(progress);
    } finally {
      progress.done();
    }
  }

  /** A failure while handling one message is logged; the server goes on serving. */
  private safely(what: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.connection.console.error(`Preflight failed ${what}: ${crashReport(error)}`);
    }
  }
}

function isString(value: string | undefined): value is string {
  return typeof value === 'string';
}
