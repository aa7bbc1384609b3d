import { Rule } from '../lint/rule';
import { DIALECTS } from '../parse/dialect';

/** The rule ids after `preflight-ignore` / `squawk-ignore(-file)`, up to the `: reason`. */
const RULE_LIST = /(?<=-ignore(?:-file)?)\s[^:]*?(?=\s*(?::|\*\/|$))/;

export const rule: Rule = {
  id: 'unused-ignore',
  severity: 'info',
  summary: 'A preflight-ignore directive that silences nothing.',
  fixable: true,
  afterSuppression: true,
  dialects: DIALECTS,
  examples: {
    bad: '-- preflight-ignore mixed-ddl-dml: backfill is tiny\nSELECT 1;',
    good: 'SELECT 1;',
  },
  check({ file, directives, report }) {
    for (const directive of directives) {
      if (directive.used.size > 0 && directive.rules.every((id) => directive.used.has(id))) continue;
      const unused = directive.rules.filter((id) => !directive.used.has(id));
      const kept = directive.rules.filter((id) => directive.used.has(id));
      const { span } = directive.comment;
      report({
        span,
        message: `This ignore directive does not silence ${unused.length > 0 ? unused.join(', ') : 'any rule'} here.`,
        help: 'Remove it (or the unused rule ids), so that it cannot hide a future finding.',
        fix:
          kept.length === 0
            ? { title: 'Remove the unused ignore directive', edits: [{ span, newText: '' }], safe: true }
            : {
                title: `Remove ${unused.join(', ')} from the ignore directive`,
                edits: [
                  { span, newText: file.text.slice(span.start, span.end).replace(RULE_LIST, ` ${kept.join(', ')}`) },
                ],
                safe: true,
              },
      });
    }
  },
};
