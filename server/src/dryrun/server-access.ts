import type { DryRunSession } from './session';

/**
 * The predefined roles that reach outside the database: `COPY ... PROGRAM` runs a shell command as the
 * server's OS user; the file roles read and write any file it can (`pg_read_file`, `COPY ... TO '/file'`).
 */
const SERVER_ROLES = ['pg_execute_server_program', 'pg_read_server_files', 'pg_write_server_files'];

/**
 * What the session's role can do outside the database: `['superuser']` (which implies everything), else
 * the server roles above it is a member of (directly or through other roles, usable with SET ROLE).
 */
export async function serverAccessOf(session: DryRunSession): Promise<string[]> {
  const { rows } = await session.internal<{ superuser: boolean; roles: string[] }>(
    `SELECT r.rolsuper AS superuser,
            ARRAY(SELECT s.rolname::pg_catalog.text FROM pg_catalog.pg_roles s
                   WHERE s.rolname = ANY ($1::pg_catalog.text[]) AND pg_catalog.pg_has_role(r.oid, s.oid, 'MEMBER')
                   ORDER BY s.rolname) AS roles
       FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER`,
    [SERVER_ROLES],
  );
  if (rows.length === 0) return [];
  return rows[0].superuser ? ['superuser'] : rows[0].roles;
}
