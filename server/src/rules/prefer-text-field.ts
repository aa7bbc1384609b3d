import {
  builtinTypeName,
  columnDefinitions,
  explicitTypmods,
  replaceTypeFix,
  typeFileSpan,
  writtenType,
} from '../lint/column-types';
import { Rule } from '../lint/rule';

export const rule: Rule = {
  id: 'prefer-text-field',
  severity: 'info',
  summary: 'varchar(n) puts the length limit in the type, where changing it needs an ACCESS EXCLUSIVE lock.',
  fixable: true,
  examples: {
    bad: 'CREATE TABLE users (email varchar(255));',
    good: 'CREATE TABLE users (email text CONSTRAINT email_length CHECK (length(email) <= 255));',
  },
  check({ file, report }) {
    for (const column of columnDefinitions(file)) {
      if (builtinTypeName(column.typeName) !== 'varchar' || explicitTypmods(column.typeName).length === 0) continue;
      report({
        span: typeFileSpan(column),
        message:
          `${column.column} is ${writtenType(column) ?? 'varchar(n)'}: the limit can only be changed with ALTER COLUMN ... TYPE, ` +
          'which takes an ACCESS EXCLUSIVE lock (and a lower limit scans or rewrites the table), while text with a CHECK ' +
          'constraint stores the same bytes and can be re-limited with NOT VALID and VALIDATE without blocking.',
        help: 'Use text, with CHECK (length(column) <= n) if the limit matters.',
        // Drops the length check: existing code may rely on the database rejecting long values.
        fix: replaceTypeFix(column, 'text', 'Use text', false),
      });
    }
  },
};
