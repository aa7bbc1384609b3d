import { ResolvedConfig, dialectOf } from '../resolved-config';
import { languageOf } from '../parse/migration';
import type { Span } from '../parse/text';
import { FormatOutcome, formatSql } from './sql';

export type { FormatOutcome } from './sql';

/**
 * Formats a migration the way `preflight format` and the language server both do: a `.sql` file statement by
 * statement, a TS/JS file's SQL template literals in place; in the file's dialect, with the config's `format`
 * settings. The SQL parser must be loaded (`loadSqlParser()`).
 */
export function formatFile(filePath: string, text: string, config: ResolvedConfig, range?: Span): FormatOutcome {
  const dialect = dialectOf(config, filePath);
  const language = languageOf(filePath) ?? 'sql';
  if (language === 'sql') return formatSql(text, config.format, dialect, range);
  return loadEmbedded().formatEmbeddedSql(filePath, text, config.format, dialect, range);
}

/** embedded.ts loads the TypeScript compiler: formatting .sql files never pays for it. */
function loadEmbedded(): typeof import('./embedded') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./embedded');
}
