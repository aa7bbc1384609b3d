import { Span } from './text';

/**
 * A piece of SQL as the database will see it, and where each of its characters sits in the source file.
 * A `.sql` file is one fragment whose offsets are the file's own; SQL embedded in TS/JS is a fragment per
 * string or template literal, with escape sequences cooked and `${}` holes replaced by placeholders, so
 * its offsets need a map back to the file.
 */
export interface SqlFragment {
  readonly sql: string;
  /** True for `.sql` files run by psql-like tools: meta-commands and `:variables` are expected. */
  readonly psql: boolean;
  /** Spans of `sql` that stand for a `${}` hole of a template literal (their text is a placeholder). */
  readonly holes: readonly Span[];
  /** SQL an ORM call sends (parse/orm/): its text is not in the file, so no fix can edit it. */
  readonly generated?: boolean;
  /**
   * For SQL an ORM call sends: the expressions, as written, that name its table, column, index, constraint or type
   * (`tableName` in `queryRunner.dropColumn(tableName, columnName)`), known only when the code runs. The one place
   * that says a statement's target is unknown: replay creates and changes nothing from it.
   */
  readonly computedNames?: readonly string[];
  toFile(span: Span): Span;
}

/**
 * The identifier that stands in the SQL for `${}` hole number `n` of a template: an identifier parses wherever
 * a name or a value can go. Rules that ask "is this a column?" must not take a hole for one.
 */
export function holePlaceholder(n: number): string {
  return `__pf_hole_${n}`;
}

/**
 * Whether a name is, or holds, a value only the running code knows: a template's hole, or an ORM call's computed
 * argument (`isComputedName`).
 */
export function isHolePlaceholder(name: string): boolean {
  return /^__pf_hole_\d+$/.test(name) || isComputedName(name);
}

/** A name that holds an ORM call's argument computed at run time: `${tableName}`, `${TABLE}_status_index`. */
export function isComputedName(name: string): boolean {
  return /\$\{[^}]*\}/.test(name);
}

export class FileFragment implements SqlFragment {
  readonly holes: readonly Span[] = [];
  readonly psql = true;
  constructor(readonly sql: string) {}
  toFile(span: Span): Span {
    return span;
  }
}

/**
 * The arguments of an ORM call that only the running code knows, as placeholders in its generated SQL, named by the
 * expression as written (`${tableName}`): the operation is known, these parts of it are not.
 */
export interface ComputedArguments {
  /** Offsets in the generated SQL where a placeholder stands. */
  holes: Span[];
  /**
   * The expressions that stand for a table, column, index, constraint or type name: what the statement changes is unknown,
   * so replay creates or changes nothing from it and rules that need the schema stay silent.
   */
  names: string[];
}

/**
 * The SQL an ORM or query-builder call sends, as its framework writes it (`removeColumn('users', 'email')` is
 * `ALTER TABLE "public"."users" DROP COLUMN "email";`): every part of it stands for the call. An argument only the
 * running code knows is a hole (`${columnName}`, parse/orm/computed.ts): the dry-run does not run such SQL as written.
 */
export class GeneratedFragment implements SqlFragment {
  readonly psql = false;
  readonly generated = true;
  readonly holes: readonly Span[];
  readonly computedNames: readonly string[];
  constructor(
    readonly sql: string,
    private readonly callSpan: Span,
    computed?: ComputedArguments,
  ) {
    this.holes = computed?.holes ?? [];
    this.computedNames = computed?.names ?? [];
  }
  toFile(): Span {
    return this.callSpan;
  }
}

/** Builds an embedded fragment character by character, remembering each character's file offsets. */
export class EmbeddedFragmentBuilder {
  private text = '';
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly holes: Span[] = [];

  /** Appends `sql`, whose characters came from file offsets [fileStart, fileEnd). */
  append(sql: string, fileStart: number, fileEnd: number): void {
    if (sql.length === fileEnd - fileStart) {
      for (let k = 0; k < sql.length; k++) {
        this.starts.push(fileStart + k);
        this.ends.push(fileStart + k + 1);
      }
    } else {
      // An escape sequence (`\n`, `\u00e9`) cooks to fewer characters: all of them point at the sequence.
      for (let k = 0; k < sql.length; k++) {
        this.starts.push(fileStart);
        this.ends.push(fileEnd);
      }
    }
    this.text += sql;
  }

  /** Appends a placeholder standing for the `${...}` hole at file offsets [fileStart, fileEnd). */
  appendHole(placeholder: string, fileStart: number, fileEnd: number): void {
    this.holes.push({ start: this.text.length, end: this.text.length + placeholder.length });
    for (let k = 0; k < placeholder.length; k++) {
      this.starts.push(fileStart);
      this.ends.push(fileEnd);
    }
    this.text += placeholder;
  }

  build(): SqlFragment {
    return new EmbeddedFragment(this.text, Int32Array.from(this.starts), Int32Array.from(this.ends), this.holes);
  }
}

class EmbeddedFragment implements SqlFragment {
  readonly psql = false;
  constructor(
    readonly sql: string,
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
    readonly holes: readonly Span[],
  ) {}

  toFile(span: Span): Span {
    if (this.starts.length === 0) return { start: 0, end: 0 };
    const last = this.starts.length - 1;
    const start = this.starts[Math.min(Math.max(span.start, 0), last)];
    const end = span.end > span.start ? this.ends[Math.min(span.end - 1, last)] : start;
    return { start, end: Math.max(start, end) };
  }
}
