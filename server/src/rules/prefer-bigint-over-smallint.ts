import { KEY_COLUMNS_ONLY_OPTION, reportNarrowIntegerKeys } from '../lint/integer-keys';
import { Rule } from '../lint/rule';

export const rule: Rule = {
  id: 'prefer-bigint-over-smallint',
  severity: 'warning',
  summary: 'A 16-bit integer key runs out at 32,767; widening it later rewrites the table and its references.',
  fixable: true,
  options: KEY_COLUMNS_ONLY_OPTION,
  examples: {
    bad: 'CREATE TABLE plans (id smallserial PRIMARY KEY);',
    good: 'CREATE TABLE plans (id bigserial PRIMARY KEY, priority smallint);',
  },
  check(context) {
    reportNarrowIntegerKeys(context, {
      types: new Set(['int2', 'smallserial', 'serial2']),
      wider: { int2: 'int8', smallserial: 'bigserial', serial2: 'serial8' },
      bits: 16,
      max: '32,767',
    });
  },
};
