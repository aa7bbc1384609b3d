import { environmentSecrets, scrubSecrets } from './dryrun/errors';

/** The exit code of `preflight` when Preflight itself failed (sysexits' EX_SOFTWARE), not the input or the call. */
export const EXIT_INTERNAL = 70;

/**
 * What the CLI and the language server print when Preflight itself fails: the error's stack, for the bug
 * report, without a password. Only the stack is printed (Node's default dump adds the error's own
 * properties, such as the connection options a driver error carries); connection URLs in it are masked, and
 * the values of PGPASSWORD and of secret-looking variables (tokens, keys) are removed.
 */
export function crashReport(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return scrubSecrets(detail, environmentSecrets(env));
}
