import type { PgNode } from '../ast';
import { isAscii } from '../text';
import { MySqlToken, identifierName, scanMySql } from './scanner';

/**
 * node-sql-parser's MySQL/MariaDB syntax trees, restated as the libpg-query parse trees the rules read
 * (`{ UpdateStmt: { relation, targetList, whereClause } }`, `A_Expr`, `BoolExpr`, `ColumnRef`, `FuncCall`...),
 * so that a rule written against PostgreSQL's trees runs unchanged on MySQL where the hazard is the same.
 * Only what has a faithful PostgreSQL equivalent is restated; MySQL-only statements and clauses become node
 * types no PostgreSQL tree has (`MySqlExpression`, ALTER TABLE subtypes starting with `MYSQL_`), which rules
 * ignore. Locations are UTF-8 byte offsets into the statement text, as libpg-query gives them: from
 * node-sql-parser's own locations where it has them, else from the name's token in the statement.
 *
 * Names keep the case they are written in: MySQL compares column names without regard to case (index
 * matching does too, schema/index-usage.ts), while table and database names are file names on Linux servers.
 * Function names are lowercased, as in libpg-query's trees. A table named without its database is in the
 * connection's current one, which Preflight names `public` like PostgreSQL's default schema, so that SQL, ORM
 * calls and the schema model agree on one name.
 */

// node-sql-parser's trees are untyped JSON in practice (its .d.ts covers a fraction of the grammar).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MySqlAst = Record<string, any>;

export function translateStatement(ast: MySqlAst, text: string): PgNode | undefined {
  return new Translator(text).statement(ast);
}

const STRING_TYPES = new Set([
  'single_quote_string',
  'double_quote_string',
  'string',
  'natural_string',
  'hex_string',
  'full_hex_string',
  'bit_string',
  'regex_string',
  'date',
  'datetime',
  'time',
  'timestamp',
  'var_string',
]);

const COMPARISONS: Record<string, string> = {
  '!=': '<>',
  REGEXP: '~',
  RLIKE: '~',
  'NOT REGEXP': '!~',
  'NOT RLIKE': '!~',
};

const TRANSACTION_KINDS: Record<string, string> = {
  start: 'TRANS_STMT_START',
  begin: 'TRANS_STMT_BEGIN',
  commit: 'TRANS_STMT_COMMIT',
  rollback: 'TRANS_STMT_ROLLBACK',
};

const DROPPED_OBJECTS: Record<string, string> = {
  table: 'OBJECT_TABLE',
  view: 'OBJECT_VIEW',
  index: 'OBJECT_INDEX',
  trigger: 'OBJECT_TRIGGER',
  procedure: 'OBJECT_PROCEDURE',
  function: 'OBJECT_FUNCTION',
  database: 'OBJECT_SCHEMA',
  schema: 'OBJECT_SCHEMA',
  event: 'OBJECT_EVENT_TRIGGER',
};

class Translator {
  private readonly tokens: MySqlToken[];
  /** Char offset → byte offset, for non-ASCII text. */
  private readonly bytes: Uint32Array | undefined;
  /** Where the next name without a location is searched from: names are found in statement order. */
  private cursor = 0;
  private parameters = 0;

  constructor(private readonly text: string) {
    this.tokens = scanMySql(text).filter((token) => token.kind !== 'comment');
    if (!isAscii(text)) {
      this.bytes = new Uint32Array(text.length + 1);
      let byte = 0;
      for (let i = 0; i < text.length; i++) {
        this.bytes[i] = byte;
        const code = text.charCodeAt(i);
        byte +=
          code < 0x80
            ? 1
            : code < 0x800
              ? 2
              : code >= 0xd800 && code < 0xdc00
                ? 4
                : code >= 0xdc00 && code < 0xe000
                  ? 0
                  : 3;
      }
      this.bytes[text.length] = byte;
    }
  }

  statement(ast: MySqlAst): PgNode | undefined {
    switch (ast.type) {
      case 'select':
        return { SelectStmt: this.select(ast) };
      case 'update':
        return { UpdateStmt: this.update(ast) };
      case 'delete':
        return { DeleteStmt: this.delete(ast) };
      case 'insert':
      case 'replace':
        return { InsertStmt: this.insert(ast) };
      case 'truncate':
        return {
          TruncateStmt: {
            relations: this.list(ast.name).map((t) => ({ RangeVar: this.rangeVar(t) })),
            behavior: 'DROP_RESTRICT',
          },
        };
      case 'transaction': {
        const kind = TRANSACTION_KINDS[String(ast.expr?.action?.value ?? '').toLowerCase()];
        return kind ? { TransactionStmt: { kind } } : undefined;
      }
      case 'create':
        return this.create(ast);
      case 'alter':
        return this.alter(ast);
      case 'drop':
        return this.drop(ast);
      case 'rename': {
        const [from, to] = (ast.table as MySqlAst[][] | undefined)?.[0] ?? [];
        return from && to
          ? { RenameStmt: { renameType: 'OBJECT_TABLE', relation: this.rangeVar(from), newname: to.table } }
          : undefined;
      }
      case 'set':
        return {
          VariableSetStmt: { kind: 'VAR_SET_VALUE', name: String(ast.expr?.[0]?.left?.name ?? '').toLowerCase() },
        };
      case 'lock':
        return { LockStmt: { relations: this.list(ast.tables).map((t) => ({ RangeVar: this.rangeVar(t.table) })) } };
      case 'call':
        return { CallStmt: { funccall: this.expr(ast.expr)?.FuncCall } };
      case 'grant':
        return { GrantStmt: { is_grant: true } };
      default:
        // USE, SHOW, DESCRIBE, EXPLAIN, UNLOCK TABLES...: nothing the statement model has a node for.
        return undefined;
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Queries and data changes.

  private select(ast: MySqlAst): PgNode {
    const fields = this.selectFields(ast);
    if (!ast._next) return fields;
    return { op: 'SETOP_UNION', all: /all/i.test(ast.set_op ?? ''), larg: fields, rarg: this.select(ast._next) };
  }

  private selectFields(ast: MySqlAst): PgNode {
    const { items, quals } = this.fromList(ast.from);
    const fields: PgNode = {
      targetList: this.list(ast.columns).map((column) => ({
        ResTarget: { name: column.as ?? undefined, val: this.expr(column.expr) },
      })),
      fromClause: items.length > 0 ? items : undefined,
      whereClause: this.and([...quals, this.condition(ast.where)]),
      withClause: this.withClause(ast.with),
    };
    const locking = String(ast.locking_read ?? '').toUpperCase();
    if (locking)
      fields.lockingClause = [
        { LockingClause: { strength: locking.includes('SHARE') ? 'LCS_FORSHARE' : 'LCS_FORUPDATE' } },
      ];
    return fields;
  }

  /**
   * `UPDATE a JOIN b ON ... SET a.x = ...`: the first table is the one updated; the others join it, as in
   * PostgreSQL's `UPDATE a SET ... FROM b WHERE <join condition> AND <where>`.
   */
  private update(ast: MySqlAst): PgNode {
    const [target, ...joined] = this.list(ast.table);
    const relation = this.rangeVar(target);
    const { items, quals } = this.fromList(joined);
    return {
      relation,
      targetList: this.list(ast.set).map((set) => ({
        ResTarget: { name: columnName(set.column), val: this.expr(set.value) },
      })),
      whereClause: this.and([...quals, this.condition(ast.where)]),
      fromClause: items.length > 0 ? items : undefined,
      withClause: this.withClause(ast.with),
    };
  }

  /**
   * `DELETE FROM t WHERE ...` and the multi-table forms `DELETE a FROM a JOIN b ON ...` and
   * `DELETE a, b FROM ...`. The first target is the statement's relation; each further target deletes rows
   * too, and becomes a data-modifying CTE so that every rule that looks for DELETEs finds it.
   */
  private delete(ast: MySqlAst): PgNode {
    const targets = this.list(ast.table);
    const from = this.list(ast.from);
    const sourceOf = (target: MySqlAst) =>
      target.addition
        ? from[0]
        : (from.find(
            (f) =>
              f.as === target.table || (!f.as && f.table === target.table && (f.db ?? null) === (target.db ?? null)),
          ) ?? target);
    const primary = sourceOf(targets[0] ?? {});
    const { items, quals } = this.fromList(from.filter((f) => f !== primary));
    const where = this.and([...quals, this.condition(ast.where)]);
    const extra = targets.slice(1).map((target) => ({
      CommonTableExpr: {
        ctename: `mysql_delete_${target.table}`,
        ctequery: { DeleteStmt: { relation: this.rangeVar(sourceOf(target)), whereClause: where } },
      },
    }));
    const withClause = this.withClause(ast.with);
    return {
      relation: this.rangeVar(primary),
      usingClause: items.length > 0 ? items : undefined,
      whereClause: where,
      withClause: extra.length > 0 ? { ctes: [...(withClause?.ctes ?? []), ...extra] } : withClause,
    };
  }

  /**
   * INSERT, INSERT ... ON DUPLICATE KEY UPDATE and REPLACE. The last two overwrite an existing row that has the
   * same key, which is PostgreSQL's `ON CONFLICT DO UPDATE`.
   */
  private insert(ast: MySqlAst): PgNode {
    const relation = this.rangeVar(this.list(ast.table)[0]);
    const values = ast.values;
    const selectStmt =
      values?.type === 'select'
        ? { SelectStmt: this.select(values) }
        : {
            SelectStmt: {
              valuesLists: this.list(values?.values).map((row) => ({
                List: { items: this.list(row.value).map((v) => this.expr(v)) },
              })),
            },
          };
    const overwrites = ast.type === 'replace' || ast.on_duplicate_update;
    return {
      relation,
      cols: this.list(ast.columns).map((column) => ({
        ResTarget: { name: columnName(typeof column === 'string' ? column : (column?.value ?? column?.column)) },
      })),
      selectStmt,
      onConflictClause: overwrites
        ? {
            action: 'ONCONFLICT_UPDATE',
            targetList: this.list(ast.on_duplicate_update?.set).map((set) => ({
              ResTarget: { name: columnName(set.column), val: this.expr(set.value) },
            })),
          }
        : undefined,
    };
  }

  private withClause(ctes: MySqlAst[] | null | undefined): PgNode | undefined {
    if (!ctes?.length) return undefined;
    return {
      ctes: ctes.map((cte) => ({
        CommonTableExpr: {
          ctename: cte.name?.value ?? cte.name,
          ctequery: cte.stmt?.ast ? this.statement(cte.stmt.ast) : undefined,
        },
      })),
    };
  }

  /** A FROM list: node-sql-parser lists joined tables flat, PostgreSQL nests them in JoinExprs. */
  private fromList(from: MySqlAst[] | null | undefined): { items: PgNode[]; quals: (PgNode | undefined)[] } {
    const items: PgNode[] = [];
    const quals: (PgNode | undefined)[] = [];
    for (const entry of from ?? []) {
      if (entry.type === 'dual') continue;
      const item = entry.expr?.ast
        ? {
            RangeSubselect: {
              subquery: this.statement(entry.expr.ast),
              alias: entry.as ? { aliasname: entry.as } : undefined,
            },
          }
        : { RangeVar: this.rangeVar(entry) };
      const on = entry.join ? this.expr(entry.on) : undefined;
      if (entry.join && items.length > 0) {
        items.push({ JoinExpr: { jointype: joinType(entry.join), larg: items.pop(), rarg: item, quals: on } });
      } else {
        // Joined to the statement's own table (`UPDATE a JOIN b ON ...`): the condition filters it, as in WHERE.
        items.push(item);
        if (on) quals.push(on);
      }
    }
    return { items, quals };
  }

  // -------------------------------------------------------------------------------------------------------
  // Schema changes: enough for the statement's kind and the tables it names; the schema model reads
  // node-sql-parser's tree itself (schema/replay-mysql.ts).

  private create(ast: MySqlAst): PgNode | undefined {
    switch (String(ast.keyword).toLowerCase()) {
      case 'table': {
        const relation = this.rangeVar(this.list(ast.table)[0]);
        if (ast.temporary) relation.relpersistence = 't';
        if (ast.query_expr) {
          return {
            CreateTableAsStmt: {
              query: this.statement(ast.query_expr),
              into: { rel: relation },
              objtype: 'OBJECT_TABLE',
            },
          };
        }
        const like = this.list(ast.like?.table)[0];
        const tableElts = like
          ? [{ TableLikeClause: { relation: this.rangeVar(like) } }]
          : this.list(ast.create_definitions)
              .filter((definition) => definition.resource === 'column')
              .map((definition) => this.columnDef(definition));
        return { CreateStmt: { relation, tableElts, if_not_exists: Boolean(ast.if_not_exists) || undefined } };
      }
      case 'index':
        return {
          IndexStmt: {
            idxname: ast.index,
            relation: this.rangeVar(ast.table),
            unique: /unique/i.test(ast.index_type ?? '') || undefined,
            indexParams: this.list(ast.index_columns).map((column) =>
              column.type === 'column_ref'
                ? { IndexElem: { name: columnName(column.column) } }
                : { IndexElem: { expr: this.expr(column) } },
            ),
          },
        };
      case 'view':
        return {
          ViewStmt: {
            view: this.rangeVar({ db: ast.view?.db, table: ast.view?.view }),
            query: ast.select ? this.statement(ast.select) : undefined,
          },
        };
      case 'trigger':
        return { CreateTrigStmt: { trigname: ast.trigger?.table, relation: this.rangeVar(ast.table) } };
      case 'database':
      case 'schema':
        return { CreateSchemaStmt: { schemaname: ast.database ?? ast.schema } };
      case 'procedure':
      case 'function':
        return { CreateFunctionStmt: { is_procedure: ast.keyword === 'procedure' } };
      default:
        return { MySqlStatement: { kind: `create ${ast.keyword}` } };
    }
  }

  private alter(ast: MySqlAst): PgNode {
    const relation = this.rangeVar(this.list(ast.table)[0]);
    const actions = this.list(ast.expr);
    if (actions.length === 1 && actions[0].action === 'rename') {
      const action = actions[0];
      if (action.resource === 'table')
        return { RenameStmt: { renameType: 'OBJECT_TABLE', relation, newname: action.table } };
      if (action.resource === 'column') {
        return {
          RenameStmt: {
            renameType: 'OBJECT_COLUMN',
            relationType: 'OBJECT_TABLE',
            relation,
            subname: columnName(action.old_column?.column),
            newname: columnName(action.column?.column),
          },
        };
      }
    }
    return {
      AlterTableStmt: {
        relation,
        objtype: 'OBJECT_TABLE',
        cmds: actions.map((action) => ({ AlterTableCmd: this.alterAction(action) })),
      },
    };
  }

  private alterAction(action: MySqlAst): PgNode {
    const resource = String(action.resource ?? '').toLowerCase();
    const verb = String(action.action ?? '').toLowerCase();
    if (resource === 'column') {
      const name = columnName(action.old_column?.column ?? action.column?.column);
      if (verb === 'add') return { subtype: 'AT_AddColumn', def: this.columnDef(action) };
      if (verb === 'drop') return { subtype: 'AT_DropColumn', name };
      // MODIFY and CHANGE restate the whole column definition, its type included.
      if (verb === 'modify' || verb === 'change')
        return { subtype: 'AT_AlterColumnType', name, def: this.columnDef(action) };
    }
    if (verb === 'add' && resource === 'index') {
      return {
        subtype: 'AT_AddIndex',
        def: { IndexStmt: { idxname: action.index ?? undefined, indexParams: this.indexParams(action.definition) } },
      };
    }
    if (verb === 'add' && resource === 'constraint') {
      const definition = action.create_definitions ?? {};
      return {
        subtype: 'AT_AddConstraint',
        def: {
          Constraint: {
            contype: constraintType(definition.constraint_type),
            conname: definition.constraint ?? definition.index ?? undefined,
          },
        },
      };
    }
    return { subtype: `MYSQL_${[verb, resource].filter(Boolean).join('_').toUpperCase().replace(/\W+/g, '_')}` };
  }

  private indexParams(definition: MySqlAst[] | undefined): PgNode[] {
    return this.list(definition).map((column) => ({ IndexElem: { name: columnName(column.column) } }));
  }

  /** A column definition with the properties rules read: its type, NOT NULL, DEFAULT, AUTO_INCREMENT, keys. */
  private columnDef(definition: MySqlAst): PgNode {
    const constraints: PgNode[] = [];
    if (definition.nullable?.type === 'not null') constraints.push({ Constraint: { contype: 'CONSTR_NOTNULL' } });
    if (definition.default_val)
      constraints.push({
        Constraint: { contype: 'CONSTR_DEFAULT', raw_expr: this.expr(definition.default_val.value) },
      });
    // AUTO_INCREMENT numbers every existing row, as an identity column does in PostgreSQL.
    if (definition.auto_increment)
      constraints.push({ Constraint: { contype: 'CONSTR_IDENTITY', generated_when: 'd' } });
    if (definition.primary_key) constraints.push({ Constraint: { contype: 'CONSTR_PRIMARY' } });
    if (definition.unique) constraints.push({ Constraint: { contype: 'CONSTR_UNIQUE' } });
    const dataType = String(definition.definition?.dataType ?? '').toLowerCase();
    return {
      ColumnDef: {
        colname: columnName(definition.column?.column),
        typeName: dataType ? { names: [{ String: { sval: dataType } }] } : undefined,
        constraints: constraints.length > 0 ? constraints : undefined,
        location: this.location(definition.column),
      },
    };
  }

  private drop(ast: MySqlAst): PgNode {
    const keyword = String(ast.keyword ?? '').toLowerCase();
    const removeType = DROPPED_OBJECTS[keyword] ?? `OBJECT_${keyword.toUpperCase()}`;
    const names: string[][] =
      keyword === 'index'
        ? [[String(ast.name?.column ?? ast.name ?? '')]]
        : this.list(ast.name).map((name) =>
            [name.db ?? name.schema, name.table ?? name.trigger ?? name.name].filter(Boolean),
          );
    return {
      DropStmt: {
        objects: names.map((parts) => ({ List: { items: parts.map((sval) => ({ String: { sval } })) } })),
        removeType,
        missing_ok: /if exists/i.test(ast.prefix ?? '') || undefined,
        behavior: 'DROP_RESTRICT',
      },
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Expressions.

  private expr(node: MySqlAst | null | undefined): PgNode | undefined {
    if (!node || typeof node !== 'object') return undefined;
    if (node.ast)
      return {
        SubLink: {
          subLinkType: 'EXPR_SUBLINK',
          subselect: this.statement(node.ast),
          location: this.location(node.ast),
        },
      };
    const location = this.location(node);
    const type = node.type;
    if (STRING_TYPES.has(type)) return { A_Const: { sval: { sval: String(node.value ?? '') }, location } };
    switch (type) {
      case 'column_ref':
        return this.columnRef(node);
      case 'number':
        return numberConstant(node.value, location);
      case 'bool':
      case 'boolean':
        return { A_Const: { boolval: { boolval: Boolean(node.value) }, location } };
      case 'null':
        return { A_Const: { isnull: true, location } };
      case 'origin':
        // A `?` placeholder, numbered as drivers bind them; other bare words (CURRENT_TIMESTAMP) are calls.
        return node.value === '?'
          ? { ParamRef: { number: ++this.parameters, location } }
          : { FuncCall: { funcname: [{ String: { sval: String(node.value).toLowerCase() } }], location } };
      case 'param':
        return { ColumnRef: { fields: [{ String: { sval: `:${node.value}` } }], location } };
      case 'var':
        return { ColumnRef: { fields: [{ String: { sval: `${node.prefix ?? '@'}${node.name}` } }], location } };
      case 'binary_expr':
        return this.binary(node, location);
      case 'unary_expr':
        return this.unary(node, location);
      case 'function':
        return this.call(node, location);
      case 'aggr_func': {
        const star = node.args?.expr?.type === 'star';
        return {
          FuncCall: {
            funcname: [{ String: { sval: String(node.name).toLowerCase() } }],
            args: star ? undefined : compact([this.expr(node.args?.expr)]),
            agg_star: star || undefined,
            location,
          },
        };
      }
      case 'cast':
        return {
          TypeCast: {
            arg: this.expr(node.expr),
            typeName: { names: [{ String: { sval: String(node.target?.[0]?.dataType ?? '').toLowerCase() } }] },
            location,
          },
        };
      case 'case':
        return {
          CaseExpr: {
            arg: this.expr(node.expr),
            args: this.list(node.args)
              .filter((arm) => arm.type === 'when')
              .map((arm) => ({ CaseWhen: { expr: this.expr(arm.cond), result: this.expr(arm.result) } })),
            defresult: this.expr(this.list(node.args).find((arm) => arm.type === 'else')?.result),
            location,
          },
        };
      case 'expr_list':
        return { List: { items: compact(this.list(node.value).map((item) => this.expr(item))) } };
      default:
        return this.unknownExpression(node, location);
    }
  }

  /** A MySQL-only expression (INTERVAL, MATCH ... AGAINST, JSON paths): kept with the expressions inside it. */
  private unknownExpression(node: MySqlAst, location: number | undefined): PgNode {
    const args: PgNode[] = [];
    for (const [key, value] of Object.entries(node)) {
      if (key === 'loc' || !value || typeof value !== 'object') continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item && typeof item === 'object' && (item.type || item.ast)) {
          const translated = this.expr(item);
          if (translated) args.push(translated);
        }
      }
    }
    return { MySqlExpression: { kind: String(node.type ?? 'unknown'), args, location } };
  }

  private columnRef(node: MySqlAst): PgNode {
    const location = this.location(node);
    const column = typeof node.column === 'string' ? node.column : node.column?.expr?.value;
    const qualifiers = [node.db, node.table].filter((part): part is string => typeof part === 'string' && part !== '');
    const last = column === '*' ? { A_Star: {} } : { String: { sval: columnName(column) } };
    return { ColumnRef: { fields: [...qualifiers.map((sval) => ({ String: { sval } })), last], location } };
  }

  private binary(node: MySqlAst, location: number | undefined): PgNode {
    const operator = String(node.operator).toUpperCase();
    const left = this.expr(node.left);
    if (operator === 'AND' || operator === '&&' || operator === 'OR' || operator === '||') {
      const boolop = operator === 'AND' || operator === '&&' ? 'AND_EXPR' : 'OR_EXPR';
      // PostgreSQL flattens `a AND b AND c` into one BoolExpr; node-sql-parser nests them.
      const args = [left, this.expr(node.right)].flatMap((arg) =>
        arg?.BoolExpr?.boolop === boolop ? arg.BoolExpr.args : compact([arg]),
      );
      return { BoolExpr: { boolop, args, location } };
    }
    if (operator === 'IN' || operator === 'NOT IN') {
      const items = this.list(node.right?.value);
      if (items.length === 1 && items[0]?.ast) {
        const subLink = {
          SubLink: { subLinkType: 'ANY_SUBLINK', testexpr: left, subselect: this.statement(items[0].ast), location },
        };
        return operator === 'IN' ? subLink : { BoolExpr: { boolop: 'NOT_EXPR', args: [subLink], location } };
      }
      return {
        A_Expr: {
          kind: 'AEXPR_IN',
          name: [{ String: { sval: operator === 'IN' ? '=' : '<>' } }],
          lexpr: left,
          rexpr: this.expr(node.right),
          location,
        },
      };
    }
    if (operator === 'BETWEEN' || operator === 'NOT BETWEEN') {
      const kind = operator === 'BETWEEN' ? 'AEXPR_BETWEEN' : 'AEXPR_NOT_BETWEEN';
      return {
        A_Expr: { kind, name: [{ String: { sval: operator } }], lexpr: left, rexpr: this.expr(node.right), location },
      };
    }
    if (operator === 'LIKE' || operator === 'NOT LIKE') {
      return {
        A_Expr: {
          kind: 'AEXPR_LIKE',
          name: [{ String: { sval: operator === 'LIKE' ? '~~' : '!~~' } }],
          lexpr: left,
          rexpr: this.expr(node.right),
          location,
        },
      };
    }
    if (operator === 'IS' || operator === 'IS NOT') {
      const negated = operator === 'IS NOT';
      if (node.right?.type === 'null')
        return { NullTest: { arg: left, nulltesttype: negated ? 'IS_NOT_NULL' : 'IS_NULL', location } };
      if (node.right?.type === 'bool' || node.right?.type === 'boolean') {
        const value = node.right.value ? 'TRUE' : 'FALSE';
        return { BooleanTest: { arg: left, booltesttype: `IS_${negated ? 'NOT_' : ''}${value}`, location } };
      }
    }
    return {
      A_Expr: {
        kind: 'AEXPR_OP',
        name: [{ String: { sval: COMPARISONS[operator] ?? operator } }],
        lexpr: left,
        rexpr: this.expr(node.right),
        location,
      },
    };
  }

  private unary(node: MySqlAst, location: number | undefined): PgNode {
    const operator = String(node.operator).toUpperCase();
    if (operator === 'NOT' || operator === '!')
      return { BoolExpr: { boolop: 'NOT_EXPR', args: compact([this.expr(node.expr)]), location } };
    if (operator === 'NOT EXISTS' || operator === 'EXISTS') {
      const subLink = {
        SubLink: {
          subLinkType: 'EXISTS_SUBLINK',
          subselect: node.expr?.ast ? this.statement(node.expr.ast) : undefined,
          location,
        },
      };
      return operator === 'EXISTS' ? subLink : { BoolExpr: { boolop: 'NOT_EXPR', args: [subLink], location } };
    }
    if (operator === '-' && node.expr?.type === 'number') return numberConstant(`-${node.expr.value}`, location);
    return {
      A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: operator } }], rexpr: this.expr(node.expr), location },
    };
  }

  private call(node: MySqlAst, location: number | undefined): PgNode {
    const names = this.list(node.name?.name).map((part) => String(part.value));
    const args = this.list(node.args?.value);
    if (names.length === 1 && names[0].toUpperCase() === 'EXISTS' && args[0]?.ast) {
      return { SubLink: { subLinkType: 'EXISTS_SUBLINK', subselect: this.statement(args[0].ast), location } };
    }
    // Unquoted function names are case-insensitive; PostgreSQL's trees hold them lowercased.
    return {
      FuncCall: {
        funcname: names.map((name) => ({ String: { sval: name.toLowerCase() } })),
        args: args.length > 0 ? compact(args.map((arg) => this.expr(arg))) : undefined,
        location,
      },
    };
  }

  /** A WHERE clause. MySQL tests a number for truth (`WHERE 1`): PostgreSQL's tree says `WHERE true`. */
  private condition(node: MySqlAst | null | undefined): PgNode | undefined {
    if (node?.type === 'number')
      return { A_Const: { boolval: { boolval: Number(node.value) !== 0 }, location: this.location(node) } };
    return this.expr(node);
  }

  private and(conditions: (PgNode | undefined)[]): PgNode | undefined {
    const present = compact(conditions);
    if (present.length <= 1) return present[0];
    return {
      BoolExpr: {
        boolop: 'AND_EXPR',
        args: present.flatMap((c) => (c.BoolExpr?.boolop === 'AND_EXPR' ? c.BoolExpr.args : [c])),
      },
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Names and locations.

  /** A table reference as a RangeVar's fields (`relation` fields are not wrapped, FROM items are). */
  private rangeVar(table: MySqlAst | undefined): PgNode {
    const relname = String(table?.table ?? '');
    const schemaname = typeof table?.db === 'string' && table.db !== '' ? table.db : undefined;
    const location = this.location(table) ?? this.findName(schemaname, relname);
    return {
      relname,
      schemaname,
      inh: true,
      relpersistence: 'p',
      alias: table?.as ? { aliasname: table.as } : undefined,
      location,
    };
  }

  /** The byte offset where node-sql-parser says a node starts, or undefined when it gives no location. */
  private location(node: MySqlAst | null | undefined): number | undefined {
    const offset = node?.loc?.start?.offset;
    if (typeof offset !== 'number') return undefined;
    this.cursor = Math.max(this.cursor, offset);
    return this.byteOffset(offset);
  }

  /** The byte offset of the next `db.table` (or `table`) written at or after the cursor. */
  private findName(db: string | undefined, table: string): number | undefined {
    const matches = (token: MySqlToken | undefined, name: string) =>
      token !== undefined &&
      (token.kind === 'word' || token.kind === 'quoted-identifier') &&
      identifierName(this.text.slice(token.start, token.end)) === name;
    for (let k = 0; k < this.tokens.length; k++) {
      const token = this.tokens[k];
      if (token.start < this.cursor) continue;
      const first = db === undefined ? token : this.tokens[k + 2];
      const isDot =
        db === undefined || this.text.slice(this.tokens[k + 1]?.start ?? 0, this.tokens[k + 1]?.end ?? 0) === '.';
      if ((db === undefined || matches(token, db)) && isDot && matches(first, table)) {
        this.cursor = (first as MySqlToken).end;
        return this.byteOffset(token.start);
      }
    }
    return undefined;
  }

  private byteOffset(charOffset: number): number {
    return this.bytes ? this.bytes[Math.min(charOffset, this.bytes.length - 1)] : charOffset;
  }

  private list(value: unknown): MySqlAst[] {
    if (Array.isArray(value)) return value.filter((item) => item !== null && item !== undefined);
    return value && typeof value === 'object' ? [value as MySqlAst] : [];
  }
}

/** A column's name as written: MySQL compares column names without regard to case, which is the matcher's concern. */
function columnName(name: unknown): string {
  if (typeof name === 'string') return name;
  const value = (name as MySqlAst | undefined)?.expr?.value;
  return typeof value === 'string' ? value : '';
}

function compact<T>(items: (T | undefined | null)[]): T[] {
  return items.filter((item): item is T => item !== undefined && item !== null);
}

/** libpg-query's constants: `{ ival: { ival: 1 } }` for integers, `{ fval: { fval: '1.5' } }` otherwise. */
function numberConstant(value: unknown, location: number | undefined): PgNode {
  const text = String(value);
  return /^-?\d+$/.test(text) && Math.abs(Number(text)) < 2 ** 31
    ? { A_Const: { ival: { ival: Number(text) }, location } }
    : { A_Const: { fval: { fval: text }, location } };
}

function joinType(join: string): string {
  const kind = join.toUpperCase();
  if (kind.includes('LEFT')) return 'JOIN_LEFT';
  if (kind.includes('RIGHT')) return 'JOIN_RIGHT';
  if (kind.includes('FULL')) return 'JOIN_FULL';
  return 'JOIN_INNER';
}

function constraintType(type: string | undefined): string {
  const kind = String(type ?? '').toLowerCase();
  if (kind.startsWith('primary')) return 'CONSTR_PRIMARY';
  if (kind.startsWith('unique')) return 'CONSTR_UNIQUE';
  if (kind.startsWith('foreign')) return 'CONSTR_FOREIGN';
  if (kind.startsWith('check')) return 'CONSTR_CHECK';
  return 'CONSTR_UNKNOWN';
}
