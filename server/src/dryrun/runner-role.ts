import type { Client } from 'pg';

/**
 * The role the embedded dry-run and the replay of earlier migrations run as. Not a superuser and a member of
 * none of pg_execute_server_program, pg_read_server_files, pg_write_server_files: `COPY ... PROGRAM`, `COPY`
 * to or from a file, `pg_read_file`, `lo_export` and `ALTER ROLE ... SUPERUSER` fail with "permission denied"
 * however the SQL is written (a DO block concatenating it, a function, a view), where a refusal list can
 * only recognise what it parses. It owns the database it runs in (so `CREATE EXTENSION` of trusted
 * extensions works; untrusted ones such as dblink fail with permission denied) and has CREATEROLE, which
 * since PostgreSQL 16 covers only the roles it creates or is given ADMIN on: it cannot grant itself the
 * predefined roles above nor make any role a superuser. The bootstrap superuser only administers: it
 * creates the databases from templates and the roles migrations name.
 */
export const RUNNER_ROLE = 'preflight_runner';

/**
 * Creates the runner, or puts it back as it should be: a replayed migration commits, and could have changed
 * its password or its session defaults (`ALTER ROLE CURRENT_USER SET ...`) for the dry-runs that follow.
 */
export async function resetRunner(admin: Client, password: string): Promise<void> {
  const role = admin.escapeIdentifier(RUNNER_ROLE);
  await admin.query(
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${admin.escapeLiteral(RUNNER_ROLE)}) THEN CREATE ROLE ${role}; END IF;
     END $$;
     ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB CREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${admin.escapeLiteral(password)};
     ALTER ROLE ${role} RESET ALL;
     -- The roles it creates are its own to use, as they would be for the migration's real owner:
     -- ALTER TABLE ... OWNER TO a role the migration created needs SET on that role.
     ALTER ROLE ${role} SET createrole_self_grant = 'set, inherit';`,
  );
}

/** Roles the bootstrap superuser made for the migrations: the runner may use, alter and grant them, as their creator could. */
export async function handToRunner(admin: Client, roles: readonly string[]): Promise<void> {
  for (const role of roles) {
    await admin.query(
      `GRANT ${admin.escapeIdentifier(role)} TO ${admin.escapeIdentifier(RUNNER_ROLE)} WITH ADMIN OPTION, INHERIT TRUE, SET TRUE`,
    );
  }
}

/*
 * A superuser skips the checks that a new owner may create in the object's schema (ALTER TABLE ... OWNER TO)
 * or database (ALTER SCHEMA ... OWNER TO): `ALTER TABLE public.users OWNER TO app` works for it and fails for
 * the runner with "permission denied for schema public". In these throwaway databases anyone may create, so
 * such migrations replay and dry-run as they run on the real server.
 */

/** For template1, once: every database is cloned from it, its schema public included. */
export async function openPublicSchema(admin: Client): Promise<void> {
  await admin.query('GRANT CREATE ON SCHEMA public TO PUBLIC');
}

/** For each database made for a replay or a dry-run (a database's privileges are not cloned from its template). */
export async function openDatabase(admin: Client, database: string): Promise<void> {
  await admin.query(`GRANT CREATE ON DATABASE ${admin.escapeIdentifier(database)} TO PUBLIC`);
}
