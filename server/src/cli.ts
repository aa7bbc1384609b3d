import { ConfigError } from './config';
import { CHECK_USAGE, checkCommand } from './cli/check';
import { DRY_RUN_USAGE, dryRunCommand } from './cli/dry-run';
import { FORMAT_USAGE, formatCommand } from './cli/format';
import { CommandIO, LINT_USAGE, lintCommand } from './cli/lint';
import { LSP_USAGE, lspCommand } from './cli/lsp';
import { RULES_USAGE, rulesCommand } from './cli/rules';
import { SCHEMA_USAGE, schemaCommand } from './cli/schema';
import { EXIT_USAGE, UsageError } from './cli/usage';
import { SchemaSourceError } from './schema/connection';

/** The `preflight` command: each subcommand lives in `cli/`. */
const COMMANDS: Record<string, { run: (argv: string[], io: CommandIO) => Promise<number>; usage: string }> = {
  lint: { run: lintCommand, usage: LINT_USAGE },
  check: { run: checkCommand, usage: CHECK_USAGE },
  'dry-run': { run: dryRunCommand, usage: DRY_RUN_USAGE },
  format: { run: formatCommand, usage: FORMAT_USAGE },
  rules: { run: rulesCommand, usage: RULES_USAGE },
  schema: { run: schemaCommand, usage: SCHEMA_USAGE },
  lsp: { run: lspCommand, usage: LSP_USAGE },
};

const USAGE = `Usage: preflight <command> [options]

Commands:
${Object.keys(COMMANDS).map((name) => `  ${name}`).join('\n')}

Run \`preflight <command> --help\` for a command's options.
`;

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
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
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof SchemaSourceError || isParseArgsError(error)) {
      io.stderr(`preflight ${name}: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  return typeof (error as { code?: unknown })?.code === 'string' && (error as { code: string }).code.startsWith('ERR_PARSE_ARGS');
}

function processIO(): CommandIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}
