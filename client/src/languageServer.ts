import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { documentSelector } from './migrationDirectories';
import { scrubbingChannel } from './traceScrub';

/** See `preflight.showRuleDocumentation` in extension.ts. */
const CLIENT_COMMANDS = ['preflight.showRuleDocumentation'];

/** A Preflight finding whose rule link opens the rule's page rendered and read-only. */
function withRenderedRuleLink(diagnostic: vscode.Diagnostic): vscode.Diagnostic {
  const code = diagnostic.code;
  if (diagnostic.source !== 'preflight' || typeof code !== 'object' || typeof code.value !== 'string')
    return diagnostic;
  const target = vscode.Uri.parse(
    `command:preflight.showRuleDocumentation?${encodeURIComponent(JSON.stringify([code.value]))}`,
  );
  diagnostic.code = { value: code.value, target };
  return diagnostic;
}

/**
 * The language server process: `node dist/server.js lsp --stdio` — the same `preflight lsp --stdio` any
 * other LSP editor runs, bundled. It sees every SQL and TS/JS document and decides itself which to lint, with
 * the config it reloads when a config file changes.
 */
/** What the server status item shows. */
export type ServerState =
  | { kind: 'starting' }
  | { kind: 'running'; version: string }
  | { kind: 'stopped' }
  | { kind: 'failed'; reason: string };

export class PreflightServer implements vscode.Disposable {
  private current?: LanguageClient;
  private readonly stateChanged = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeState = this.stateChanged.event;
  private currentState: ServerState = { kind: 'stopped' };

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get state(): ServerState {
    return this.currentState;
  }

  private setState(state: ServerState): void {
    this.currentState = state;
    this.stateChanged.fire(state);
  }

  get client(): LanguageClient | undefined {
    return this.current;
  }

  async start(): Promise<void> {
    const module = this.context.asAbsolutePath('dist/server.js');
    // TransportKind.stdio appends `--stdio` (and `--clientProcessId`, so the server exits with the editor).
    const serverOptions: ServerOptions = {
      run: { module, args: ['lsp'], transport: TransportKind.stdio },
      debug: {
        module,
        args: ['lsp'],
        transport: TransportKind.stdio,
        options: { execArgv: ['--nolazy', '--inspect=6012'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentSelector(),
      outputChannel: this.log,
      // A verbose trace would log the dry-run request's password from SecretStorage.
      traceOutputChannel: scrubbingChannel(this.log),
      // Pushes `preflight.*` setting changes; the server reads values with workspace/configuration.
      synchronize: { configurationSection: 'preflight' },
      markdown: { isTrusted: false, supportHtml: false },
      // Commands of this extension that the server's code actions may name (other editors have none).
      initializationOptions: { clientCommands: CLIENT_COMMANDS },
      middleware: {
        // The rule link of a finding is a file: URI of the packaged page (what any editor can open); opened
        // as such, VS Code shows the raw Markdown in an editable tab. Here it opens the rendered page instead.
        handleDiagnostics: (uri, diagnostics, next) => next(uri, diagnostics.map(withRenderedRuleLink)),
      },
    };
    const client = new LanguageClient('preflight', 'Preflight', serverOptions, clientOptions);
    this.current = client;
    // The client gives up restarting a server that keeps crashing: then it is stopped without anyone asking.
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Stopped && this.current === client)
        this.setState({ kind: 'failed', reason: 'the language server stopped; see the output' });
    });
    this.log.info('starting the language server');
    this.setState({ kind: 'starting' });
    const started = Date.now();
    try {
      await client.start();
    } catch (error) {
      this.setState({ kind: 'failed', reason: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    this.setState({ kind: 'running', version: this.version });
    this.log.info(
      `language server ${this.version} started in ${Date.now() - started} ms; ` +
        (this.embeddedPostgres
          ? 'embedded PostgreSQL available for dry-runs'
          : 'no embedded PostgreSQL in this installation: dry-runs need a connection'),
    );
  }

  /** The server's version, as it reports it at initialisation. */
  get version(): string {
    return this.current?.initializeResult?.serverInfo?.version ?? 'unknown version';
  }

  /** Whether dry-runs without a connection have a database: the universal package ships no PostgreSQL binaries. */
  get embeddedPostgres(): boolean {
    const experimental = this.current?.initializeResult?.capabilities.experimental as
      { preflight?: { embeddedPostgres?: unknown } } | undefined;
    return experimental?.preflight?.embeddedPostgres !== false;
  }

  /** `preflight.restartServer`: says when the new server is up, so that a restart is never silent. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
    void vscode.window.showInformationMessage(`Preflight: language server restarted (${this.version}).`);
  }

  async stop(): Promise<void> {
    const client = this.current;
    this.current = undefined;
    if (client?.needsStop()) await client.stop();
    this.setState({ kind: 'stopped' });
  }

  /** `preflight.lintWorkspace`: the server lints every migration file and publishes the diagnostics. */
  async lintWorkspace(): Promise<void> {
    const client = this.current;
    if (!client?.isRunning()) {
      void vscode.window.showErrorMessage(
        'Preflight: the language server is not running. Run "Preflight: Restart Server" and try again.',
      );
      return;
    }
    const result = (await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Preflight: linting workspace' },
      () =>
        client.sendRequest(ExecuteCommandRequest.type, { command: 'preflight.server.lintWorkspace', arguments: [] }),
    )) as { files: number; diagnostics: number } | null;
    if (!result) return;
    const files = `${result.files} migration ${result.files === 1 ? 'file' : 'files'}`;
    const findings = `${result.diagnostics} ${result.diagnostics === 1 ? 'finding' : 'findings'}`;
    const choice = await vscode.window.showInformationMessage(
      `Preflight: linted ${files}: ${findings}.`,
      ...(result.diagnostics > 0 ? ['Show Problems'] : []),
    );
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  }

  dispose(): void {
    void this.stop();
    this.stateChanged.dispose();
  }
}
