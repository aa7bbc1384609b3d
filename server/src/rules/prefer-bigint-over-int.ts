import { KEY_COLUMNS_ONLY_OPTION, reportNarrowIntegerKeys } from '../lint/integer-keys';
import { Rule } from '../lint/rule';

export const rule: Rule = {
  id: 'prefer-bigint-over-int',
  severity: 'warning',
  summary: 'A 32-bit integer key runs out at 2,147,483,647; widening it later rewrites the table and its references.',
  fixable: true,
  options: KEY_COLUMNS_ONLY_OPTION,
  examples: {
    bad: 'CREATE TABLE events (id serial PRIMARY KEY, account_id integer);',
    good: 'CREATE TABLE events (id bigserial PRIMARY KEY, account_id bigint, attempts integer);',
  },
  check(context) {
    reportNarrowIntegerKeys(context, {
      types: new Set(['int4', 'serial', 'serial4']),
      wider: { int4: 'int8', serial: 'bigserial', serial4: 'serial8' },
      bits: 32,
      max: '2,147,483,647',
    });
  },
};
