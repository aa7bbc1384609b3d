import { PgNode, fieldsOf, nameList, walk } from './ast';
import { ConditionReading, RunCondition, readSqlCondition } from './conditions';
import { EmbeddedFragmentBuilder, SqlFragment } from './fragment';
import { parsePlpgsql, scanSql } from './libpg';
import { Statement, parseFragment } from './sql';
import { SqlComment, dollarTagAt, splitSql } from './splitter';
import { ByteOffsets, Span } from './text';

/**
 * The SQL inside `DO` blocks and function bodies. PostgreSQL keeps a body as a string constant, so the
 * statement's parse tree says nothing about what it runs; PL/pgSQL's own parser (libpg-query's
 * `parsePlPgSQLSync`) finds the SQL statements in it, and each becomes a `Statement` whose ranges point
 * into the body in the file, exactly like SQL embedded in TS/JS.
 *
 * A `DO` block runs when the migration runs, inside the migration's transaction: its statements are
 * executed statements like any other. A function body runs later, whenever the function is called, so its
 * statements say nothing about the migration's locks or transactions; rules about SQL quality may still
 * read them.
 */
export interface BodyStatement {
  statement: Statement;
  /** The `DO` or `CREATE FUNCTION`/`CREATE PROCEDURE` statement whose body holds it. */
  enclosing: Statement;
  /** True for `DO` blocks: the statement runs when the migration does. */
  runsNow: boolean;
  /** Parsed from a string constant passed to PL/pgSQL's `EXECUTE`. */
  dynamic: boolean;
  /**
   * Inside an `IF`/`CASE` branch, a loop, or a block with an `EXCEPTION` handler: the body decides at run
   * time whether the statement runs, or copes with its failure (`EXCEPTION WHEN duplicate_object`).
   */
  guarded: boolean;
  /**
   * The `IF`/`CASE` tests the statement runs under, outermost first (absent when none the analysis must keep:
   * constant and catalog-testing ones are dropped, see `readSqlCondition`).
   */
  conditions?: readonly RunCondition[];
}

/** A PL/pgSQL `EXECUTE` whose query is computed at run time (not a single string constant). */
export interface DynamicExecute {
  /** The query expression's text, e.g. `'ALTER TABLE ' || tbl || ' ADD x int'`. */
  expression: string;
  /** The expression's parse tree (`{ A_Expr: ... }`, `{ FuncCall: ... }`), or undefined if it did not parse. */
  node?: PgNode;
  /** The file span of the expression. */
  fileSpan: Span;
  /** The file span of a parse-tree `location` in `node` (UTF-8 bytes into `expression`). */
  locate(byteLocation: number | undefined): Span;
  enclosing: Statement;
  runsNow: boolean;
}

export interface RoutineBody {
  statements: BodyStatement[];
  dynamicExecutes: DynamicExecute[];
  /**
   * The declared type of each parameter and PL/pgSQL variable, by lowercased name (`regclass`, `text`,
   * `record`): a regclass pasted into a query is already a quoted name, a text is not.
   */
  variableTypes: ReadonlyMap<string, string>;
  /** Comments inside the body (PL/pgSQL uses SQL's comment syntax), with file spans. */
  comments: SqlComment[];
}

const EMPTY: RoutineBody = { statements: [], dynamicExecutes: [], comments: [], variableTypes: new Map() };
const cache = new WeakMap<Statement, RoutineBody>();

/**
 * The statements in a `DO` block's or a PL/pgSQL or SQL function's body. Empty for any other statement and
 * for bodies that do not parse (PostgreSQL reports those when the migration runs; guessing here would put
 * findings in the wrong place).
 */
export function routineBody(statement: Statement): RoutineBody {
  let body = cache.get(statement);
  if (!body) {
    body = readRoutineBody(statement) ?? EMPTY;
    cache.set(statement, body);
  }
  return body;
}

/** The statements that a `DO` block runs when the migration runs, in body order (none for other statements). */
export function executedStatements(statement: Statement): BodyStatement[] {
  return statement.type === 'DoStmt' ? routineBody(statement).statements : [];
}

function readRoutineBody(statement: Statement): RoutineBody | undefined {
  const fields = fieldsOf(statement.node);
  let options: PgNode[];
  let runsNow: boolean;
  if (statement.type === 'DoStmt') {
    options = (fields.args as PgNode[] | undefined) ?? [];
    runsNow = true;
  } else if (statement.type === 'CreateFunctionStmt') {
    options = (fields.options as PgNode[] | undefined) ?? [];
    runsNow = false;
  } else {
    return undefined;
  }
  const language = String(option(options, 'language')?.arg?.String?.sval ?? 'plpgsql').toLowerCase();
  const as = option(options, 'as');
  if (!as || (language !== 'plpgsql' && language !== 'sql')) return undefined;
  const literal = bodyLiteral(statement, as.location);
  if (!literal) return undefined;
  const source = new BodySource(statement, literal);
  const comments = splitSql(literal.value, { psql: false }).comments.map((c) => ({
    ...c,
    span: source.toFile(c.span),
  }));
  if (language === 'sql') {
    const statements = parseFragment(source.fragment({ start: 0, end: literal.value.length })).statements;
    return {
      statements: statements
        .filter((s) => s.node)
        .map((s) => ({ statement: s, enclosing: statement, runsNow, dynamic: false, guarded: false })),
      dynamicExecutes: [],
      comments,
      variableTypes: parameterTypes(fields),
    };
  }
  let tree: PgNode;
  try {
    tree = parsePlpgsql(statement.text) as unknown as PgNode;
  } catch {
    return undefined;
  }
  const reader = new PlpgsqlReader(source, statement, runsNow);
  reader.read(tree.plpgsql_funcs?.[0]?.PLpgSQL_function?.action, false, NO_CONDITIONS);
  const variableTypes = parameterTypes(fields);
  for (const datum of (tree.plpgsql_funcs?.[0]?.PLpgSQL_function?.datums as PgNode[] | undefined) ?? []) {
    const variable = datum.PLpgSQL_var;
    const type = variable?.datatype?.PLpgSQL_type?.typname;
    if (variable?.refname && typeof type === 'string')
      variableTypes.set(variable.refname.toLowerCase(), type.toLowerCase());
  }
  return { statements: reader.statements, dynamicExecutes: reader.dynamicExecutes, comments, variableTypes };
}

/** CREATE FUNCTION's parameters by name, with the last part of their type name (`regclass`, `text`). */
function parameterTypes(fields: PgNode): Map<string, string> {
  const types = new Map<string, string>();
  for (const parameter of (fields.parameters as PgNode[] | undefined) ?? []) {
    const { name, argType } = parameter.FunctionParameter ?? {};
    const type = nameList(argType?.names).pop();
    if (name && type) types.set(String(name).toLowerCase(), type.toLowerCase());
  }
  return types;
}

function option(options: PgNode[], name: string): PgNode | undefined {
  return options.find((o) => o.DefElem?.defname === name)?.DefElem;
}

/** A string constant's value and, for each of its characters, where it was written in the text it was read from. */
interface DecodedLiteral {
  value: string;
  starts: Int32Array;
  /** Exclusive; a doubled quote `''` is one character written as two. */
  ends: Int32Array;
}

/** The body's string constant: the first string token at or after the `AS` clause's location. */
function bodyLiteral(statement: Statement, byteLocation: number | undefined): DecodedLiteral | undefined {
  let tokens;
  try {
    tokens = scanSql(statement.text).tokens;
  } catch {
    return undefined;
  }
  const bytes = new ByteOffsets(statement.text);
  const token = tokens.find((t) => t.tokenName === 'SCONST' && t.start >= (byteLocation ?? 0));
  if (!token) return undefined;
  const start = bytes.toChar(token.start);
  return decodeStringLiteral(statement.text.slice(start, bytes.toChar(token.end)), start);
}

/**
 * Decodes a dollar-quoted (`$tag$...$tag$`) or standard single-quoted (`'...'` with `''` for a quote)
 * string constant starting at `base`. Escape strings (`E'...'`) are not decoded: bodies written that way
 * are rare, and a wrong offset would put a finding in the wrong place.
 */
export function decodeStringLiteral(text: string, base = 0): DecodedLiteral | undefined {
  const tag = text.startsWith('$') ? dollarTagAt(text, 0) : null;
  if (tag) {
    if (!text.endsWith(tag) || text.length < tag.length * 2) return undefined;
    const value = text.slice(tag.length, text.length - tag.length);
    const starts = Int32Array.from(value, (_c, i) => base + tag.length + i);
    return { value, starts, ends: starts.map((start) => start + 1) };
  }
  if (!text.startsWith("'") || !text.endsWith("'") || text.length < 2) return undefined;
  let value = '';
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 1; i < text.length - 1; i++) {
    value += text[i];
    starts.push(base + i);
    if (text[i] === "'") {
      // Inside the constant a quote is always doubled; one that is not ends it (`'a' || b || 'c'`).
      if (text[i + 1] !== "'" || i + 1 === text.length - 1) return undefined;
      i++;
    }
    ends.push(base + i + 1);
  }
  return { value, starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/** Maps a body's characters (as PostgreSQL reads it) back to the file, and builds fragments over it. */
class BodySource {
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly statement: Statement,
    readonly literal: DecodedLiteral,
  ) {
    const text = literal.value;
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  get text(): string {
    return this.literal.value;
  }

  /** Offset of the start of a 1-based PL/pgSQL line number. */
  lineStart(lineno: number | undefined): number {
    return this.lineStarts[Math.min(Math.max((lineno ?? 1) - 1, 0), this.lineStarts.length - 1)];
  }

  /** Where the body character at `bodyOffset` was written, in the enclosing fragment's text. */
  private fragmentSpan(bodyOffset: number): Span {
    const { starts, ends } = this.literal;
    const last = starts.length - 1;
    const start = bodyOffset <= last ? starts[bodyOffset] : (ends[last] ?? 0);
    const end = bodyOffset <= last ? ends[bodyOffset] : start;
    return { start: this.statement.span.start + start, end: this.statement.span.start + end };
  }

  /** The file span of the character at `bodyOffset`. */
  private charToFile(bodyOffset: number): Span {
    return this.statement.fragment.toFile(this.fragmentSpan(bodyOffset));
  }

  toFile(span: Span): Span {
    const start = this.charToFile(span.start).start;
    if (span.end <= span.start) return { start, end: start };
    return { start, end: Math.max(start, this.charToFile(span.end - 1).end) };
  }

  /** A fragment for the body text in `span`. */
  fragment(span: Span): SqlFragment {
    return this.fragmentOf(this.text.slice(span.start, span.end), (i) => span.start + i);
  }

  /**
   * A fragment holding `sql`, whose character `i` was written at body offset `bodyOffset(i)` (or over the
   * body span it returns: a quote doubled inside an EXECUTE string). Characters that came from a `${}` hole
   * of the enclosing TS/JS template stay holes.
   */
  fragmentOf(sql: string, bodyOffset: (i: number) => number | Span): SqlFragment {
    const builder = new EmbeddedFragmentBuilder();
    const outer = this.statement.fragment;
    let hole: { text: string; hole: Span; file: Span } | undefined;
    const flushHole = () => {
      if (hole) builder.appendHole(hole.text, hole.file.start, hole.file.end);
      hole = undefined;
    };
    for (let i = 0; i < sql.length; i++) {
      const written = bodyOffset(i);
      const first = typeof written === 'number' ? written : written.start;
      const last = typeof written === 'number' ? written : written.end - 1;
      const at = { start: this.fragmentSpan(first).start, end: this.fragmentSpan(last).end };
      const file = outer.toFile(at);
      const inHole = outer.holes.find((h) => h.start <= at.start && at.start < h.end);
      if (inHole && hole?.hole === inHole) {
        hole.text += sql[i];
        continue;
      }
      flushHole();
      if (inHole) hole = { text: sql[i], hole: inHole, file };
      else builder.append(sql[i], file.start, file.end);
    }
    flushHole();
    return builder.build();
  }
}

/** PL/pgSQL statements whose nested bodies run only under a condition, in a loop, or with a handler. */
const GUARDING_STATEMENTS = new Set([
  'PLpgSQL_stmt_if',
  'PLpgSQL_stmt_case',
  'PLpgSQL_stmt_loop',
  'PLpgSQL_stmt_while',
  'PLpgSQL_stmt_fori',
  'PLpgSQL_stmt_fors',
  'PLpgSQL_stmt_forc',
  'PLpgSQL_stmt_foreach_a',
  'PLpgSQL_stmt_dynfors',
]);

const NO_CONDITIONS: readonly RunCondition[] = [];

/**
 * IF/CASE statements nested deeper than this add no further conditions: the statements stay conditional on the outer ones,
 * and reading on by walking rather than recursing keeps bodies nested thousands deep within the call stack.
 */
const CONDITION_DEPTH = 8;

/** One branch of an IF or CASE: its statements and the tests they run under. */
interface Branch {
  body: unknown;
  tests: { expression: string; holds: boolean }[];
}

/** The branches of `IF ... ELSIF ... ELSE` and `CASE [selector] WHEN ... ELSE`: each runs when the earlier tests failed. */
function branchesOf(type: string, fields: PgNode): Branch[] | undefined {
  const query = (expr: PgNode | undefined): string => expr?.PLpgSQL_expr?.query ?? '';
  let arms: { test: string; body: unknown }[];
  let otherwise: unknown;
  if (type === 'PLpgSQL_stmt_if') {
    arms = [
      { test: query(fields.cond), body: fields.then_body },
      ...((fields.elsif_list as PgNode[] | undefined) ?? []).map((e) => ({
        test: query(e.PLpgSQL_if_elsif?.cond),
        body: e.PLpgSQL_if_elsif?.stmts,
      })),
    ];
    otherwise = fields.else_body;
  } else if (type === 'PLpgSQL_stmt_case') {
    // `CASE x WHEN 'a'` compiles each arm to `"__Case__Variable_N__" IN ('a')`: put the selector back.
    const selector = fields.t_expr ? query(fields.t_expr) : undefined;
    const restore = (test: string) => (selector ? test.replace(/"__Case__Variable_\d+__"/g, selector) : test);
    arms = ((fields.case_when_list as PgNode[] | undefined) ?? []).map((w) => ({
      test: restore(query(w.PLpgSQL_case_when?.expr)),
      body: w.PLpgSQL_case_when?.stmts,
    }));
    otherwise = fields.else_stmts;
  } else {
    return undefined;
  }
  const failed = (count: number) => arms.slice(0, count).map((arm) => ({ expression: arm.test, holds: false }));
  return [
    ...arms.map((arm, i) => ({ body: arm.body, tests: [...failed(i), { expression: arm.test, holds: true }] })),
    { body: otherwise, tests: failed(arms.length) },
  ];
}

class PlpgsqlReader {
  readonly statements: BodyStatement[] = [];
  readonly dynamicExecutes: DynamicExecute[] = [];
  /** Where the search for the next statement's text starts: statements come in body order. */
  private cursor = 0;
  /** How many IF/CASE branches the reader is inside. */
  private branchDepth = 0;

  constructor(
    private readonly source: BodySource,
    private readonly enclosing: Statement,
    private readonly runsNow: boolean,
  ) {}

  read(node: unknown, guarded: boolean, conditions: readonly RunCondition[]): void {
    walk(node, (type, fields) => {
      switch (type) {
        case 'PLpgSQL_stmt_execsql':
          this.addStatement(fields.sqlstmt?.PLpgSQL_expr?.query, fields.lineno, guarded, conditions, 'verbatim');
          return 'skip';
        case 'PLpgSQL_stmt_perform':
          this.addStatement(fields.expr?.PLpgSQL_expr?.query, fields.lineno, guarded, conditions, 'perform');
          return 'skip';
        case 'PLpgSQL_stmt_dynexecute':
          this.addExecute(fields.query?.PLpgSQL_expr?.query, fields.lineno, guarded, conditions);
          return 'skip';
        case 'PLpgSQL_stmt_block':
          if (fields.exceptions && !guarded) {
            this.read(fields.body, true, conditions);
            this.read(fields.exceptions, true, conditions);
            return 'skip';
          }
          return undefined;
        default: {
          const branches = this.branchDepth < CONDITION_DEPTH ? branchesOf(type, fields) : undefined;
          if (branches) {
            this.branchDepth++;
            for (const branch of branches) this.read(branch.body, true, this.within(conditions, branch, fields.lineno));
            this.branchDepth--;
            return 'skip';
          }
          // Under a guard, a nested one changes nothing: walking on instead of recursing keeps bodies that
          // nest thousands of IFs deep within the call stack.
          if (GUARDING_STATEMENTS.has(type) && !guarded) {
            this.read(fields, true, conditions);
            return 'skip';
          }
          return undefined;
        }
      }
    });
  }

  /** `conditions` and the tests of a branch that starts on body line `lineno`. */
  private within(
    conditions: readonly RunCondition[],
    branch: Branch,
    lineno: number | undefined,
  ): readonly RunCondition[] {
    const at = this.source.lineStart(lineno);
    const span = this.source.toFile({ start: at, end: at });
    const readings: ConditionReading[] = branch.tests.map((test) =>
      readSqlCondition(test.expression, span, test.holds),
    );
    const kept = readings.filter((reading): reading is RunCondition => reading !== 'always');
    return kept.length ? [...conditions, ...kept] : conditions;
  }

  /**
   * PL/pgSQL hands each SQL statement to the SQL parser as the text written in the body, except that an
   * `INTO target` clause is blanked out (same length) or cut from the end, and `PERFORM` becomes `SELECT`.
   */
  private addStatement(
    query: string | undefined,
    lineno: number | undefined,
    guarded: boolean,
    conditions: readonly RunCondition[],
    kind: 'verbatim' | 'perform',
  ): void {
    if (!query) return;
    const at = kind === 'perform' ? this.findPerform(query, lineno) : this.findVerbatim(query, lineno);
    if (at === undefined) return;
    // PERFORM is one character longer than SELECT: past the keyword, characters are one further on.
    const bodyOffset = kind === 'perform' ? (i: number) => (i < 6 ? at + i : at + i + 1) : (i: number) => at + i;
    this.cursor = bodyOffset(query.length - 1) + 1;
    this.parseInto(this.source.fragmentOf(query, bodyOffset), guarded, conditions, false);
  }

  private addExecute(
    expression: string | undefined,
    lineno: number | undefined,
    guarded: boolean,
    conditions: readonly RunCondition[],
  ): void {
    if (!expression) return;
    const at = this.findVerbatim(expression, lineno);
    if (at === undefined) return;
    this.cursor = at + expression.length;
    const trimmed = expression.trim();
    const lead = expression.indexOf(trimmed);
    const literal = decodeStringLiteral(trimmed, at + lead);
    if (literal) {
      // A constant query: the statement it runs is known exactly.
      this.parseInto(
        this.source.fragmentOf(literal.value, (i) => ({ start: literal.starts[i], end: literal.ends[i] })),
        guarded,
        conditions,
        true,
      );
      return;
    }
    const fragment = this.source.fragment({ start: at, end: at + expression.length });
    const statement = parseFragment(wrapAsSelect(fragment)).statements[0];
    const target = statement?.node?.SelectStmt?.targetList?.[0]?.ResTarget?.val as PgNode | undefined;
    this.dynamicExecutes.push({
      expression,
      node: target,
      fileSpan: fragment.toFile({ start: 0, end: expression.length }),
      // Locations are bytes into `SELECT <expression>`; the wrapper maps `SELECT ` onto the expression's start.
      locate: (byteLocation) => (statement ? statement.locate(byteLocation) : fragment.toFile({ start: 0, end: 0 })),
      enclosing: this.enclosing,
      runsNow: this.runsNow,
    });
  }

  private parseInto(
    fragment: SqlFragment,
    guarded: boolean,
    conditions: readonly RunCondition[],
    dynamic: boolean,
  ): void {
    for (const statement of parseFragment(fragment).statements) {
      if (!statement.node || !statement.type) continue;
      const body: BodyStatement = { statement, enclosing: this.enclosing, runsNow: this.runsNow, dynamic, guarded };
      if (conditions.length) body.conditions = conditions;
      this.statements.push(body);
    }
  }

  private findVerbatim(query: string, lineno: number | undefined): number | undefined {
    const text = this.source.text;
    const head = /^\S+/.exec(query)?.[0];
    if (!head) return undefined;
    for (const from of [Math.max(this.cursor, this.source.lineStart(lineno)), this.cursor]) {
      for (let at = text.indexOf(head, from); at >= 0; at = text.indexOf(head, at + 1)) {
        if (matchesBlankedQuery(text, at, query)) return at;
      }
    }
    return undefined;
  }

  private findPerform(query: string, lineno: number | undefined): number | undefined {
    if (!/^SELECT\b/.test(query)) return undefined;
    const text = this.source.text;
    const pattern = /\bperform\b/gi;
    pattern.lastIndex = Math.max(this.cursor, this.source.lineStart(lineno));
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      if (text.startsWith(query.slice(6), match.index + 7)) return match.index;
    }
    return undefined;
  }
}

/** Whether `query` is written at `at`, allowing the blanks PL/pgSQL leaves where an INTO clause was. */
function matchesBlankedQuery(text: string, at: number, query: string): boolean {
  if (at + query.length > text.length) return false;
  for (let i = 0; i < query.length; i++) {
    const q = query[i];
    if (q !== text[at + i] && !(q === ' ' && text[at + i] !== undefined)) return false;
  }
  return true;
}

/**
 * A fragment reading `SELECT <expression>` whose `SELECT ` maps to where the expression starts, so the
 * expression parses and its locations map into the body.
 */
function wrapAsSelect(expression: SqlFragment): SqlFragment {
  const prefix = 'SELECT ';
  const holes = expression.holes.map((h) => ({ start: h.start + prefix.length, end: h.end + prefix.length }));
  return {
    sql: prefix + expression.sql,
    psql: false,
    holes,
    toFile: (span) => {
      const start = Math.max(0, span.start - prefix.length);
      const end = Math.max(start, span.end - prefix.length);
      return expression.toFile({ start, end });
    },
  };
}
