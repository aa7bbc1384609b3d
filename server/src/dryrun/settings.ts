import { DryRunError } from './errors';

/** A PostgreSQL duration: a number with an optional unit (`500ms`, `5s`, `2min`). */
const DURATION = /^\d+(\.\d+)?\s*(us|ms|s|min|h|d)?$/;

/** The duration as given, trimmed; a DryRunError naming `what` when it is not one. */
export function duration(what: string, value: string): string {
  const trimmed = value.trim();
  if (!DURATION.test(trimmed)) throw new DryRunError(`${what} "${value}" is not a duration such as 500ms, 5s or 2min`);
  return trimmed;
}
