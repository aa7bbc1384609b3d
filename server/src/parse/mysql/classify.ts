import type { StatementFacts, TableTouch } from '../classify';
import type { Statement } from '../sql';
import { identifierName, scanMySql } from './scanner';

/**
 * What a MySQL statement that node-sql-parser could not read does, from its leading keywords: a stored
 * program, `ALTER TABLE ... ALTER COLUMN ... SET DEFAULT` or `OPTIMIZE TABLE` still changes the schema, and
 * the transaction rules must count it (in MySQL every such statement commits the open transaction).
 */
const DDL_VERBS = new Set(['create', 'alter', 'drop', 'rename', 'grant', 'revoke', 'optimize', 'repair', 'analyze']);
const DML_VERBS = new Set(['insert', 'update', 'delete', 'replace', 'truncate', 'load']);

/** The keyword after which a statement names its table: `ALTER TABLE x`, `INSERT INTO x`, `DELETE FROM x` (UPDATE: right away). */
const TABLE_AFTER = new Set(['table', 'into', 'from', 'on']);

export function classifyByKeywords(statement: Statement): StatementFacts {
  const tokens = scanMySql(statement.text).filter((token) => token.kind !== 'comment');
  const words = tokens.map((token) => statement.text.slice(token.start, token.end));
  const verb = (words[0] ?? '').toLowerCase();
  const effect = DDL_VERBS.has(verb) ? 'ddl' : DML_VERBS.has(verb) ? 'dml' : 'none';
  if (effect === 'none') return { effect, tables: [], creates: [] };
  const tables: TableTouch[] = [];
  const at =
    verb === 'update'
      ? 1
      : words.findIndex((word, k) => k > 0 && TABLE_AFTER.has(word.toLowerCase()) && tokens[k + 1]?.kind !== 'symbol') +
        1;
  if (at > 0 && at < tokens.length) {
    const qualified = words[at + 1] === '.' && tokens[at + 2];
    const name = identifierName(qualified ? words[at + 2] : words[at]);
    const db = qualified ? identifierName(words[at]) : 'public';
    const end = qualified ? tokens[at + 2].end : tokens[at].end;
    tables.push({
      table: `${db}.${name}`,
      span: statement.fragment.toFile({
        start: statement.span.start + tokens[at].start,
        end: statement.span.start + end,
      }),
    });
  }
  const creates = verb === 'create' && words[1]?.toLowerCase() === 'table' ? tables.map((t) => t.table) : [];
  return { effect, tables, creates };
}
