import { makeFix, replaceText } from '../lint/fix-edits';
import { Rule } from '../lint/rule';
import { SqlToken, fileSpanIn, mayHoldIdentifierLongerThan, statementTokens } from '../lint/sql-tokens';
import { sqlStatements } from '../lint/statements';

/** NAMEDATALEN - 1: PostgreSQL keeps this many bytes of an identifier and drops the rest. */
const MAX_IDENTIFIER_BYTES = 63;

export const rule: Rule = {
  id: 'identifier-too-long',
  severity: 'warning',
  summary:
    'Identifiers longer than 63 bytes are silently truncated, so the object gets another name than the one written.',
  fixable: true,
  examples: {
    bad: `CREATE INDEX ${'orders_customer_id_created_at_status_region_channel_partial_idx_v2'} ON orders (customer_id);`,
    good: 'CREATE INDEX orders_customer_created_idx ON orders (customer_id);',
  },
  check({ file, report }) {
    for (const { statement } of sqlStatements(file)) {
      if (!mayHoldIdentifierLongerThan(statement, MAX_IDENTIFIER_BYTES)) continue;
      for (const token of statementTokens(statement)) {
        if (!token.identifier) continue;
        const name = identifierValue(token);
        if (Buffer.byteLength(name, 'utf8') <= MAX_IDENTIFIER_BYTES) continue;
        const truncated = truncateBytes(name, MAX_IDENTIFIER_BYTES);
        const written = token.text.startsWith('"') ? `"${truncated.replace(/"/g, '""')}"` : truncated;
        report({
          span: fileSpanIn(statement, token),
          message:
            `${token.text} is ${Buffer.byteLength(name, 'utf8')} bytes long: PostgreSQL truncates it to ${MAX_IDENTIFIER_BYTES} ` +
            `(${written}) with only a NOTICE, so the object is named differently from what the code expects, and two long names ` +
            'with the same beginning collide.',
          help: `Shorten it to ${MAX_IDENTIFIER_BYTES} bytes or fewer.`,
          // Writes the name PostgreSQL uses anyway: nothing changes in the database.
          fix: makeFix('Write the name PostgreSQL will use', [replaceText(statement, token, written)], true),
        });
      }
    }
  },
};

/** The identifier's name: quoted names lose their quotes (and `""` becomes `"`); unquoted ones stay as written. */
function identifierValue(token: SqlToken): string {
  return token.text.startsWith('"') ? token.text.slice(1, -1).replace(/""/g, '"') : token.text;
}

/** The longest prefix of `text` that fits in `max` UTF-8 bytes without splitting a character. */
function truncateBytes(text: string, max: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > max) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}
