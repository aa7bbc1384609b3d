import type { Node } from 'typescript';
import { describeOperation, statementVerb } from '../lint/describe';
import { isHolePlaceholder } from '../parse/fragment';
import { Rule } from '../lint/rule';
import { transactionBlockOf } from '../lint/transaction-context';
import type { MigrationFile, Operation } from '../parse/migration';
import { typescript } from '../parse/typescript';

export const rule: Rule = {
  id: 'loop-writes-outside-transaction',
  severity: 'warning',
  summary: 'A TS/JS loop that writes row by row, each write committing on its own.',
  examples: {
    fileName: 'scripts/flag-over-limit.js',
    bad:
      "const { Pool } = require('pg');\nconst pool = new Pool();\n" +
      'async function flag(visits) {\n  for (const visit of visits) {\n' +
      '    await pool.query("UPDATE visits SET status = \'over_limit\' WHERE id = $1", [visit.id]);\n  }\n}\n',
    good:
      "const { Pool } = require('pg');\nconst pool = new Pool();\n" +
      'async function flag(visits) {\n  const client = await pool.connect();\n  try {\n' +
      "    await client.query('BEGIN');\n    for (const visit of visits) {\n" +
      '      await client.query("UPDATE visits SET status = \'over_limit\' WHERE id = $1", [visit.id]);\n    }\n' +
      "    await client.query('COMMIT');\n  } catch (e) {\n    await client.query('ROLLBACK');\n    throw e;\n" +
      '  } finally {\n    client.release();\n  }\n}\n',
  },
  check({ file, report }) {
    if (!file.host) return;
    const reported = new Set<Node>();
    for (const operation of file.operations) {
      if (operation.effect !== 'dml' || !operation.call || operation.executedBy) continue;
      const loop = enclosingLoop(operation.call.node);
      if (!loop || reported.has(loop) || !commitsAlone(file, operation)) continue;
      reported.add(loop);
      const line = file.lines.positionAt(loop.getStart(file.host.source)).line + 1;
      report({
        span: operation.fileSpan,
        message:
          `${describeWrite(operation, file)} runs once per iteration of the loop at line ${line}, each time in ` +
          'its own transaction: when an iteration fails — a constraint, a timeout, a killed job — the rows before it stay ' +
          'changed and the rest do not, and nothing records where it stopped (incident 4: the follow-up recomputation ' +
          'ran outside the transaction and left accounts half-remediated).',
        help:
          'Run the loop on one connection inside one transaction (BEGIN ... COMMIT with ROLLBACK in catch, or the ' +
          "driver's helper: knex.transaction, sequelize.transaction, sql.begin), or replace it with one set-based " +
          'statement (INSERT ... SELECT, UPDATE ... FROM (VALUES ...)). A job too large for one transaction commits ' +
          'batches that a re-run skips once done.',
      });
    }
  },
};

/** `INSERT INTO public.invoices`; a table the code names at run time (`${table}`) is not spelled out. */
function describeWrite(operation: Operation, file: MigrationFile): string {
  const table = operation.tables[0]?.table;
  const namedAtRunTime = table !== undefined && isHolePlaceholder(table.slice(table.lastIndexOf('.') + 1));
  return namedAtRunTime && operation.statement
    ? `${statementVerb(operation.statement)} (a table named at run time)`
    : describeOperation(operation, file.dialect);
}

/**
 * Whether the write commits by itself: it runs in autocommit, in no transaction of its own making, of a
 * transaction callback's or of a migration runner's. A call outside `up`/`down` of a migration runs from a hook the
 * file does not show: not guessed.
 */
function commitsAlone(file: MigrationFile, operation: Operation): boolean {
  const block = transactionBlockOf(file, operation);
  if (!block || !block.implicit || block.wrapsSection || block.operations.length > 1) return false;
  return !(operation.section === 'script' && (file.host?.sections.length ?? 0) > 0);
}

/** Array methods whose callback runs once per element. */
const ITERATING_METHODS = new Set(['forEach', 'map', 'flatMap']);

/**
 * The loop that runs `node` once per iteration, within its own function: a `for`/`for...of`/`for...in`/`while`/
 * `do` statement, or the call of an iterating array method whose callback holds it
 * (`await Promise.all(rows.map((row) => client.query(...)))`).
 */
function enclosingLoop(node: Node): Node | undefined {
  const ts = typescript();
  let child = node;
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (ts.isIterationStatement(parent, false) && child !== initialiserOf(parent)) return parent;
    if (ts.isFunctionLike(parent)) {
      const call = parent.parent;
      const isIteratingCallback =
        ts.isCallExpression(call) &&
        call.arguments[0] === parent &&
        ts.isPropertyAccessExpression(call.expression) &&
        ITERATING_METHODS.has(call.expression.name.text);
      return isIteratingCallback ? call : undefined;
    }
    child = parent;
  }
  return undefined;
}

/** The part of a loop that runs once, before it starts: `for (const row of <this>)`, `for (<this>; ...)`. */
function initialiserOf(loop: Node): Node | undefined {
  const ts = typescript();
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return loop.expression;
  if (ts.isForStatement(loop)) return loop.initializer;
  return undefined;
}
