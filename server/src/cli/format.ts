import { parseArgs } from 'util';
import { ConfigCache } from '../config';
import { isIgnored } from '../resolved-config';
import { FormatOutcome, formatFile } from '../format';
import { applyFixes } from '../lint/apply-fixes';
import { loadSqlParser } from '../parse/sql';
import { decodeSource, readUserFile } from '../source-files';
import { collectFiles } from './files';
import { rewriteFile } from './fix';
import type { CommandIO } from './io';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './usage';

export const FORMAT_USAGE = `Usage: preflight format FILE... [--check | --write] [options]

Formats SQL migrations with sql-formatter, in each file's dialect (postgresql, mysql or mariadb: the "dialect"
of its migration directory) and with the "format" settings of .preflightrc.json: a .sql file statement by
statement, the SQL template literals of a TS/JS file in place (\${} holes stay as written). Directories are
searched recursively. Formatting never changes what a statement means: every formatted statement is parsed
again and must give the same parse tree; where it would not, the file or literal is left as it is, and the
reason is printed.

Without --check or --write, prints each file formatted.

Options:
  --check          write nothing; list the files that are not formatted and exit 1 if there are any
  --write          rewrite the files that are not formatted, in place
  --config <file>  use this config file instead of searching for .preflightrc.json

Exit codes: 0 done (with --check: every file is formatted), 1 --check found files to format, 2 usage error or
a file that cannot be read or written.
`;

export async function formatCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { check: { type: 'boolean' }, write: { type: 'boolean' }, config: { type: 'string' } },
  });
  if (positionals.length === 0) throw new UsageError('name the files or directories to format');
  if (values.check && values.write) throw new UsageError('--check and --write exclude each other');
  await loadSqlParser();
  const configs = new ConfigCache();
  let unformatted = 0;
  let failed = 0;
  for (const file of collectFiles(positionals)) {
    const config = configs.configFor(file, values.config);
    if (isIgnored(config, file)) continue;
    const read = readUserFile(file);
    const original = 'bytes' in read ? read.bytes : Buffer.alloc(0);
    const decoded = 'bytes' in read ? decodeSource(original) : read;
    if ('problem' in decoded) {
      io.stderr(`preflight format: ${file}: ${decoded.problem.replace(/not linted$/, 'not formatted')}\n`);
      failed++;
      continue;
    }
    const outcome = formatFile(file, decoded.text, config);
    report(file, outcome, io);
    const formatted =
      'edits' in outcome ? applyFixes(decoded.text, [{ title: 'format', edits: outcome.edits }]).text : decoded.text;
    const changed = formatted !== decoded.text;
    if (values.check) {
      if (changed) {
        io.stdout(`${file}\n`);
        unformatted++;
      }
    } else if (values.write) {
      if (changed && !write(file, original, formatted, io)) failed++;
    } else {
      io.stdout(formatted);
    }
  }
  if (failed > 0) return EXIT_USAGE;
  if (values.check && unformatted > 0) {
    io.stderr(
      `preflight format: ${unformatted} file${unformatted === 1 ? ' is' : 's are'} not formatted (run preflight format --write)\n`,
    );
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

/** Why a file or some of its SQL was left as written, on stderr. */
function report(file: string, outcome: FormatOutcome, io: CommandIO): void {
  const reasons = 'skipped' in outcome ? [`left as it is: ${outcome.skipped}`] : outcome.notes;
  for (const reason of reasons) io.stderr(`preflight format: ${file}: ${reason}\n`);
}

function write(file: string, original: Buffer, formatted: string, io: CommandIO): boolean {
  try {
    rewriteFile(file, original, formatted);
    io.stderr(`preflight format: formatted ${file}\n`);
    return true;
  } catch (error) {
    io.stderr(`preflight format: ${file}: not written: ${(error as Error).message}\n`);
    return false;
  }
}
