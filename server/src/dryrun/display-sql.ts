import type { FormatSettings } from '../resolved-config';

/** Statements longer than this are shown as written: formatting them is slow and they are read rarely. */
const MAX_FORMATTED_LENGTH = 20_000;

/**
 * A statement laid out for reading in a report (`sql-formatter`, PostgreSQL dialect, the project's
 * `format` settings). Display only: the dry-run always sends the text as written. A statement that already
 * fits on one line is shown as written (formatting costs about a millisecond a statement, a second for the
 * first few hundred while the formatter warms up), and so is text the formatter cannot handle.
 */
export function displaySql(text: string, settings?: FormatSettings): string {
  if (text.length > MAX_FORMATTED_LENGTH) return text;
  if (!text.includes('\n') && text.length <= (settings?.lineWidth ?? 100)) return text;
  try {
    // Loaded on first use: it takes a few hundred milliseconds, which a dry-run should not spend before it starts.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { format } = require('sql-formatter') as typeof import('sql-formatter');
    return format(text, {
      language: 'postgresql',
      keywordCase: settings?.keywordCase ?? 'preserve',
      tabWidth: settings?.indent ?? 2,
      expressionWidth: settings?.lineWidth ?? 50,
    });
  } catch {
    return text;
  }
}
