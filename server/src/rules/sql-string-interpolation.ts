import { Rule, RuleContext } from '../lint/rule';
import { PgNode, constantValue, functionName, nameList } from '../parse/ast';
import { DIALECTS, DIALECT_NAMES } from '../parse/dialect';
import { routineBody } from '../parse/plpgsql';
import type { SqlCall } from '../parse/host-types';
import type { Statement } from '../parse/sql';

type HolePosition = 'literal' | 'value' | 'identifier';

const POSITIONS: Record<HolePosition, { what: string; help: string }> = {
  literal: {
    what: 'inside a quoted SQL literal',
    help:
      "Pass the value as a bind parameter instead: `client.query('... WHERE name = $1', [name])`, Sequelize " +
      '`replacements`/`bind`, knex `?` bindings, or an `sql` tagged template (slonik, postgres-js).',
  },
  value: {
    what: 'where a value goes',
    help:
      'Pass the value as a bind parameter instead: `$1` with a values array, Sequelize `replacements`/`bind`, knex `?` ' +
      'bindings, or an `sql` tagged template (slonik, postgres-js).',
  },
  identifier: {
    what: 'where a table or column name goes',
    help:
      'Names cannot be bind parameters: escape them (pg `client.escapeIdentifier`, pg-format `%I`, knex `??` ' +
      'bindings, slonik `sql.identifier`) or pick them from a fixed list in the code.',
  },
};

/** The same advice in the placeholders of MySQL's drivers (mysql2, mysql) and query builders. */
const MYSQL_HELP: Record<HolePosition, string> = {
  literal:
    "Pass the value as a bind parameter instead: `connection.execute('... WHERE name = ?', [name])` (mysql2), knex `?` " +
    'bindings, or Sequelize `replacements`.',
  value:
    'Pass the value as a bind parameter instead: `?` with a values array (mysql2), knex `?` bindings, or Sequelize `replacements`.',
  identifier:
    'Names cannot be bind parameters: use `??` bindings (mysql2, knex), escape them (`connection.escapeId`) or pick them ' +
    'from a fixed list in the code.',
};

export const rule: Rule = {
  id: 'sql-string-interpolation',
  severity: 'warning',
  summary: 'Query text built from values the code does not fix (`${}` or `+` in TS/JS, `||` in PL/pgSQL EXECUTE).',
  dialects: DIALECTS,
  examples: {
    fileName: 'example.ts',
    bad:
      'export async function deactivate(client, email: string) {\n' +
      "  await client.query(`UPDATE users SET active = false WHERE email = '${email}'`);\n}\n",
    good:
      'export async function deactivate(client, email: string) {\n' +
      "  await client.query('UPDATE users SET active = false WHERE email = $1', [email]);\n}\n",
  },
  check(context) {
    if (context.file.host) checkHostCalls(context);
    checkDynamicExecutes(context);
  },
};

function checkHostCalls({ file, report }: RuleContext): void {
  const source = file.host!.source;
  for (const call of file.host!.calls) {
    if (call.kind !== 'sql' || call.fragment.holes.length === 0) continue;
    for (const hole of queryTextHoles().variableHoles(call as SqlCall, source)) {
      const position = POSITIONS[hole.position];
      report({
        span: hole.span,
        message:
          `The query text includes \`${hole.text}\` ${position.what}, a value this file does not fix: a value with a ` +
          'quote in it breaks the statement, one that reaches it from users is SQL injection, and each distinct text ' +
          `is a new statement for ${DIALECT_NAMES[file.dialect]} to parse and plan.`,
        help: file.dialect === 'postgresql' ? position.help : MYSQL_HELP[hole.position],
      });
    }
  }
}

/** The TS-dependent half, loaded for TS/JS files only (it brings the TypeScript compiler). */
function queryTextHoles(): typeof import('../lint/query-text-holes') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../lint/query-text-holes');
}

/**
 * PL/pgSQL's EXECUTE runs a string as SQL. Concatenating variables into it (`'DROP TABLE ' || r.tablename`)
 * breaks on names that need quoting and on values with quotes, and is injection when a value comes from a
 * caller; format() with %I / %L, quote_ident() / quote_literal() or EXECUTE ... USING avoid it.
 */
function checkDynamicExecutes({ file, report }: RuleContext): void {
  const seen = new Set<Statement>();
  for (const operation of file.operations) {
    const statement = operation.statement;
    if (!statement || seen.has(statement)) continue;
    seen.add(statement);
    const body = routineBody(statement);
    for (const execute of body.dynamicExecutes) {
      // `EXECUTE stored.ddl` runs a whole statement kept elsewhere: nothing is pasted into a text here.
      for (const operand of execute.node?.ColumnRef ? [] : unquotedOperands(execute.node)) {
        if (SELF_QUOTING_TYPES.has(body.variableTypes.get(describeOperand(operand).toLowerCase()) ?? '')) continue;
        report({
          span: execute.locate(operand.location),
          message:
            `EXECUTE builds its query by pasting ${describeOperand(operand)} into the text unquoted: a name that ` +
            'needs quoting or a value with a quote in it breaks the statement, and a value that comes from a caller is SQL ' +
            'injection.',
          help:
            "Build the text with format(): %I for names, %L for values (format('DROP TABLE %I', r.tablename)), or " +
            'quote_ident() / quote_literal(); pass values with EXECUTE ... USING.',
        });
      }
    }
  }
}

/** Types whose text form is already a quoted name (`regclass` prints `"Order"` or `app.visits`). */
const SELF_QUOTING_TYPES = new Set([
  'regclass',
  'regproc',
  'regprocedure',
  'regtype',
  'regnamespace',
  'regrole',
  'regoper',
  'regconfig',
]);

interface Operand {
  node: PgNode;
  location?: number;
}

/** Variables and parameters concatenated (`||`, `concat()`) or formatted with `%s` into a query text. */
function unquotedOperands(expression: PgNode | undefined): Operand[] {
  if (!expression) return [];
  if (expression.ColumnRef) return [{ node: expression, location: expression.ColumnRef.location }];
  if (expression.ParamRef) return [{ node: expression, location: expression.ParamRef.location }];
  if (expression.TypeCast) return unquotedOperands(expression.TypeCast.arg);
  const operator = expression.A_Expr;
  if (operator?.kind === 'AEXPR_OP' && operator.name?.[0]?.String?.sval === '||') {
    return [...unquotedOperands(operator.lexpr), ...unquotedOperands(operator.rexpr)];
  }
  const call = expression.FuncCall;
  if (!call) return [];
  const args = (call.args as PgNode[] | undefined) ?? [];
  switch (functionName(call)) {
    case 'concat':
    case 'concat_ws':
      return args.flatMap(unquotedOperands);
    case 'format':
      return formattedWithS(args).flatMap(unquotedOperands);
    default:
      return [];
  }
}

/** The arguments of format() that a `%s` specifier pastes in as they are. */
function formattedWithS(args: PgNode[]): PgNode[] {
  const template = constantValue(args[0]);
  if (typeof template !== 'string') return [];
  const pasted: PgNode[] = [];
  let next = 1;
  for (const match of template.matchAll(/%(?:(\d+)\$)?-?(?:\d+|\*)?([sIL%])/g)) {
    if (match[2] === '%') continue;
    const index = match[1] ? Number(match[1]) : next;
    next = index + 1;
    if (match[2] === 's' && args[index]) pasted.push(args[index]);
  }
  return pasted;
}

/** `r.tablename`, `tbl`, `$1`. */
function describeOperand(operand: Operand): string {
  const ref = operand.node.ColumnRef;
  if (ref) return nameList(ref.fields).join('.');
  return `$${operand.node.ParamRef?.number ?? ''}`;
}
