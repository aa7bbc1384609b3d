import { ResolvedConfig, migrationDirectoryOf } from '../config';
import { MigrationFile, parseMigration } from '../parse/migration';
import { loadSqlParser } from '../parse/sql';
import type { Catalog } from '../schema/catalog';
import { IgnoreDirective, applyIgnoreDirectives, findIgnoreDirectives } from './directives';
import { allRules } from './registry';
import { Diagnostic, Rule, Severity, ruleDialects } from './rule';

export interface LintResult {
  path: string;
  diagnostics: Diagnostic[];
  /** The parsed file, absent when the file could not be read as text. */
  file?: MigrationFile;
}

/** Loads the SQL parser; call once before linting. */
export function initEngine(): Promise<void> {
  return loadSqlParser();
}

/** The largest file linted; bigger files get one diagnostic instead of minutes of work. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Decodes a file's bytes, or explains why it is not a lintable text file. The CLI and the language
 * server both go through here so that a binary or oversized file is one clear diagnostic, never a crash.
 */
export function decodeSource(bytes: Uint8Array): { text: string } | { problem: string } {
  if (bytes.length > MAX_FILE_BYTES) {
    return { problem: `file is too large to lint (${megabytes(bytes.length)} MB; the limit is ${megabytes(MAX_FILE_BYTES)} MB)` };
  }
  if (bytes.includes(0)) return { problem: 'binary file (contains NUL bytes): not linted' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    return { problem: 'file is not valid UTF-8: not linted' };
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** A diagnostic for a file that could not be linted at all. */
export function unreadableFileResult(path: string, problem: string): LintResult {
  return { path, diagnostics: [{ rule: 'parse-error', severity: 'error', message: problem, span: { start: 0, end: 0 } }] };
}

export interface LintOptions {
  config: ResolvedConfig;
  catalog?: Catalog;
}

/** Lints one file's text. Synchronous once `initEngine()` has resolved; never throws on user input. */
export function lintText(filePath: string, text: string, options: LintOptions): LintResult {
  const directory = migrationDirectoryOf(options.config, filePath);
  const file = parseMigration(filePath, text, { transactionMode: directory?.transaction, dialect: directory?.dialect, runner: directory?.runner });
  const directives = findIgnoreDirectives(file);
  const rules = [...allRules().values()].filter((rule) => ruleDialects(rule).includes(file.dialect));
  const run = (rule: Rule) => runRule(rule, file, options, directives);

  const findings = applyIgnoreDirectives(rules.filter((r) => !r.afterSuppression).flatMap(run), directives);
  const late = rules.filter((r) => r.afterSuppression).flatMap(run);
  const diagnostics = [...findings, ...late].sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
  return { path: filePath, diagnostics, file };
}

function runRule(rule: Rule, file: MigrationFile, options: LintOptions, directives: IgnoreDirective[]): Diagnostic[] {
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
      directives,
      report: (finding) =>
        diagnostics.push({
          rule: rule.id,
          severity: setting.explicit ? configured : finding.severity ?? configured,
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
