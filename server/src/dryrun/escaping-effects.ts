import { PgNode, constantValue, nameList, walk } from '../parse/ast';
import { runsNow } from '../parse/execution';
import type { Statement } from '../parse/sql';
import { SqlVisitor, optionValue, walkPlpgsql, walkSqlText, walkStatement } from '../parse/sql-walk';

/**
 * Functions whose effect ROLLBACK cannot undo, or that hand the database server's files to the script. A
 * dry-run refuses statements that call them unless side effects are explicitly allowed. They are matched by
 * the last part of their name as PostgreSQL resolves it: `"dblink_exec"`, `public.dblink_exec` and a name
 * split from its parenthesis by a comment are all `dblink_exec` (an extension's functions live in whatever
 * schema it was created in), while the quoted `"DBLINK_EXEC"` is another function.
 */
const ESCAPING_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ...['dblink', 'dblink_exec', 'dblink_send_query', 'dblink_open'].map((name): [string, string] => [
    name,
    `${name}() runs SQL over another connection, in a transaction of its own`,
  ]),
  ['pg_terminate_backend', 'pg_terminate_backend() ends another session'],
  ['pg_cancel_backend', "pg_cancel_backend() cancels another session's query"],
  ['pg_reload_conf', 'pg_reload_conf() reloads the server configuration'],
  ['pg_rotate_logfile', 'pg_rotate_logfile() rotates the server log'],
  ['pg_switch_wal', 'pg_switch_wal() forces a WAL segment switch'],
  ['pg_create_restore_point', 'pg_create_restore_point() writes a restore point to the WAL'],
  ['pg_promote', 'pg_promote() promotes a standby'],
  ['pg_wal_replay_pause', 'pg_wal_replay_pause() pauses recovery'],
  ['pg_wal_replay_resume', 'pg_wal_replay_resume() resumes recovery'],
  ...[
    'pg_create_physical_replication_slot',
    'pg_create_logical_replication_slot',
    'pg_drop_replication_slot',
    'pg_replication_slot_advance',
    'pg_copy_physical_replication_slot',
    'pg_copy_logical_replication_slot',
  ].map((name): [string, string] => [name, `${name}() changes a replication slot, which is not transactional`]),
  ['pg_logical_emit_message', 'pg_logical_emit_message() can emit a WAL message that ROLLBACK does not withdraw'],
  ...[
    'pg_stat_reset',
    'pg_stat_reset_shared',
    'pg_stat_reset_single_table_counters',
    'pg_stat_reset_single_function_counters',
    'pg_stat_reset_slru',
    'pg_stat_reset_replication_slot',
    'pg_stat_reset_subscription_stats',
    'pg_stat_statements_reset',
  ].map((name): [string, string] => [name, `${name}() resets statistics, which is not transactional`]),
  ['lo_export', 'lo_export() writes a file on the database server'],
  ...['pg_file_write', 'pg_file_rename', 'pg_file_unlink', 'pg_file_sync'].map((name): [string, string] => [
    name,
    `${name}() changes files on the database server`,
  ]),
  // Reading the server's files (its environment in /proc, keys, other databases' configuration) is how a
  // migration would carry secrets out: in an error or a notice, into the report.
  ...['pg_read_file', 'pg_read_binary_file', 'pg_ls_dir', 'pg_stat_file', 'lo_import'].map((name): [string, string] => [
    name,
    `${name}() reads the database server's files, and what it reads would leave in the report`,
  ]),
]);

/**
 * Functions that run the SQL text they are given, and which argument holds it (`ts_rewrite`'s query is its
 * second argument in the two-argument form only). A constant is read like the rest of the statement.
 */
type QueryArgument = (argumentCount: number) => number | undefined;
const QUERY_TEXT_ARGUMENT: ReadonlyMap<string, QueryArgument> = new Map([
  ...['query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'ts_stat'].map(
    (name): [string, QueryArgument] => [name, () => 0],
  ),
  ['ts_rewrite', (n) => (n === 2 ? 1 : undefined)],
]);

/**
 * Statements that bind a function to something that calls it later without naming it: a trigger, an
 * operator, an aggregate's state function, a cast, a type's I/O functions, an operator class's support
 * functions, a language handler, a foreign data wrapper's handler.
 */
const BINDING_STATEMENTS = new Set([
  'CreateTrigStmt',
  'CreateEventTrigStmt',
  'DefineStmt',
  'CreateCastStmt',
  'CreateTransformStmt',
  'CreateOpClassStmt',
  'AlterOpFamilyStmt',
  'AlterOperatorStmt',
  'AlterTypeStmt',
  'CreateConversionStmt',
  'CreatePLangStmt',
  'CreateFdwStmt',
  'AlterFdwStmt',
  'CreateAmStmt',
]);

const ROUTINE_OBJECTS = new Set(['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE', 'OBJECT_AGGREGATE']);

export interface EscapeVerdict {
  /** Why the statement's effects would escape the transaction; empty when ROLLBACK undoes everything it does. */
  escapes: string[];
  /**
   * Why what the statement runs cannot be known before it runs (a query PL/pgSQL builds at run time, a
   * function in a language that cannot be read): it may escape or not.
   */
  undecidable: string[];
}

/**
 * Decides, from parse trees alone and before anything is sent, whether a statement's effects may escape the
 * dry-run's transaction: every function call and COPY anywhere in it (nested queries, DEFAULT, CHECK and
 * USING expressions, DECLARE, PREPARE, views, rules, DO bodies, constant EXECUTE strings), the functions it
 * binds (triggers, operators, casts), and the functions created earlier in the same run that it calls,
 * whose bodies were read when they were created. A view, rule, default or constraint that calls an escaping
 * function is refused when it is defined: it could run on any later read or write. A new function is allowed
 * to be created (its body runs only when called) and its calls are refused instead; a replaced one is judged
 * by its new body, which whatever already calls it would run.
 */
export class EscapeAnalysis {
  /** Functions created earlier in this run (by name, as PostgreSQL resolves it) whose bodies may escape. */
  private readonly routines = new Map<string, EscapeVerdict>();

  check(statement: Statement): EscapeVerdict {
    if (!statement.node) return { escapes: [], undecidable: [] };
    return this.verdict((visitor) => walkStatement(statement.node!, statement.text, visitor));
  }

  private verdict(walkWith: (visitor: SqlVisitor) => void): EscapeVerdict {
    const escapes = new Set<string>();
    const undecidable = new Set<string>();
    const reaches = (name: string | undefined) => {
      if (name === undefined) return;
      const builtIn = ESCAPING_FUNCTIONS.get(name);
      if (builtIn) escapes.add(builtIn);
      const routine = this.routines.get(name);
      for (const reason of routine?.escapes ?? []) escapes.add(`${name}(), created above, leads to this: ${reason}`);
      for (const reason of routine?.undecidable ?? []) undecidable.add(`${name}(), created above, runs ${reason}`);
    };
    const visitor: SqlVisitor = {
      node: (type, fields, within) => {
        switch (type) {
          case 'FuncCall': {
            const name = lastName(fields.funcname);
            reaches(name);
            const queryArgument = QUERY_TEXT_ARGUMENT.get(name ?? '');
            const args = (fields.args as PgNode[] | undefined) ?? [];
            const index = queryArgument?.(args.length);
            if (index === undefined) return undefined;
            const query = constantValue(args[index]);
            if (typeof query === 'string') walkSqlText(query, visitor, within.depth + 1);
            else undecidable.add(`${name}() of a query built when it runs`);
            return undefined;
          }
          case 'ColumnRef':
          case 'A_Indirection': {
            // Field notation calls a function of one composite argument: `t.f` and `(t).f` are `f(t)`.
            const parts = (type === 'ColumnRef' ? fields.fields : fields.indirection) as PgNode[] | undefined;
            if ((parts?.length ?? 0) > (type === 'ColumnRef' ? 1 : 0)) nameList(parts).forEach(reaches);
            return undefined;
          }
          case 'CallStmt':
            // CALL's call is written without its FuncCall wrapper, so the case above does not see it.
            reaches(lastName(fields.funccall?.funcname));
            return undefined;
          case 'CopyStmt':
            for (const effect of copyEffects(fields)) escapes.add(effect);
            return undefined;
          case 'CreateFunctionStmt': {
            const body = this.learn(fields, within.text, within.depth);
            // OR REPLACE keeps the function's identity: triggers, views and defaults the database already has
            // call the new body without naming it, so the replacement itself is judged by its body.
            if (fields.replace && body) {
              const name = lastName(fields.funcname);
              for (const reason of body.escapes)
                escapes.add(
                  `it gives ${name}(), which existing triggers, views or defaults may call, a body that escapes: ${reason}`,
                );
              for (const reason of body.undecidable)
                undecidable.add(`it gives ${name}(), which existing triggers, views or defaults may call, ${reason}`);
            }
            return 'skip';
          }
          case 'LoadStmt':
            escapes.add('LOAD loads a library into the server process and runs its initialisation code');
            return undefined;
          case 'AlterSystemStmt':
            escapes.add('ALTER SYSTEM rewrites postgresql.auto.conf');
            return undefined;
          case 'CreateSubscriptionStmt':
          case 'AlterSubscriptionStmt':
          case 'DropSubscriptionStmt':
            escapes.add('a subscription connects to another server and creates or drops replication slots there');
            return undefined;
          case 'RenameStmt':
            if (ROUTINE_OBJECTS.has(fields.renameType))
              this.rename(lastName(fields.object?.ObjectWithArgs?.objname), fields.newname);
            return undefined;
          default:
            if (BINDING_STATEMENTS.has(type)) boundFunctions(fields).forEach(reaches);
            return undefined;
        }
      },
      unreadable: (reason) => undecidable.add(reason),
    };
    walkWith(visitor);
    return { escapes: [...escapes], undecidable: [...undecidable] };
  }

  /** Reads a function's body when it is created: SQL (quoted or BEGIN ATOMIC) or PL/pgSQL. */
  private learn(fields: PgNode, statementText: string, depth: number): EscapeVerdict | undefined {
    const name = lastName(fields.funcname);
    if (!name) return undefined;
    const options = fields.options as PgNode[] | undefined;
    const language = optionValue(options, 'language')?.toLowerCase() ?? 'sql';
    const body = options?.find((o) => o.DefElem?.defname === 'as')?.DefElem?.arg?.List?.items as PgNode[] | undefined;
    const verdict = this.verdict((visitor) => {
      // Parameter defaults are evaluated at each call, like the body.
      walkStatement({ parameters: fields.parameters, body: fields.sql_body }, statementText, visitor, depth);
      if (fields.sql_body) return;
      if (language === 'plpgsql') walkPlpgsql(statementText, visitor, depth + 1);
      else if (language === 'sql') walkSqlText(String(body?.[0]?.String?.sval ?? ''), visitor, depth + 1);
      else visitor.unreadable(`a body in ${language}, which cannot be read`);
    });
    this.remember(name, verdict);
    return verdict;
  }

  private rename(from: string | undefined, to: unknown): void {
    const known = from === undefined ? undefined : this.routines.get(from);
    if (known && typeof to === 'string') this.remember(to, known);
  }

  /** Overloads share a name: a later clean `f(text)` must not hide an escaping `f(int)`. */
  private remember(name: string, verdict: EscapeVerdict): void {
    const known = this.routines.get(name);
    this.routines.set(name, {
      escapes: [...new Set([...(known?.escapes ?? []), ...verdict.escapes])],
      undecidable: [...new Set([...(known?.undecidable ?? []), ...verdict.undecidable])],
    });
  }
}

function copyEffects(fields: PgNode): string[] {
  if (fields.is_program)
    return [`COPY ... ${fields.is_from ? 'FROM' : 'TO'} PROGRAM runs a program on the database server`];
  if (!fields.filename) return [];
  return [
    fields.is_from
      ? "COPY ... FROM a file reads the database server's files, and what it reads would leave in the report"
      : 'COPY ... TO a file writes a file on the database server',
  ];
}

/** The last part of a name list as PostgreSQL resolved it (the parser folds unquoted names to lower case). */
function lastName(names: PgNode[] | undefined): string | undefined {
  return nameList(names).pop();
}

/**
 * The functions a binding statement names: `EXECUTE FUNCTION f()`, `function = f`, `WITH FUNCTION f(int)`,
 * `HANDLER h`. libpg-query writes a field typed as one node kind (`ObjectWithArgs`) without its wrapper.
 */
function boundFunctions(fields: PgNode): (string | undefined)[] {
  const names = [
    fields.funcname,
    fields.handler_name,
    fields.func_name,
    fields.plhandler,
    fields.plinline,
    fields.plvalidator,
    fields.func?.objname,
    fields.fromsql?.objname,
    fields.tosql?.objname,
  ].map(lastName);
  walk(fields, (type, node) => {
    if (type === 'CreateOpClassItem') names.push(lastName(node.name?.objname));
    if (type === 'DefElem') names.push(lastName(node.arg?.TypeName?.names), lastName(node.arg?.List?.items));
  });
  return names;
}

/** Channels the statement NOTIFYs (`NOTIFY c` or `pg_notify('c', ...)`, also in a DO block); `?` when not a constant. */
export function notifiedChannels(statement: Statement): string[] {
  const runs = runsNow(statement) || statement.type === 'DoStmt' || statement.type === 'NotifyStmt';
  if (!statement.node || !runs) return [];
  const channels: string[] = [];
  walkStatement(statement.node, statement.text, {
    node: (type, fields) => {
      if (type === 'NotifyStmt') channels.push(String(fields.conditionname));
      if (type === 'FuncCall' && lastName(fields.funcname) === 'pg_notify') {
        const channel = constantValue((fields.args as PgNode[] | undefined)?.[0]);
        channels.push(channel === undefined ? '?' : String(channel));
      }
      return type === 'CreateFunctionStmt' ? 'skip' : undefined;
    },
    unreadable: () => undefined,
  });
  return channels;
}
