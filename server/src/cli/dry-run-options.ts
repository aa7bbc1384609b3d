import { DEFAULT_LOCK_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT, DEFAULT_TIMEOUT } from '../dryrun/defaults';
import { UsageError } from './usage';

/*
 * The dry-run options of `check` and `lint --dry-run`, apart from `dry-run-files.ts`, which runs them: `lint`
 * parses these on every run but loads the dry-run engine only when asked to dry-run.
 */

/** Options of `check` and `lint --dry-run` for where and how the dry-runs run (`--database-url` is shared with lint). */
export const DRY_RUN_OPTIONS = {
  'allow-remote': { type: 'boolean' },
  'lock-timeout': { type: 'string' },
  'statement-timeout': { type: 'string' },
  timeout: { type: 'string' },
} as const;

export const DRY_RUN_USAGE = `  --allow-remote           allow a --database-url that is not on this machine (it holds locks there while it runs)
  --lock-timeout <dur>     give up waiting for a lock after this long (default: ${DEFAULT_LOCK_TIMEOUT})
  --statement-timeout <d>  cancel a statement after this long (default: ${DEFAULT_STATEMENT_TIMEOUT})
  --timeout <dur>          stop each file's dry-run after this long, 0 for never (default: ${DEFAULT_TIMEOUT})
`;

export interface DryRunFilesOptions {
  explicitConfig?: string;
  databaseUrl?: string;
  allowRemote?: boolean;
  lockTimeout?: string;
  statementTimeout?: string;
  timeout?: string;
}

/** `lint --lock-timeout 5s` without `--dry-run` is a mistake worth saying, not an option to ignore. */
export function rejectDryRunOptionsWithout(values: Record<string, unknown>): void {
  const given = Object.keys(DRY_RUN_OPTIONS).find((name) => values[name] !== undefined);
  if (given) throw new UsageError(`--${given} applies to the dry-run: add --dry-run (or use preflight check)`);
}

/** The dry-run options as parsed from the command line. */
export function dryRunFilesOptions(values: {
  config?: string;
  'database-url'?: string;
  'allow-remote'?: boolean;
  'lock-timeout'?: string;
  'statement-timeout'?: string;
  timeout?: string;
}): DryRunFilesOptions {
  return {
    explicitConfig: values.config,
    databaseUrl: values['database-url'],
    allowRemote: values['allow-remote'],
    lockTimeout: values['lock-timeout'],
    statementTimeout: values['statement-timeout'],
    timeout: values.timeout,
  };
}
