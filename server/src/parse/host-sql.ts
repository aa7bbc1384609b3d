import * as ts from 'typescript';
import { EmbeddedFragmentBuilder, SqlFragment, holePlaceholder } from './fragment';
import { handlesOf } from './host-handles';
import { nodeSpan, propertyValue, resolveConst, unwrap } from './host-syntax';

/**
 * SQL text written in TS/JS, turned into fragments whose every character maps back to the file: escape
 * sequences are cooked as the JavaScript engine would, and each `${}` hole or non-literal operand of a `+`
 * becomes a placeholder identifier, so the statement around it still parses.
 */

/**
 * Methods that send their first argument to the database as SQL, whatever object they are called on: also
 * MikroORM's `addSql` (a migration's statements, run in order when `up`/`down` returns) and Prisma's
 * `$executeRawUnsafe` / `$queryRawUnsafe`.
 */
export const SQL_METHODS: ReadonlySet<string> = new Set([
  'query',
  'raw',
  'sql',
  'runSql',
  'unsafe',
  'addSql',
  '$executeRawUnsafe',
  '$queryRawUnsafe',
]);

/**
 * The words an SQL statement can begin with (PostgreSQL's and MySQL's commands). `query`, `raw` and `execute` are
 * common method names: on an object not known to be a database, text that begins with none of these — a
 * request's `query('since')`, a GraphQL document — is no SQL.
 */
const STATEMENT_START_WORDS = new Set([
  'abort',
  'alter',
  'analyse',
  'analyze',
  'begin',
  'call',
  'checkpoint',
  'close',
  'cluster',
  'comment',
  'commit',
  'copy',
  'create',
  'deallocate',
  'declare',
  'delete',
  'discard',
  'do',
  'drop',
  'end',
  'execute',
  'explain',
  'fetch',
  'grant',
  'import',
  'insert',
  'listen',
  'load',
  'lock',
  'merge',
  'move',
  'notify',
  'prepare',
  'reassign',
  'refresh',
  'reindex',
  'release',
  'rename',
  'replace',
  'reset',
  'revoke',
  'rollback',
  'savepoint',
  'security',
  'select',
  'set',
  'show',
  'start',
  'table',
  'truncate',
  'unlisten',
  'update',
  'use',
  'vacuum',
  'values',
  'with',
]);

/** Whether the fragment's text begins like an SQL statement (after comments and parentheses), or with a `${}` hole. */
export function beginsLikeSql(fragment: SqlFragment): boolean {
  const start = /^(?:\s+|--[^\n]*|\/\*[\s\S]*?\*\/|\()*/.exec(fragment.sql)![0].length;
  if (fragment.holes.some((hole) => hole.start === start)) return true;
  const word = /^[a-z]+/i.exec(fragment.sql.slice(start))?.[0].toLowerCase();
  return word !== undefined && STATEMENT_START_WORDS.has(word);
}

/**
 * `execute(text)` sends SQL in MikroORM (`this.execute`, `em.execute`) and mysql2, but is too common a name to
 * read elsewhere: it counts in files that import one of these.
 */
export const EXECUTE_SQL_MODULES: readonly string[] = ['@mikro-orm/', 'mysql2'];

/** A const may name another const; a cycle of them (an error at run time) must not loop here. */
const MAX_CONST_DEPTH = 8;

/**
 * A tag that makes a tagged template a query: slonik's and postgres-js's `sql`, and helpers reached from it
 * (`sql.unsafe`, `sql.typeAlias('x')`), or a postgres-js handle under any other name (`client`, a `begin`
 * callback's `tx`, a reserved connection: see host-handles). `sql.fragment` is excluded: slonik builds it to be
 * embedded in another query, and it is not a statement on its own.
 */
export function isSqlTag(tag: ts.Expression): boolean {
  const inner = unwrap(tag);
  if (ts.isPropertyAccessExpression(inner) && inner.name.text === 'fragment') return false;
  // Prisma: `prisma.$executeRaw\`...\``, `tx.$queryRaw\`...\`` (holes are bind parameters).
  if (ts.isPropertyAccessExpression(inner) && PRISMA_RAW_TAGS.has(inner.name.text)) return true;
  return rootIdentifierName(inner) === 'sql' || handlesOf(inner.getSourceFile()).isPostgresJsTag(inner);
}

const PRISMA_RAW_TAGS = new Set(['$executeRaw', '$queryRaw']);

function rootIdentifierName(expr: ts.Expression): string | undefined {
  let current = unwrap(expr);
  while (ts.isPropertyAccessExpression(current) || ts.isCallExpression(current)) current = unwrap(current.expression);
  return ts.isIdentifier(current) ? current.text : undefined;
}

/**
 * The expression holding the SQL that a query call's first argument sends: the argument itself when it is SQL
 * text or an `sql` tagged template, or the `text` property of pg's `{ text, values }` form.
 */
export function sqlArgument(arg: ts.Expression | undefined): ts.Expression | undefined {
  if (!arg) return undefined;
  const inner = unwrap(arg);
  if (ts.isTaggedTemplateExpression(inner)) return isSqlTag(inner.tag) ? inner : undefined;
  if (ts.isObjectLiteralExpression(inner)) {
    const text = propertyValue(inner, 'text');
    return text && isSqlText(text) ? text : undefined;
  }
  return isSqlText(inner) ? inner : undefined;
}

/**
 * Literal text, a template, a `+` concatenation with at least one literal piece, or a `const` that holds one
 * of those. A tagged template reached through a `const` does not count: it is reported where it is written.
 */
function isSqlText(expr: ts.Expression, depth = 0): boolean {
  const inner = unwrap(expr);
  if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner) || ts.isTemplateExpression(inner)) {
    return true;
  }
  if (isConcatenation(inner)) return isSqlText(inner.left, depth) || isSqlText(inner.right, depth);
  if (ts.isIdentifier(inner) && depth < MAX_CONST_DEPTH) {
    const initializer = resolveConst(inner);
    return initializer !== undefined && isSqlText(initializer, depth + 1);
  }
  return false;
}

/** The SQL text a `const` holds, for a name used as (part of) a query. */
function constSqlText(id: ts.Identifier): ts.Expression | undefined {
  const initializer = resolveConst(id);
  return initializer && isSqlText(initializer) ? initializer : undefined;
}

function isConcatenation(expr: ts.Expression): expr is ts.BinaryExpression {
  return ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken;
}

/** The fragment for an expression that `sqlArgument` accepted. */
export function sqlFragmentOf(expr: ts.Expression, source: ts.SourceFile): SqlFragment {
  const writer = new FragmentWriter(source);
  writer.appendExpression(expr, 0);
  return writer.build();
}

class FragmentWriter {
  private readonly builder = new EmbeddedFragmentBuilder();
  private readonly text: string;
  private holeCount = 0;

  constructor(private readonly source: ts.SourceFile) {
    this.text = source.text;
  }

  build(): SqlFragment {
    return this.builder.build();
  }

  appendExpression(expr: ts.Expression, depth: number): void {
    const inner = unwrap(expr);
    const constant = ts.isIdentifier(inner) && depth < MAX_CONST_DEPTH ? constSqlText(inner) : undefined;
    if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) {
      this.appendLiteral(inner);
    } else if (ts.isTemplateExpression(inner)) {
      this.appendTemplate(inner);
    } else if (ts.isTaggedTemplateExpression(inner) && isSqlTag(inner.tag)) {
      const template = inner.template;
      if (ts.isTemplateExpression(template)) this.appendTemplate(template);
      else this.appendLiteral(template);
    } else if (isConcatenation(inner)) {
      this.appendExpression(inner.left, depth);
      this.appendExpression(inner.right, depth);
    } else if (constant) {
      this.appendExpression(constant, depth + 1);
    } else {
      const span = nodeSpan(inner, this.source);
      this.appendHole(span.start, span.end);
    }
  }

  /** A string literal or a template without holes: its text sits between one-character quotes. */
  private appendLiteral(literal: ts.LiteralLikeNode & ts.Node): void {
    const start = literal.getStart(this.source) + 1;
    const closeLength = literal.isUnterminated ? 0 : 1;
    const isTemplate = literal.kind !== ts.SyntaxKind.StringLiteral;
    this.appendCooked(start, Math.max(start, literal.end - closeLength), isTemplate);
  }

  private appendTemplate(template: ts.TemplateExpression): void {
    const head = template.head;
    // The head runs from the backquote to `${`.
    const headStart = head.getStart(this.source) + 1;
    this.appendCooked(headStart, Math.max(headStart, head.end - 2), true);
    for (const span of template.templateSpans) {
      const literal = span.literal;
      const literalStart = literal.getStart(this.source);
      // The hole covers `${ expression }` including its delimiters, so a diagnostic on it underlines all of it.
      const holeStart = span.pos - 2;
      // A template cut off after `${` (a file being typed) has no closing brace: its empty tail ends the file.
      this.appendHole(holeStart, Math.min(literalStart + 1, literal.end));
      const isTail = ts.isTemplateTail(literal);
      const closeLength = isTail ? (literal.isUnterminated ? 0 : 1) : 2;
      const textStart = literalStart + 1;
      this.appendCooked(textStart, Math.max(textStart, literal.end - closeLength), true);
    }
  }

  private appendHole(fileStart: number, fileEnd: number): void {
    this.builder.appendHole(holePlaceholder(this.holeCount++), fileStart, fileEnd);
  }

  /**
   * Appends the characters of a literal's body, cooked: runs without escapes keep one file offset per
   * character; each escape sequence maps as a whole to the characters it cooks to.
   */
  private appendCooked(start: number, end: number, isTemplate: boolean): void {
    const text = this.text;
    let runStart = start;
    const flushRun = (until: number) => {
      if (until > runStart) this.builder.append(text.slice(runStart, until), runStart, until);
    };
    let i = start;
    while (i < end) {
      const code = text.charCodeAt(i);
      if (code === BACKSLASH) {
        flushRun(i);
        const escape = cookEscape(text, i, end);
        this.builder.append(escape.cooked, i, escape.end);
        i = runStart = escape.end;
      } else if (isTemplate && code === CR) {
        // A template literal's value has LF for every CRLF or CR line break in its source.
        flushRun(i);
        const next = text.charCodeAt(i + 1) === LF && i + 1 < end ? i + 2 : i + 1;
        this.builder.append('\n', i, next);
        i = runStart = next;
      } else {
        i++;
      }
    }
    flushRun(end);
  }
}

const BACKSLASH = 0x5c;
const CR = 0x0d;
const LF = 0x0a;

const SINGLE_CHARACTER_ESCAPES = new Map([
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  ['b', '\b'],
  ['f', '\f'],
  ['v', '\v'],
]);

/** The value of the escape sequence starting with the backslash at `at`, and where the sequence ends. */
function cookEscape(text: string, at: number, limit: number): { cooked: string; end: number } {
  const next = text[at + 1];
  if (next === undefined || at + 1 >= limit) return { cooked: '', end: limit };
  const single = SINGLE_CHARACTER_ESCAPES.get(next);
  if (single !== undefined) return { cooked: single, end: at + 2 };
  // A backslash before a line break continues the line: it adds nothing to the value.
  if (next === '\r') return { cooked: '', end: text[at + 2] === '\n' && at + 2 < limit ? at + 3 : at + 2 };
  if (next === '\n' || next === '\u2028' || next === '\u2029') return { cooked: '', end: at + 2 };
  if (next === 'x') return hexEscape(text, at + 2, 2, limit) ?? { cooked: 'x', end: at + 2 };
  if (next === 'u') {
    if (text[at + 2] === '{') {
      const close = text.indexOf('}', at + 3);
      const code = close >= 0 && close < limit ? parseInt(text.slice(at + 3, close), 16) : NaN;
      if (/^[0-9a-fA-F]+$/.test(text.slice(at + 3, close)) && code <= 0x10ffff) {
        return { cooked: String.fromCodePoint(code), end: close + 1 };
      }
      return { cooked: 'u', end: at + 2 };
    }
    return hexEscape(text, at + 2, 4, limit) ?? { cooked: 'u', end: at + 2 };
  }
  if (next >= '0' && next <= '7') return octalEscape(text, at + 1, limit);
  // Any other escaped character stands for itself (`\'`, `\\`, `` \` ``, `\$`); keep surrogate pairs whole.
  const codePoint = text.codePointAt(at + 1)!;
  const width = codePoint > 0xffff ? 2 : 1;
  return { cooked: text.slice(at + 1, at + 1 + width), end: at + 1 + width };
}

function hexEscape(
  text: string,
  from: number,
  digits: number,
  limit: number,
): { cooked: string; end: number } | undefined {
  const hex = text.slice(from, from + digits);
  if (from + digits > limit || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
  return { cooked: String.fromCharCode(parseInt(hex, 16)), end: from + digits };
}

/** `\0` and the legacy octal escapes of sloppy-mode strings (`\101` is `A`): at most three digits, up to 255. */
function octalEscape(text: string, from: number, limit: number): { cooked: string; end: number } {
  let end = from;
  let value = 0;
  while (end < limit && end - from < 3 && /[0-7]/.test(text[end]) && value * 8 + Number(text[end]) <= 0xff) {
    value = value * 8 + Number(text[end]);
    end++;
  }
  return { cooked: String.fromCharCode(value), end };
}
