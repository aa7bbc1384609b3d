import { ConfigError } from './config';
import { EXIT_INTERNAL, crashReport } from './crash';
import type { CommandIO } from './cli/io';
import { EXIT_USAGE, UsageError } from './cli/usage';
import { SchemaSourceError } from './schema/connection';

interface Command {
  run: (argv: string[], io: CommandIO) => Promise<number>;
  usage: string;
}

/**
 * The `preflight` command: each subcommand lives in `cli/` and is loaded when it runs, so that `lint` does not
 * load the language server, nor `lsp` the dry-run engine.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => Command> = {
  lint: () => command(require('./cli/lint') as typeof import('./cli/lint'), 'lintCommand', 'LINT_USAGE'),
  check: () => command(require('./cli/check') as typeof import('./cli/check'), 'checkCommand', 'CHECK_USAGE'),
  'dry-run': () =>
    command(require('./cli/dry-run') as typeof import('./cli/dry-run'), 'dryRunCommand', 'DRY_RUN_USAGE'),
  format: () => command(require('./cli/format') as typeof import('./cli/format'), 'formatCommand', 'FORMAT_USAGE'),
  rules: () => command(require('./cli/rules') as typeof import('./cli/rules'), 'rulesCommand', 'RULES_USAGE'),
  schema: () => command(require('./cli/schema') as typeof import('./cli/schema'), 'schemaCommand', 'SCHEMA_USAGE'),
  lsp: () => command(require('./cli/lsp') as typeof import('./cli/lsp'), 'lspCommand', 'LSP_USAGE'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

function command<M>(module: M, run: keyof M, usage: keyof M): Command {
  return { run: module[run] as Command['run'], usage: module[usage] as string };
}

const USAGE = `Usage: preflight <command> [options]

Commands:
${Object.keys(COMMANDS)
  .map((name) => `  ${name}`)
  .join('\n')}

Run \`preflight <command> --help\` for a command's options.
`;

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  const command = name && Object.hasOwn(COMMANDS, name) ? COMMANDS[name]() : undefined;
  if (!command) {
    if (name === '--help' || name === '-h' || name === undefined) {
      io.stdout(USAGE);
      return name === undefined ? EXIT_USAGE : 0;
    }
    io.stderr(`preflight: unknown command "${name}"\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof ConfigError ||
      error instanceof SchemaSourceError ||
      isParseArgsError(error)
    ) {
      io.stderr(`preflight ${name}: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`preflight ${name}: internal error (please report it): ${crashReport(error)}\n`);
    return EXIT_INTERNAL;
  }
}

function isParseArgsError(error: unknown): boolean {
  return (
    typeof (error as { code?: unknown })?.code === 'string' &&
    (error as { code: string }).code.startsWith('ERR_PARSE_ARGS')
  );
}

function processIO(): CommandIO {
  // The reader of the output went away (`preflight lint | head`): stop quietly, as other command-line tools do,
  // rather than die on an unhandled EPIPE with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit();
  });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}
