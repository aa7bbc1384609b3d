import {
  builtinTypeName,
  columnDefinitions,
  explicitTypmods,
  replaceTypeFix,
  typeFileSpan,
  writtenType,
} from '../lint/column-types';
import { Rule } from '../lint/rule';
import { constantValue } from '../parse/ast';

export const rule: Rule = {
  id: 'prefer-timestamptz',
  severity: 'warning',
  summary: 'timestamp without time zone stores wall-clock time and drops the UTC offset of the values written to it.',
  fixable: true,
  examples: { bad: 'CREATE TABLE orders (placed_at timestamp);', good: 'CREATE TABLE orders (placed_at timestamptz);' },
  check({ file, report }) {
    for (const column of columnDefinitions(file)) {
      if (builtinTypeName(column.typeName) !== 'timestamp') continue;
      const precision = constantValue(explicitTypmods(column.typeName)[0]);
      const replacement = precision === undefined ? 'timestamptz' : `timestamptz(${precision})`;
      report({
        span: typeFileSpan(column),
        message:
          `${column.column} is ${writtenType(column) ?? 'timestamp'}: a value written as 10:00+02 and one written as 10:00-06 ` +
          'are stored as the same 10:00, so instants from clients or servers in other time zones (or across a DST change) ' +
          'are silently wrong.',
        help: "Use timestamptz: it stores an instant and converts to each session's time zone on the way out.",
        // Existing values and clients' conversions change meaning: review before applying.
        fix: replaceTypeFix(column, replacement, `Use ${replacement}`, false),
      });
    }
  },
};
