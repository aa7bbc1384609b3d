import { ResolvedConfig, Severity, migrationDirectoryOf } from '../resolved-config';
import { MigrationFile, parseMigration } from '../parse/migration';
import { loadSqlParser } from '../parse/sql';
import type { Catalog } from '../schema/catalog';
import { CatalogTimeline, NO_SCHEMA } from '../schema/timeline';
import { withComputedNamesSaid } from './computed-names';
import { IgnoreDirective, applyIgnoreDirectives, findIgnoreDirectives } from './directives';
import { allRules } from './registry';
import { Diagnostic, Rule, ruleDialects } from './rule';

export interface LintResult {
  path: string;
  diagnostics: Diagnostic[];
  /** The parsed file, absent when the file could not be read as text. */
  file?: MigrationFile;
  /** The catalog before each of the file's operations, as the rules saw it (replayed when first asked for). */
  timeline?: CatalogTimeline;
}

/** Loads the SQL parser; call once before linting. */
export function initEngine(): Promise<void> {
  return loadSqlParser();
}

// Reading and decoding files live with the other user-file reads; the engine's users import them from here too.
export { MAX_FILE_BYTES, decodeSource } from '../source-files';

/** A diagnostic for a file that could not be linted at all. */
export function unreadableFileResult(path: string, problem: string): LintResult {
  return {
    path,
    diagnostics: [{ rule: 'parse-error', severity: 'error', message: problem, span: { start: 0, end: 0 } }],
  };
}

export interface LintOptions {
  config: ResolvedConfig;
  catalog?: Catalog;
  /**
   * The timeline of the last lint of the same document (the language server, re-linting an edit): the catalog
   * states before its first changed statement are reused instead of replayed.
   */
  previousTimeline?: CatalogTimeline;
}

/** Lints one file's text. Synchronous once `initEngine()` has resolved; never throws on user input. */
export function lintText(filePath: string, text: string, options: LintOptions): LintResult {
  const directory = migrationDirectoryOf(options.config, filePath);
  const file = parseMigration(filePath, text, {
    transactionMode: directory?.transaction,
    dialect: directory?.dialect,
    runner: directory?.runner,
  });
  const directives = findIgnoreDirectives(file);
  const timeline = new CatalogTimeline(file, options.catalog ?? NO_SCHEMA, options.previousTimeline);
  const rules = [...allRules().values()].filter((rule) => ruleDialects(rule).includes(file.dialect));
  const run = (rule: Rule) => runRule(rule, file, options, directives, timeline);

  const findings = applyIgnoreDirectives(rules.filter((r) => !r.afterSuppression).flatMap(run), directives);
  const late = rules.filter((r) => r.afterSuppression).flatMap(run);
  const diagnostics = withComputedNamesSaid(file, [...findings, ...late]).sort(
    (a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule),
  );
  return { path: filePath, diagnostics, file, timeline };
}

function runRule(
  rule: Rule,
  file: MigrationFile,
  options: LintOptions,
  directives: IgnoreDirective[],
  timeline: CatalogTimeline,
): Diagnostic[] {
  const setting = options.config.rules.get(rule.id);
  if (!setting || setting.severity === 'off') return [];
  const configured: Severity = setting.severity;
  const diagnostics: Diagnostic[] = [];
  try {
    rule.check({
      file,
      options: setting.options,
      config: options.config,
      catalog: options.catalog,
      catalogAt: (operation) => timeline.catalogAt(operation),
      catalogAfterFile: () => timeline.catalogAfterFile(),
      directives,
      report: (finding) =>
        diagnostics.push({
          rule: rule.id,
          severity: setting.explicit ? configured : (finding.severity ?? configured),
          message: finding.message,
          help: finding.help,
          span: finding.span,
          fix: finding.fix,
        }),
    });
  } catch (error) {
    // A bug in one rule must not hide the other rules' findings or crash an editor.
    diagnostics.push({
      rule: rule.id,
      severity: 'error',
      message: `Preflight's rule ${rule.id} failed on this file (${(error as Error).message}); please report it.`,
      span: { start: 0, end: 0 },
    });
  }
  return diagnostics;
}
