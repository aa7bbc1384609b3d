import type { Diagnostic, Fix, TextEdit } from './rule';

export interface FixedText {
  text: string;
  /** The fixes applied, in file order. */
  applied: Fix[];
}

/**
 * Applies as many of `fixes` as do not touch each other: a fix is taken whole or not at all, and one whose
 * edits overlap (or insert at the same place as) an already taken fix waits for the next pass, when the
 * file is linted again. Inserted line breaks follow the file's own (CRLF stays CRLF).
 */
export function applyFixes(text: string, fixes: readonly Fix[]): FixedText {
  const crlf = text.includes('\r\n');
  const applied = compatibleFixes(fixes, text.length);
  let result = text;
  for (const edit of applied
    .flatMap((fix) => fix.edits)
    .sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end)) {
    const newText = crlf ? edit.newText.replace(/\r?\n/g, '\r\n') : edit.newText;
    result = result.slice(0, edit.span.start) + newText + result.slice(edit.span.end);
  }
  return { text: result, applied };
}

/**
 * The fixes, in file order, that can be applied together to a text of `textLength`: the first of any two that
 * touch wins (the editor's fix-all applies these in one edit, `lint --fix` in each pass).
 */
export function compatibleFixes(fixes: readonly Fix[], textLength: number): Fix[] {
  const taken: TextEdit[] = [];
  const compatible: Fix[] = [];
  for (const fix of [...fixes].sort((a, b) => firstStart(a) - firstStart(b))) {
    if (!editsAreValid(fix.edits, textLength) || fix.edits.some((edit) => taken.some((other) => touches(edit, other))))
      continue;
    taken.push(...fix.edits);
    compatible.push(fix);
  }
  return compatible;
}

export interface FixLoopResult<R> {
  text: string;
  /** How many fixes were applied over all passes. */
  appliedCount: number;
  passes: number;
  /** The lint result of the final text. */
  result: R;
}

/**
 * Lints, applies the safe fixes, and lints again until no safe fix is left or `maxPasses` is reached: one
 * fix can make room for another (two edits at one place), or a rewrite can expose a new finding.
 */
export function fixUntilStable<R extends { diagnostics: Diagnostic[] }>(
  text: string,
  lint: (text: string) => R,
  maxPasses = 5,
): FixLoopResult<R> {
  let result = lint(text);
  let appliedCount = 0;
  let passes = 0;
  while (passes < maxPasses) {
    const safe = result.diagnostics.flatMap((d) => (d.fix?.safe ? [d.fix] : []));
    if (safe.length === 0) break;
    const fixed = applyFixes(text, safe);
    if (fixed.applied.length === 0 || fixed.text === text) break;
    passes++;
    appliedCount += fixed.applied.length;
    text = fixed.text;
    result = lint(text);
  }
  return { text, appliedCount, passes, result };
}

function firstStart(fix: Fix): number {
  return Math.min(...fix.edits.map((edit) => edit.span.start));
}

function editsAreValid(edits: readonly TextEdit[], length: number): boolean {
  if (edits.length === 0) return false;
  if (edits.some((edit) => edit.span.start < 0 || edit.span.end > length || edit.span.end < edit.span.start))
    return false;
  return edits.every((edit, i) => edits.every((other, j) => i === j || !touches(edit, other)));
}

/** Overlapping ranges, or two edits starting at one place (their order would be a guess). */
function touches(a: TextEdit, b: TextEdit): boolean {
  return (a.span.start < b.span.end && b.span.start < a.span.end) || a.span.start === b.span.start;
}
