import { DEFAULT_LOCK_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT, DEFAULT_TIMEOUT } from './defaults';
import { DryRunError } from './errors';

/** A PostgreSQL duration: a number with an optional unit (`500ms`, `5s`, `2min`). */
const DURATION = /^\d+(\.\d+)?\s*(us|ms|s|min|h|d)?$/;

/** The duration as given, trimmed; a DryRunError naming `what` when it is not one. */
export function duration(what: string, value: string): string {
  const trimmed = value.trim();
  if (!DURATION.test(trimmed)) throw new DryRunError(`${what} "${value}" is not a duration such as 500ms, 5s or 2min`);
  return trimmed;
}

/** The limits a dry-run asked for, or their defaults, each checked: a migration's and a program's alike. */
export function dryRunLimits(options: { lockTimeout?: string; statementTimeout?: string; timeout?: string }): {
  lockTimeout: string;
  statementTimeout: string;
  timeLimit: string;
} {
  return {
    lockTimeout: duration('lock timeout', options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT),
    statementTimeout: duration('statement timeout', options.statementTimeout ?? DEFAULT_STATEMENT_TIMEOUT),
    timeLimit: duration('time limit', options.timeout ?? DEFAULT_TIMEOUT),
  };
}
