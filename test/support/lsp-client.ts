import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import {
  ApplyWorkspaceEditParams,
  ApplyWorkspaceEditRequest,
  ClientCapabilities,
  ConfigurationRequest,
  Diagnostic,
  Position,
  Range,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializeRequest,
  InitializeResult,
  InitializedNotification,
  LogMessageNotification,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  RegistrationRequest,
  ShowMessageNotification,
  ShowMessageParams,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentContentChangeEvent,
  TextEdit,
  WorkDoneProgressCreateRequest,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CLI } from './paths';

/** What a capable editor (VS Code) announces; tests narrow it to see how the server adapts. */
export const FULL_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    codeLens: { refreshSupport: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true },
    publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: {
      disabledSupport: true,
      dataSupport: true,
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor'] } },
    },
    formatting: { dynamicRegistration: true },
    rangeFormatting: { dynamicRegistration: true },
  },
  window: { workDoneProgress: true },
};

/**
 * The real `preflight lsp --stdio` process and a JSON-RPC connection to it: what an editor sees. Keeps
 * every notification the server sends, answers its requests like an editor would (settings, capability
 * registrations, progress tokens) and applies workspace edits to the files on disk.
 */
export class LspTestClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  readonly log: string[] = [];
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  stderr = '';
  settings: Record<string, unknown> = {};
  private readonly documents = new Map<string, TextDocument>();
  private readonly waiters: (() => void)[] = [];

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
  ) {}

  static async start(
    rootPath: string,
    capabilities: ClientCapabilities = FULL_CAPABILITIES,
    env: NodeJS.ProcessEnv = process.env,
    initializationOptions?: unknown,
  ): Promise<LspTestClient> {
    const child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: rootPath, stdio: 'pipe', env });
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const client = new LspTestClient(child, connection);
    child.stderr.on('data', (chunk) => (client.stderr += chunk));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) =>
      client.record(() => client.published.push(params)),
    );
    connection.onNotification(ShowMessageNotification.type, (params) =>
      client.record(() => client.messages.push(params)),
    );
    connection.onNotification(LogMessageNotification.type, (params) =>
      client.record(() => client.log.push(params.message)),
    );
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => (item.section === 'preflight' ? client.settings : null)),
    );
    connection.onRequest(RegistrationRequest.type, (params) => {
      client.registrations.push(...params.registrations);
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
      client.appliedEdits.push(params);
      client.applyToDisk(params);
      return { applied: true };
    });
    connection.onRequest('workspace/codeLens/refresh', () => null);
    connection.listen();
    const exited = new Promise<never>((_resolve, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`the server exited (code ${code}) before answering initialize:\n${client.stderr}`)),
      ),
    );
    client.initializeResult = await Promise.race([
      connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: pathToFileURL(rootPath).href,
        workspaceFolders: [{ uri: pathToFileURL(rootPath).href, name: 'test' }],
        capabilities,
        initializationOptions,
      }),
      exited,
    ]);
    exited.catch(() => undefined);
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  initializeResult!: InitializeResult;

  /** Opens a file as an editor does; the file need not exist on disk. Returns its URI. */
  async open(
    filePath: string,
    text = fs.readFileSync(filePath, 'utf8'),
    languageId = languageOf(filePath),
  ): Promise<string> {
    const uri = pathToFileURL(filePath).href;
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return uri;
  }

  /** Sends incremental changes (or the whole new text) and returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[] | string): Promise<number> {
    const document = this.document(uri);
    const events = typeof changes === 'string' ? [{ text: changes }] : changes;
    const updated = TextDocument.update(document, events, document.version + 1);
    this.documents.set(uri, updated);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: updated.version },
      contentChanges: events,
    });
    return updated.version;
  }

  /** Closes an open document as an editor does. */
  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  document(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document;
  }

  /** Applies text edits to an open document (as the editor does with a code action) and sends the change. */
  async applyEdits(uri: string, edits: TextEdit[]): Promise<number> {
    const text = TextDocument.applyEdits(this.document(uri), edits);
    return this.change(uri, text);
  }

  /** The next diagnostics published for `uri` that satisfy `accept` (the latest one already received counts). */
  async diagnostics(
    uri: string,
    accept: (diagnostics: Diagnostic[], version?: number) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Diagnostic[]> {
    const found = await this.until(
      () => {
        const latest = [...this.published].reverse().find((p) => p.uri === uri);
        return latest && accept(latest.diagnostics, latest.version) ? latest.diagnostics : undefined;
      },
      timeoutMs,
      `diagnostics for ${uri}`,
    );
    return found;
  }

  /**
   * Waits until the server has published nothing for `quietMs` (a burst's lints are over), or `timeoutMs`
   * passed; returns whether it went quiet.
   */
  async quiet(quietMs: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let seen = -1;
    while (seen !== this.published.length) {
      if (Date.now() >= deadline) return false;
      seen = this.published.length;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
    return true;
  }

  /** Waits until `probe` returns something, re-checking whenever the server sends a notification. */
  async until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${what}; server stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([
        this.connection.sendRequest('shutdown'),
        new Promise((resolve) => setTimeout(resolve, 2000)),
      ]);
      await this.connection.sendNotification('exit');
    } catch {
      // The process may already be gone (a test that kills it).
    }
    this.connection.dispose();
    if (this.process.exitCode === null) {
      await new Promise((resolve) => {
        const timer = setTimeout(() => this.process.kill(), 3000);
        this.process.once('exit', () => resolve(clearTimeout(timer)));
      });
    }
  }

  private record(store: () => void): void {
    store();
    this.waiters.splice(0).forEach((wake) => wake());
  }

  /** Applies a workspace edit the way an editor does: created files on disk, open documents in memory. */
  private applyToDisk(params: ApplyWorkspaceEditParams): void {
    for (const change of params.edit.documentChanges ?? []) {
      if ('kind' in change) {
        if (change.kind === 'create') fs.writeFileSync(fileURLToPath(change.uri), '', { flag: 'wx' });
        continue;
      }
      const uri = change.textDocument.uri;
      const open = this.documents.get(uri);
      const current = open ?? TextDocument.create(uri, 'sql', 0, fs.readFileSync(fileURLToPath(uri), 'utf8'));
      const text = TextDocument.applyEdits(current, change.edits as TextEdit[]);
      if (open) void this.change(uri, text);
      else fs.writeFileSync(fileURLToPath(uri), text);
    }
  }
}

/** The language ids VS Code gives these files with Preflight installed (its own PostgreSQL language for .sql). */
function languageOf(filePath: string): string {
  if (filePath.endsWith('.sql')) return 'postgres';
  return /\.[cm]?ts$/.test(filePath) ? 'typescript' : 'javascript';
}

/** Puts `files` (relative path → text) under a new temporary directory and returns it. */
export function workspaceWith(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-lsp-')));
  for (const [relative, text] of Object.entries(files)) {
    const full = path.join(root, relative);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  return root;
}

/** A server on a temporary workspace of `files`: started before the suite (or each test), stopped and removed after. */
export function serverFor(
  files: Record<string, string>,
  options: { each?: boolean; initializationOptions?: unknown } = {},
): { root: string; client: LspTestClient } {
  const fixture = {} as { root: string; client: LspTestClient };
  (options.each ? beforeEach : before)(async () => {
    fixture.root = workspaceWith(files);
    fixture.client = await LspTestClient.start(fixture.root, undefined, undefined, options.initializationOptions);
  });
  (options.each ? afterEach : after)(async () => {
    await fixture.client?.stop();
    if (fixture.root) fs.rmSync(fixture.root, { recursive: true, force: true });
  });
  return fixture;
}

/** The range of the `occurrence`-th `needle` in `text`, as LSP positions. */
export function rangeOf(text: string, needle: string, occurrence = 1): Range {
  let at = -1;
  for (let i = 0; i < occurrence; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `"${needle}" not in text`);
  return { start: positionAt(text, at), end: positionAt(text, at + needle.length) };
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

export function byRule(diagnostics: Diagnostic[], rule: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === rule);
}
