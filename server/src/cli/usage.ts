/** A problem with how Preflight was called or configured: one line on stderr, exit code 2. */
export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** Exit code after Ctrl-C, as shells report a process ended by SIGINT. */
export const EXIT_CANCELLED = 130;

/** Reads a `--name value` option that must be one of `choices`. */
export function choice<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T))
    throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got "${value}")`);
  return value as T;
}
