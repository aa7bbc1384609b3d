import { allRules, docsPath } from '../lint/registry';
import { Rule } from '../lint/rule';
import type { Severity, SeveritySetting } from '../resolved-config';
import { DRY_RUN_CHECKS } from './dry-run-findings';
import { findingFingerprints } from './fingerprint';
import { repositoryPath } from './locations';
import { ruleDocsUrl, toolInfo } from './tool-info';
import { LintReporter, ReportContext, ReportFile } from './types';

/**
 * SARIF 2.1.0, as GitHub code scanning (github/codeql-action/upload-sarif) and other SARIF viewers read it.
 * Columns are UTF-16 code units, as everywhere in Preflight, and the run says so (`columnKind`).
 */
export const sarifReporter: LintReporter = (files, context) => {
  const rules = [...allRules().values(), ...(files.some((file) => file.dryRun) ? DRY_RUN_CHECKS : [])];
  return JSON.stringify(sarifLog(files, context, rules), null, 2) + '\n';
};

/** The partialFingerprints key; `/v1` changes if the hashing ever does, so old alerts are not matched wrongly. */
export const FINGERPRINT_KEY = 'preflightFinding/v1';

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function sarifLog(
  files: ReportFile[],
  context: ReportContext,
  rules: readonly Pick<Rule, 'id' | 'severity' | 'summary'>[],
) {
  const tool = toolInfo();
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            ...(tool.homepage ? { informationUri: tool.homepage } : {}),
            rules: rules.map((rule) => ruleDescriptor(rule)),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: files.flatMap((file) => {
          const fingerprints = findingFingerprints(file);
          const uri = repositoryPath(file, context).split('/').map(encodeURIComponent).join('/');
          return file.diagnostics.map((diagnostic, i) => ({
            ruleId: diagnostic.rule,
            ...(ruleIndex.has(diagnostic.rule) ? { ruleIndex: ruleIndex.get(diagnostic.rule) } : {}),
            level: LEVELS[diagnostic.severity],
            message: { text: diagnostic.help ? `${diagnostic.message}\n${diagnostic.help}` : diagnostic.message },
            locations: [
              {
                physicalLocation: {
                  // GitHub resolves relative URIs against the checkout; %SRCROOT% names that base for others.
                  artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
                  region: {
                    startLine: diagnostic.line,
                    startColumn: diagnostic.column,
                    endLine: diagnostic.endLine,
                    endColumn: diagnostic.endColumn,
                  },
                },
              },
            ],
            partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i] },
          }));
        }),
      },
    ],
  };
}

function ruleDescriptor(rule: Pick<Rule, 'id' | 'severity' | 'summary'>) {
  const helpUri = ruleDocsUrl(rule.id);
  const docs = helpUri ? `[${docsPath(rule.id)}](${helpUri})` : docsPath(rule.id);
  return {
    id: rule.id,
    shortDescription: { text: rule.summary },
    ...(helpUri ? { helpUri } : {}),
    // Shown in the alert's details: what the rule catches and where its page (incident, safe alternative) is.
    help: {
      text: `${rule.summary} See ${docsPath(rule.id)} in Preflight.`,
      markdown: `${rule.summary} See ${docs} in Preflight.`,
    },
    defaultConfiguration: defaultConfiguration(rule.severity),
  };
}

function defaultConfiguration(severity: SeveritySetting) {
  return severity === 'off' ? { enabled: false, level: 'none' } : { level: LEVELS[severity] };
}
