import { parseArgs } from 'util';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { crashReport } from '../crash';
import { initEngine } from '../lint/engine';
import { checkFraming } from '../lsp/framing';
import { startLanguageServer } from '../lsp/server';
import type { CommandIO } from './io';
import { EXIT_OK, UsageError } from './usage';

export const LSP_USAGE = `Usage: preflight lsp --stdio

Runs the Preflight language server: the Language Server Protocol on standard input and output, for
VS Code (the Preflight extension starts it), Neovim, Helix, Zed and any other LSP editor. It lints with
the same engine and config as \`preflight lint\`. See docs/language-server.md.

Options:
  --stdio                  talk LSP on stdin/stdout (the only transport)
  --clientProcessId <pid>  exit when that process (the editor) is gone
`;

export async function lspCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { stdio: { type: 'boolean' }, clientProcessId: { type: 'string' } },
  });
  if (!values.stdio) throw new UsageError('--stdio is required: the language server talks LSP on stdin/stdout');
  // A bug must cost one message, not the editor's language server: log it where the client shows stderr.
  process.on('uncaughtException', (error) => io.stderr(`preflight lsp: ${crashReport(error)}\n`));
  process.on('unhandledRejection', (reason) => io.stderr(`preflight lsp: ${crashReport(reason)}\n`));
  await initEngine();
  // Input that can no longer be split into messages leaves the server deaf for good: it says why in one line and
  // exits with 1, as vscode-languageserver does when stdin ends without a shutdown, so the editor starts a new one.
  checkFraming(process.stdin, (problem) => {
    io.stderr(
      `preflight lsp: broken message framing on stdin (${problem}); exiting so that the editor restarts the server\n`,
    );
    process.exit(1);
  });
  // Reads --stdio (and --clientProcessId) from the process arguments, and sends console output to the
  // client's log instead of stdout, which carries the protocol.
  startLanguageServer(createConnection(ProposedFeatures.all));
  // The server runs until the client sends `exit` or closes stdin; the library then ends the process.
  return EXIT_OK;
}
