import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { DryRunArguments } from '../../../shared/protocol';
import { ConfigError } from '../config';
import type { ResolvedConfig } from '../resolved-config';
import * as path from 'path';
import { DryRunError, DryRunReport, EmbeddedNotInstalled } from '../dryrun';
import { RemoteServerRefused } from '../dryrun/errors';
import { dryRunFile, dryRunRunsCode } from '../dryrun/run-file';
import type { FrontEndWording } from '../dryrun/wording';
import { LineIndex } from '../parse/text';
import { readUserText } from '../source-files';
import { filePathOf } from './document-linter';
import type { CommandProgress } from './progress';
import type { EditorSettings } from './settings';

/** How long the embedded PostgreSQL stays up after a dry-run, so that the next one starts in milliseconds. */
const EMBEDDED_IDLE_MS = 10 * 60 * 1000;

/** The editor has no `--allow-side-effects`: the one way to run a refused statement anyway is the CLI. */
function editorWording(connectionName: string | undefined): FrontEndWording {
  return {
    explicitConnection: connectionName
      ? `the connection "${connectionName}" in settings`
      : 'the connection chosen in the editor',
    allowSideEffects: 'to execute it anyway, dry-run from a terminal with `preflight dry-run --allow-side-effects`',
    allowRemote: 'a dry-run holds locks there while it runs, so confirm the dry-run on it first',
  };
}

/**
 * Runs the dry-run engine on a document as the editor has it (unsaved text included), with the editor's
 * timeouts, reporting progress and honouring cancellation; a plain script runs itself (`dryRunFile`), as saved.
 * Request problems and connection failures come back as one-line errors with any password scrubbed by the
 * engine; the `data` of a refusal says what the client can offer: `{ remoteHost }` (ask for consent),
 * `{ runsCode: true }` (ask before running the file's code, save it, and send `runCode`),
 * `{ embeddedNotInstalled: true }` (install the platform package or add a connection).
 */
export async function runDryRun(
  args: unknown,
  context: {
    text: (uri: string) => string | undefined;
    configFor: (filePath: string) => ResolvedConfig;
    /** The workspace folders: a program runs in the one that holds it. */
    folders: () => readonly string[];
    settings: EditorSettings;
    progress: CommandProgress;
  },
): Promise<DryRunReport> {
  const request = parseArguments(args);
  const filePath = filePathOf(request.uri);
  if (!filePath) throw new ResponseError(ErrorCodes.InvalidParams, `cannot dry-run ${request.uri}: not a file`);
  let config: ResolvedConfig;
  try {
    config = context.configFor(filePath);
  } catch (error) {
    if (error instanceof ConfigError) throw new ResponseError(ErrorCodes.InvalidRequest, error.message);
    throw error;
  }
  const editorText = context.text(request.uri);
  const text = editorText ?? (request.range ? readText(filePath) : undefined);
  const lines = text !== undefined ? new LineIndex(text) : undefined;
  const range =
    request.range && lines
      ? { start: lines.offsetAt(request.range.start), end: lines.offsetAt(request.range.end) }
      : undefined;
  if (await dryRunRunsCode({ file: filePath, text, range, config }))
    refuseCodeRunWithout(request, filePath, editorText);
  const { progress, settings } = context;
  const connection = request.connection;
  const target = connection
    ? { config, databaseUrl: connection.url, password: connection.password, allowRemote: request.allowRemote === true }
    : embeddedOnly(config);
  try {
    return await dryRunFile({
      file: filePath,
      text,
      range,
      cwd: programDirectory(filePath, context.folders()),
      ...target,
      lockTimeout: settings.dryRun.lockTimeout,
      statementTimeout: settings.dryRun.statementTimeout,
      timeout: settings.dryRun.timeout,
      signal: progress.signal,
      onProgress: ({ message, done, total }) =>
        progress.report(message, done !== undefined && total ? Math.round((done / total) * 100) : undefined),
      embeddedIdleMs: EMBEDDED_IDLE_MS,
      wording: editorWording(connection?.name),
    });
  } catch (error) {
    if (error instanceof RemoteServerRefused)
      throw new ResponseError(ErrorCodes.InvalidRequest, error.message, { remoteHost: error.host });
    if (error instanceof EmbeddedNotInstalled)
      throw new ResponseError(ErrorCodes.InvalidRequest, error.message, { embeddedNotInstalled: true });
    if (error instanceof DryRunError) throw new ResponseError(ErrorCodes.InvalidRequest, error.message);
    throw error;
  }
}

/**
 * Running a file's code is the user's decision, which the client asks for (`runCode`); and node runs the file on
 * disk, so editor text that differs from it would make the report describe code that never ran.
 */
function refuseCodeRunWithout(request: DryRunArguments, filePath: string, editorText: string | undefined): void {
  const name = path.basename(filePath);
  if (request.runCode !== true) {
    throw new ResponseError(
      ErrorCodes.InvalidRequest,
      `dry-running ${name} runs ${name}'s own code (its connections reach only the dry-run's transaction, which is rolled back); confirm running it first`,
      { runsCode: true },
    );
  }
  if (editorText !== undefined && editorText !== readText(filePath)) {
    throw new ResponseError(
      ErrorCodes.InvalidRequest,
      `${name} has unsaved changes: save it first, since a dry-run runs the file as it is on disk`,
    );
  }
}

/**
 * A program runs where a terminal of the editor would run it, the workspace folder that holds it (the innermost,
 * in a multi-root workspace), so that paths it resolves against its working directory (a `.env`, relative file
 * names) mean what they mean for `node scripts/x.js` at the project's root; outside every folder, its own
 * directory.
 */
function programDirectory(filePath: string, folders: readonly string[]): string {
  const holding = folders
    .filter((folder) => filePath.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep))
    .sort((a, b) => b.length - a.length);
  return holding[0] ?? path.dirname(filePath);
}

/**
 * Without a connection the editor's dry-run uses the embedded PostgreSQL (the contract), even when the editor
 * was started from a shell with DATABASE_URL or PG* variables, or the config names a default connection: the
 * engine would otherwise pick those, as psql does.
 */
function embeddedOnly(config: ResolvedConfig): { config: ResolvedConfig; env: NodeJS.ProcessEnv } {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'DATABASE_URL' && !name.startsWith('PG')),
  );
  return { config: { ...config, defaultConnection: undefined }, env };
}

function parseArguments(args: unknown): DryRunArguments {
  const request = args as Partial<DryRunArguments> | undefined;
  if (!request || typeof request.uri !== 'string') {
    throw new ResponseError(ErrorCodes.InvalidParams, 'preflight.server.dryRun needs [{ uri, range?, connection? }]');
  }
  if (request.connection !== undefined && typeof request.connection?.url !== 'string') {
    throw new ResponseError(ErrorCodes.InvalidParams, 'preflight.server.dryRun: connection needs a url');
  }
  return request as DryRunArguments;
}

function readText(filePath: string): string | undefined {
  const decoded = readUserText(filePath);
  return 'text' in decoded ? decoded.text : undefined;
}
