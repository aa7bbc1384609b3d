import type { Catalog } from '../schema/catalog';
import type { ResolvedConfig, Severity, SeveritySetting } from '../resolved-config';
import type { Dialect } from '../parse/dialect';
import type { MigrationFile, Operation } from '../parse/migration';
import type { Span } from '../parse/text';
import type { IgnoreDirective } from './directives';

export interface TextEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Safe fixes are applied by `preflight lint --fix`; the others are offered in the editor only. */
  safe?: boolean;
}

export interface Finding {
  span: Span;
  /** What goes wrong in production. */
  message: string;
  /** What to do instead. */
  help?: string;
  fix?: Fix;
  /** Overrides the configured severity (e.g. an error when the schema proves the migration will fail). */
  severity?: Severity;
}

/** A file a refactoring writes: the migration itself (its new text) or a new file beside it. */
export interface FileRewrite {
  path: string;
  text: string;
}

/**
 * A refactoring a rule offers for its findings, like an ESLint rule's `suggest`: never applied by `--fix`, offered in
 * the editor. Planned when asked (the editor's menu, a command) rather than at every lint, since it may read the
 * migration's folder. `files[0]` is the migration's own new text; the rest are new files. When it cannot apply to
 * this file, it says why, for the editor to show.
 */
export interface Refactoring {
  title: string;
  plan(file: MigrationFile): { files: FileRewrite[] } | { problem: string };
}

export interface OptionSpec {
  type: 'string' | 'number' | 'boolean' | 'string[]';
  default: unknown;
  description: string;
}

export interface RuleContext {
  file: MigrationFile;
  /** This rule's options, defaults filled in. */
  options: Record<string, unknown>;
  config: ResolvedConfig;
  /** What the schema looked like before this migration, when a schema source is available. */
  catalog?: Catalog;
  /**
   * The catalog just before `operation` (one of `file.operations`) runs: `catalog` (or an empty one without a
   * schema source) plus what the file's earlier operations did; the down section starts from the state after
   * the forward operations. Replayed once per lint for every rule (schema/timeline.ts): rules never replay.
   */
  catalogAt(operation: Operation): Catalog;
  /** The catalog after the file's forward operations (a function, like `catalogAt`: replayed only when asked for). */
  catalogAfterFile(): Catalog;
  /** Only for rules with `afterSuppression`: the file's ignore directives and what they suppressed. */
  directives: readonly IgnoreDirective[];
  report(finding: Finding): void;
}

/**
 * A rule is one file in `server/src/rules/` exporting `rule`. Its metadata drives config validation, the
 * docs, `preflight rules` and the editor's quick fixes; `check` walks the parsed migration.
 */
export interface Rule {
  id: string;
  /** Default severity. */
  severity: SeveritySetting;
  /** One line: what the rule catches. */
  summary: string;
  options?: Record<string, OptionSpec>;
  /** Whether findings carry a quick fix. */
  fixable?: boolean;
  /** Runs after every other rule's findings were matched against ignore directives. */
  afterSuppression?: boolean;
  /**
   * The databases whose migrations the rule checks; default PostgreSQL only, since most hazards are about
   * PostgreSQL's locks and catalog. A rule that says `DIALECTS` must word its findings for each one
   * (`context.file.dialect`).
   */
  dialects?: readonly Dialect[];
  /**
   * A minimal bad and good example, checked by the test suite; `fileName` gives their language
   * (default `example.sql`, e.g. `example.ts` for a TS-only rule).
   */
  examples?: { bad: string; good: string; fileName?: string };
  /** What the editor offers to rewrite for this rule's findings, beyond a fix (the split of a mixed migration). */
  refactoring?: Refactoring;
  check(context: RuleContext): void;
}

/** The dialects whose migrations `rule` checks: PostgreSQL's only unless the rule says otherwise. */
export function ruleDialects(rule: Rule): readonly Dialect[] {
  return rule.dialects ?? ['postgresql'];
}

/** A finding with its rule and final severity. Spans are offsets in the linted file. */
export interface Diagnostic {
  rule: string;
  severity: Severity;
  message: string;
  help?: string;
  span: Span;
  fix?: Fix;
}
