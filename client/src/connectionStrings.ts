/**
 * Connection strings as users type them: what may go into settings (no password) and what is shown of
 * them (never the password). Pure functions, so the rules are tested without an editor.
 */

/** Whether a connection string carries a password (URL user info, `?password=`, or libpq `password=`). */
export function passwordInConnectionString(url: string): boolean {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      const parsed = new URL(url);
      return parsed.password !== '' || parsed.searchParams.has('password');
    } catch {
      return false;
    }
  }
  // libpq key/value form, which someone may paste into settings: "host=db user=app password=secret"
  return /(^|\s)password\s*=/i.test(url);
}

/** Splits `postgres://user:secret@host/db` (a valid URL) into the URL without password and the password. */
export function separatePassword(url: string): { url: string; password?: string } {
  const parsed = new URL(url);
  const password = parsed.password
    ? decodeURIComponent(parsed.password)
    : (parsed.searchParams.get('password') ?? undefined);
  parsed.password = '';
  parsed.searchParams.delete('password');
  return { url: parsed.toString(), password };
}

/** `host:port/database` for labels; never the user or password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return url.replace(/(^|\s)(user|password)\s*=\s*\S+/gi, '').trim();
  }
}

/** The dry-run engine takes `postgres://` URLs (a socket directory goes in `?host=/var/run/postgresql`). */
export function validUrl(value: string): boolean {
  if (!/^postgres(ql)?:\/\//i.test(value)) return false;
  try {
    return new URL(value).host !== '' || new URL(value).searchParams.has('host');
  } catch {
    return false;
  }
}
