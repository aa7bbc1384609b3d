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
  id: 'ban-char-field',
  severity: 'warning',
  summary: 'char(n) pads values with spaces and compares them without trailing spaces: almost never what was meant.',
  fixable: true,
  examples: { bad: 'CREATE TABLE countries (code char(2));', good: 'CREATE TABLE countries (code text);' },
  check({ file, report }) {
    for (const column of columnDefinitions(file)) {
      // `"char"` (quoted) is PostgreSQL's one-byte internal type; only `char`, `character` and `bpchar` pad.
      if (builtinTypeName(column.typeName) !== 'bpchar') continue;
      const length = constantValue(explicitTypmods(column.typeName)[0]);
      const replacement = length === undefined ? 'text' : `varchar(${length})`;
      report({
        span: typeFileSpan(column),
        message:
          length === undefined
            ? `${column.column} is ${writtenType(column) ?? 'char'}, which means char(1): longer values are rejected, and casts to it ` +
              'silently keep only the first character.'
            : `${column.column} is ${writtenType(column) ?? 'char(n)'}: PostgreSQL pads shorter values with spaces and ignores ` +
              "trailing spaces in comparisons but not in LIKE, regular expressions or concatenation, so 'a' and 'a ' are " +
              'equal in some queries and different in others.',
        help: 'Use text (or varchar(n) when the limit matters).',
        // Changes how values compare and what is stored: review before applying.
        fix: replaceTypeFix(column, replacement, `Use ${replacement}`, false),
      });
    }
  },
};
