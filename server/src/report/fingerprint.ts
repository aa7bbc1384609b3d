import { createHash } from 'crypto';
import type { PositionedDiagnostic, ReportFile } from './types';

/**
 * Identities of a file's findings that survive unrelated edits, so that code scanning and GitLab do not
 * close and reopen an alert whenever a line is added above it: a hash of the rule, the flagged code with
 * its whitespace normalised, and how many identical findings precede it in the file. Line numbers and
 * messages (which may quote line numbers) are left out on purpose.
 */
export function findingFingerprints(file: ReportFile): string[] {
  const seen = new Map<string, number>();
  return file.diagnostics.map((diagnostic) => {
    const key = `${diagnostic.rule}\0${flaggedCode(file, diagnostic)}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 32);
  });
}

/** The code a finding points at; for an empty span (a whole-file problem) the line it sits on. */
function flaggedCode(file: ReportFile, diagnostic: PositionedDiagnostic): string {
  const code =
    diagnostic.span.end > diagnostic.span.start ? file.text.slice(diagnostic.span.start, diagnostic.span.end) : '';
  const text = code.trim() === '' && file.text.length > 0 ? file.lines.lineText(diagnostic.line - 1) : code;
  return text.replace(/\s+/g, ' ').trim();
}
