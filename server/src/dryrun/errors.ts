/**
 * A problem with how a dry-run was asked for or where it should run (bad option, unreachable server,
 * remote host without `--allow-remote`): the CLI prints its message as one line and exits with 2. Its
 * message never contains a password.
 */
export class DryRunError extends Error {}

/**
 * A dry-run asked for on a server that is not on this machine, without consent (`--allow-remote`, or the
 * editor's confirmation): the editor asks the user about `host` and tries again.
 */
export class RemoteServerRefused extends DryRunError {
  constructor(
    message: string,
    readonly host: string,
  ) {
    super(message);
  }
}

/**
 * Removes passwords from text that leaves Preflight (errors, reports, logs): every known secret, in
 * plain and URL-encoded form, and the password part of any `postgres://user:password@` URL.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text.replace(/(postgres(?:ql)?:\/\/[^:@/\s]*:)[^@\s]*@/gi, '$1***@');
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) scrubbed = scrubbed.split(form).join('***');
  }
  return scrubbed;
}

/** Applies `scrubSecrets` to every string inside a JSON-like value (a report), in place. */
export function scrubValue<T>(value: T, secrets: readonly string[]): T {
  const scrub = (item: unknown): unknown => {
    if (typeof item === 'string') return scrubSecrets(item, secrets);
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) item[i] = scrub(item[i]);
      return item;
    }
    if (item && typeof item === 'object') {
      const record = item as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = scrub(record[key]);
    }
    return item;
  };
  return scrub(value) as T;
}
