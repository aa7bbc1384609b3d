import { Rule } from '../lint/rule';

export const rule: Rule = {
  id: 'unused-ignore',
  severity: 'info',
  summary: 'A preflight-ignore directive that silences nothing.',
  fixable: true,
  afterSuppression: true,
  examples: {
    bad: '-- preflight-ignore mixed-ddl-dml: backfill is tiny\nSELECT 1;',
    good: 'SELECT 1;',
  },
  check({ directives, report }) {
    for (const directive of directives) {
      if (directive.used.size > 0 && directive.rules.every((id) => directive.used.has(id))) continue;
      const unused = directive.rules.filter((id) => !directive.used.has(id));
      const what = unused.length > 0 ? unused.join(', ') : 'any rule';
      report({
        span: directive.comment.span,
        message: `This ignore directive does not silence ${what} here.`,
        help: 'Remove it (or the unused rule ids), so that it cannot hide a future finding.',
        fix: {
          title: 'Remove the unused ignore directive',
          edits: [{ span: directive.comment.span, newText: '' }],
          safe: unused.length === directive.rules.length,
        },
      });
    }
  },
};
