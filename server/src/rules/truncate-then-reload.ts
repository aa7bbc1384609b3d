import * as path from 'path';
import { fileRole } from '../lint/file-role';
import { newTables } from '../lint/new-tables';
import { Rule } from '../lint/rule';
import { sessionPrivateTables } from '../lint/session-private';
import { reloadAfter, truncations } from '../lint/truncations';
import { splitQualified } from '../schema/names';

/**
 * Names of scripts whose job is to empty a table and fill it again, and of the tables they own: a seed or a
 * demo-data reset owns its tables' rows. Anything else that truncates and refills (a sync, an import, a
 * refresh) is replacing rows it does not own.
 */
const DATA_RESET_NAMES = /(^|[-_.])(seeds?|seeders?|seeding|fixtures?|demo|reset|samples?)([-_.]|$)/i;

export const rule: Rule = {
  id: 'truncate-then-reload',
  severity: 'warning',
  summary:
    'A script empties a table with TRUNCATE and refills it from its own source, deleting every row other writers made.',
  examples: {
    fileName: 'scripts/example.sql',
    bad: 'BEGIN;\nTRUNCATE invoices;\nINSERT INTO invoices SELECT * FROM desktop_invoices;\nCOMMIT;',
    good:
      'INSERT INTO invoices SELECT * FROM desktop_invoices\n' +
      "ON CONFLICT (id) DO UPDATE SET total = excluded.total WHERE invoices.source = 'desktop';",
  },
  check({ file, config, report }) {
    // A migration's TRUNCATE is ban-truncate's; seeds and demo resets own the rows they reload.
    if (fileRole(file, config) !== 'script' || isDataReset(file.path, config.rootDir)) return;
    const sessionPrivate = sessionPrivateTables(file);
    const created = newTables(file);
    for (const truncation of truncations(file)) {
      if (sessionPrivate.has(truncation.table) || created.isNew(truncation.table, truncation.operation)) continue;
      // `invoices` of `public.invoices`: also how ON CONFLICT's WHERE names a column of the target.
      const [, tableName] = splitQualified(truncation.table);
      if (DATA_RESET_NAMES.test(tableName)) continue;
      const reload = reloadAfter(file, truncation);
      if (!reload) continue;
      const line = file.lines.positionAt(reload.fileSpan.start).line + 1;
      report({
        span: truncation.tableSpan,
        message:
          `${truncation.subject} empties ${truncation.table} and line ${line} refills it from this script's source: every ` +
          `row another writer put in ${truncation.table} (the application, another sync, a mobile client) is deleted and ` +
          'not put back, including rows written while the script ran. Incident 3: a desktop-to-cloud sync truncated ' +
          'and re-inserted its tables and silently wiped every row mobile clients had created.',
        help:
          `Upsert instead of emptying: INSERT ... ON CONFLICT (id) DO UPDATE SET ... WHERE ${tableName}.source = ` +
          "'<this source>', so that only rows this script owns are overwritten, then delete only this source's rows that " +
          'are gone from it (DELETE ... WHERE source = ... AND NOT EXISTS (...)). If this script is the only writer of ' +
          'the table, say so in a preflight-ignore comment.',
      });
    }
  },
};

/** Whether the file's name or a folder below the project root names a seed or a reset. */
function isDataReset(filePath: string, rootDir: string): boolean {
  const relative = path.relative(rootDir, path.resolve(filePath));
  // Outside the project only the file's own folder counts: a checkout in ~/demo-app is no demo reset.
  const inside = !relative.startsWith('..') && !path.isAbsolute(relative);
  const parts = (inside ? relative : path.join(path.basename(path.dirname(filePath)), path.basename(filePath))).split(
    path.sep,
  );
  parts[parts.length - 1] = path.basename(filePath, path.extname(filePath));
  return parts.some((part) => DATA_RESET_NAMES.test(part));
}
