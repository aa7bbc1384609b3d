import picomatch from 'picomatch';

/**
 * Glob patterns for config: `*` matches within one path segment (or, in table patterns, any characters but
 * `.`), `**` as a whole segment across segments, `?` one character. Case-sensitive, like PostgreSQL's quoted
 * names. Matched by picomatch, which folds repeated `**` segments into one (a hand-made conversion to a RegExp
 * backtracked for minutes on `**\/**\/…/x`); braces, brackets, extglobs and `!` negation are off, so those
 * characters match themselves as they always did.
 */
const OPTIONS: picomatch.PicomatchOptions = {
  dot: true,
  nobrace: true,
  nobracket: true,
  noextglob: true,
  nonegate: true,
  windows: false,
};

/**
 * Picomatch still matches through a backtracking RegExp: `*a*a*a*a*b` on a long name of `a`s takes seconds, one
 * `*` more minutes. Config (which a pull request can change) may use this many `*`/`**` per pattern, repeated
 * `**` segments counting once; with it the worst case stays in milliseconds on names PostgreSQL (63 bytes) and
 * file systems (255 bytes a segment) allow.
 */
export const MAX_GLOB_WILDCARDS = 3;

/** Why a config glob is refused, or undefined. */
export function globProblem(pattern: string): string | undefined {
  const wildcards = pattern.replace(/\*\*(?:[/.]\*\*)+/g, '**').match(/\*+/g)?.length ?? 0;
  return wildcards > MAX_GLOB_WILDCARDS
    ? `has ${wildcards} wildcards (* or **); at most ${MAX_GLOB_WILDCARDS} are allowed`
    : undefined;
}

/** A matcher for `/`-separated paths (`ignore` globs, relative to the config's folder). */
export function pathGlobMatcher(pattern: string): (path: string) => boolean {
  return picomatch(pattern, OPTIONS);
}

/**
 * A matcher for `schema.table` names (`auditTables`): `.` is the separator `*` does not cross. Picomatch's
 * separator is `/`, so `.` and `/` trade places in the pattern and in the name alike (a quoted name may hold
 * either).
 */
export function tableGlobMatcher(
  pattern: string,
  options: { caseInsensitive?: boolean } = {},
): (qualifiedName: string) => boolean {
  const matches = picomatch(swapSeparators(pattern), { ...OPTIONS, nocase: options.caseInsensitive === true });
  return (qualifiedName) => matches(swapSeparators(qualifiedName));
}

function swapSeparators(text: string): string {
  return text.replace(/[./]/g, (separator) => (separator === '.' ? '/' : '.'));
}
