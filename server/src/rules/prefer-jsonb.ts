import { builtinTypeName, columnDefinitions, replaceTypeFix, typeFileSpan } from '../lint/column-types';
import { Rule } from '../lint/rule';

export const rule: Rule = {
  id: 'prefer-jsonb',
  severity: 'warning',
  summary:
    'A json column: no equality operator (DISTINCT, GROUP BY, UNION and unique indexes fail on it) and no GIN indexing.',
  fixable: true,
  examples: {
    bad: 'ALTER TABLE events ADD COLUMN payload json;',
    good: 'ALTER TABLE events ADD COLUMN payload jsonb;',
  },
  check({ file, report }) {
    for (const column of columnDefinitions(file)) {
      if (builtinTypeName(column.typeName) !== 'json') continue;
      const span = typeFileSpan(column);
      report({
        span,
        message:
          `${column.column} is ${file.text.slice(span.start, span.end)}: json has no equality operator, so a query that compares rows ` +
          `holding it (SELECT DISTINCT, UNION, GROUP BY, a unique index) fails with "could not identify an equality ` +
          `operator for type json"; it cannot have a GIN index and is re-parsed on every access.`,
        help:
          'Use jsonb. It keeps the same JSON values (not their key order, duplicate keys or whitespace); keep json only ' +
          'when that exact text must round-trip.',
        // jsonb normalises the stored text (key order, duplicates): the column's contents change meaning for some readers.
        fix: replaceTypeFix(column, 'jsonb', 'Use jsonb', false),
      });
    }
  },
};
