import * as assert from 'assert';
import { connect, testCluster } from './postgres';

/** A password with what URL encoding, shell quoting and JSON escaping each treat specially. */
export function trickyPassword(label: string): string {
  return `${label}-$ecret:/@%?#&'"\\ äö-${process.pid}`;
}

/** Fails when `output` holds `password` as written, URL-encoded (either way) or JSON-escaped. */
export function assertNoPassword(what: string, output: string, password: string): void {
  for (const form of new Set([
    password,
    encodeURIComponent(password),
    encodeURI(password),
    JSON.stringify(password).slice(1, -1),
  ])) {
    assert.ok(!output.includes(form), `${what} contains the password (${JSON.stringify(form)}):\n${output}`);
  }
}

/** A superuser role on the test cluster that logs in with `password` (recreated if a run left it behind). */
export async function loginRole(name: string, password: string): Promise<void> {
  const admin = await connect((await testCluster()).connection());
  try {
    await admin.query(`DROP ROLE IF EXISTS ${name}`).catch(() => undefined);
    await admin.query(`CREATE ROLE ${name} LOGIN SUPERUSER PASSWORD '${password.replace(/'/g, "''")}'`);
  } finally {
    await admin.end();
  }
}
