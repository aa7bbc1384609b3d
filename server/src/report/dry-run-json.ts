import type { DryRunReport } from '../../../shared/protocol';
import type { DryRunRenderOptions } from './dry-run-text';

/** Issue 4's JSON shape, with `file` as the reader knows it. Other tools parse it: it only ever gains fields. */
export function renderDryRunJson(report: DryRunReport, options: DryRunRenderOptions = {}): string {
  return JSON.stringify({ ...report, file: options.displayPath ?? report.file }, null, 2) + '\n';
}
