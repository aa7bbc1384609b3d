import { createHash } from 'crypto';
import type { Severity } from '../resolved-config';
import { findingFingerprints } from './fingerprint';
import { repositoryPath } from './locations';
import { LintReporter } from './types';

/**
 * GitLab Code Quality (a subset of the Code Climate issue format), for `artifacts:reports:codequality`:
 * the merge request widget lists new and fixed findings by comparing fingerprints with the target branch.
 * https://docs.gitlab.com/ci/testing/code_quality/
 */
export const gitlabReporter: LintReporter = (files, context) => {
  const issues = files.flatMap((file) => {
    const filePath = repositoryPath(file, context);
    const fingerprints = findingFingerprints(file);
    return file.diagnostics.map((d, i) => ({
      type: 'issue',
      description: d.help ? `${d.message} ${d.help}` : d.message,
      check_name: d.rule,
      // GitLab keeps one finding per fingerprint in a report, so the path joins the line-independent identity.
      fingerprint: createHash('sha256').update(`${filePath}\0${fingerprints[i]}`).digest('hex').slice(0, 32),
      severity: SEVERITIES[d.severity],
      location: { path: filePath, lines: { begin: d.line, end: d.endLine } },
    }));
  });
  return JSON.stringify(issues, null, 2) + '\n';
};

/** GitLab's scale is info, minor, major, critical, blocker; a Preflight error takes production down. */
const SEVERITIES: Record<Severity, string> = { error: 'critical', warning: 'major', info: 'info' };
