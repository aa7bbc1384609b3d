import * as crypto from 'crypto';
import { Client } from 'pg';
import type { EmbeddedServer } from './embedded';
import { scrubValue } from './errors';
import { MigrationSource, ReplayOutcome, replayMigration, rolesUsed } from './replay';
import { RUNNER_ROLE, handToRunner, openDatabase } from './runner-role';
import { DryRunSession } from './session';
import type { ResolvedConfig } from '../resolved-config';
import { replayThroughFramework } from './frameworks/framework-replay';

/**
 * The shadow database a dry-run on the embedded PostgreSQL runs in: a fresh clone of a template that holds
 * the state after the earlier migrations. Templates are named by a hash chained over the earlier
 * migrations (name, transaction mode and content, in order), so an unchanged directory reuses its template
 * and a directory with one new migration replays only that one on top of the previous state. Cloning a
 * template takes tens of milliseconds.
 */
export interface ShadowDatabase {
  name: string;
  outcomes: ReplayOutcome[];
  notes: string[];
}

/**
 * Bump when replaying changes, so templates built the old way are not reused. (3: replayed as the runner role;
 * 4: Knex and Sequelize migrations replayed through the project's own framework; 5: a Sequelize migration replayed in
 * the transaction the lint assumes, per-migration by default.)
 */
const REPLAY_FORMAT = 5;
const TEMPLATE_PREFIX = 'preflight_tpl_';
const MAX_TEMPLATES = 8;

/** What replaying a migration through its framework needs: the project's config and the environment it runs in. */
export interface FrameworkReplayContext {
  config: ResolvedConfig;
  env: NodeJS.ProcessEnv;
}

interface TemplateComment {
  outcomes: ReplayOutcome[];
  notes: string[];
  lastUsed: number;
}

export async function createShadowDatabase(
  server: EmbeddedServer,
  migrations: readonly MigrationSource[],
  rolesForFile: { used: Iterable<string>; created: Iterable<string> },
  secrets: readonly string[],
  onProgress: ((message: string) => void) | undefined,
  frameworkReplay: FrameworkReplayContext,
): Promise<ShadowDatabase> {
  const admin = new Client(server.adminConnection('postgres'));
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await dropLeftovers(admin);
    const notes: string[] = [];
    const { rows: version } = await admin.query<{ v: string }>(
      "SELECT pg_catalog.current_setting('server_version_num') AS v",
    );
    const keys = chainKeys(version[0].v, migrations);
    const existing = await templates(admin);
    let depth = migrations.length;
    while (depth > 0 && !existing.get(templateName(keys[depth]))?.usable) depth--;
    const base = depth > 0 ? existing.get(templateName(keys[depth]))! : { outcomes: [], notes: [] };
    let outcomes = base.outcomes;
    notes.push(...(base.notes ?? []));
    if (depth < migrations.length) {
      const pending = migrations.slice(depth);
      const created = await createMissingRoles(admin, rolesUsed(pending));
      if (created.length > 0) notes.push(`created roles the migrations use but do not create: ${created.join(', ')}`);
      const from = depth > 0 ? templateName(keys[depth]) : 'template1';
      outcomes = [
        ...outcomes,
        ...(await buildTemplate(
          server,
          admin,
          from,
          templateName(keys[migrations.length]),
          pending,
          frameworkReplay,
          onProgress,
        )),
      ];
    }
    const source = migrations.length > 0 ? templateName(keys[migrations.length]) : 'template1';
    if (migrations.length > 0) {
      // The comment outlives this run: what a replay failure quoted is scrubbed before it is stored.
      await touchTemplate(admin, source, scrubValue({ outcomes, notes: [...notes], lastUsed: Date.now() }, secrets));
      await evictTemplates(admin);
    }
    const fileRoles = await createMissingRoles(admin, {
      used: new Set(rolesForFile.used),
      created: new Set(rolesForFile.created),
    });
    if (fileRoles.length > 0)
      notes.push(`created roles the migration uses but does not create: ${fileRoles.join(', ')}`);
    const name = `preflight_shadow_${crypto.randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${source} OWNER ${RUNNER_ROLE}`);
    await openDatabase(admin, name);
    return { name, outcomes, notes };
  } finally {
    await admin.end().catch(() => undefined);
  }
}

export async function dropShadowDatabase(server: EmbeddedServer, name: string): Promise<void> {
  const admin = new Client(server.adminConnection('postgres'));
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

function chainKeys(serverVersion: string, migrations: readonly MigrationSource[]): string[] {
  const keys = [sha256(`preflight-replay/${REPLAY_FORMAT}/${serverVersion}`)];
  for (const migration of migrations) {
    keys.push(
      sha256(
        [
          keys[keys.length - 1],
          migration.display,
          migration.transactionMode ?? '',
          sha256(migration.text),
          // Replayed through the framework or statically, and by which version: installing knex changes the state.
          migration.framework ? `${migration.framework.framework}@${migration.framework.version}` : '',
        ].join('\0'),
      ),
    );
  }
  return keys;
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

function templateName(key: string): string {
  return `${TEMPLATE_PREFIX}${key.slice(0, 32)}`;
}

async function templates(admin: Client): Promise<Map<string, TemplateComment & { usable: boolean }>> {
  const { rows } = await admin.query<{ datname: string; comment: string | null }>(
    `SELECT datname, pg_catalog.shobj_description(oid, 'pg_database') AS comment
       FROM pg_catalog.pg_database WHERE datname LIKE '${TEMPLATE_PREFIX}%'`,
  );
  const found = new Map<string, TemplateComment & { usable: boolean }>();
  for (const row of rows) {
    try {
      const comment = JSON.parse(row.comment ?? '') as TemplateComment;
      found.set(row.datname, { ...comment, usable: Array.isArray(comment.outcomes) && Array.isArray(comment.notes) });
    } catch {
      // Renamed but never described (a crash in between): unusable, and the first to be evicted.
      found.set(row.datname, { outcomes: [], notes: [], lastUsed: 0, usable: false });
    }
  }
  return found;
}

/** A crashed run can leave its shadow or half-built database behind; the slot's lock says none is in use. */
async function dropLeftovers(admin: Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_catalog.pg_database WHERE datname LIKE 'preflight\\_shadow\\_%' OR datname LIKE 'preflight\\_build\\_%'`,
  );
  for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
}

async function buildTemplate(
  server: EmbeddedServer,
  admin: Client,
  from: string,
  name: string,
  pending: readonly MigrationSource[],
  frameworkReplay: FrameworkReplayContext,
  onProgress?: (message: string) => void,
): Promise<ReplayOutcome[]> {
  const build = `preflight_build_${crypto.randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${build} TEMPLATE ${from} OWNER ${RUNNER_ROLE}`);
  await openDatabase(admin, build);
  const outcomes: ReplayOutcome[] = [];
  const session = await DryRunSession.open(server.connection(build));
  try {
    for (const [i, migration] of pending.entries()) {
      onProgress?.(`replaying ${migration.display} (${i + 1}/${pending.length})`);
      const { framework } = migration;
      outcomes.push(
        framework
          ? await replayThroughFramework(
              { ...migration, framework },
              server.connection(build),
              frameworkReplay.config,
              frameworkReplay.env,
            )
          : await replayMigration(session, migration),
      );
    }
    // Row estimates live in pg_class and travel with the template; activity statistics do not. VACUUM sets the
    // rows' commit hint bits once here, in the template every dry-run's database is cloned from: otherwise the
    // first read of each table in every clone (a plan, the data-change sums) writes them all again.
    await session.internal('VACUUM (ANALYZE)');
  } finally {
    await session.close();
  }
  await server.resetRunner(admin);
  // The runner owns only the database it runs in: a template it owned could be dropped, renamed or given a
  // forged replay record by a later migration.
  await admin.query(`ALTER DATABASE ${build} OWNER TO CURRENT_USER`);
  await admin.query(`ALTER DATABASE ${build} RENAME TO ${name}`);
  return outcomes;
}

/** The template's replay record, and when it was last used (templates used least recently are evicted). */
async function touchTemplate(admin: Client, name: string, comment: TemplateComment): Promise<void> {
  await admin.query(`COMMENT ON DATABASE ${name} IS ${admin.escapeLiteral(JSON.stringify(comment))}`);
}

async function evictTemplates(admin: Client): Promise<void> {
  const existing = [...(await templates(admin))].sort((a, b) => b[1].lastUsed - a[1].lastUsed);
  for (const [name] of existing.slice(MAX_TEMPLATES)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/**
 * Roles are shared by all databases of a cluster, and a migration that grants to `app_user` fails on a
 * fresh cluster that has no such role. The embedded cluster creates the roles the migrations name but do
 * not create themselves (without LOGIN), as they exist on the real server, and hands them to the runner
 * (`ALTER TABLE ... OWNER TO app_owner` needs SET on app_owner).
 */
async function createMissingRoles(
  admin: Client,
  roles: { used: Set<string>; created: Set<string> },
): Promise<string[]> {
  const wanted = [...roles.used].filter(
    (role) => !roles.created.has(role) && role !== 'public' && !role.startsWith('pg_'),
  );
  if (wanted.length === 0) return [];
  const { rows } = await admin.query<{ rolname: string }>(
    'SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY ($1)',
    [wanted],
  );
  const existing = new Set(rows.map((row) => row.rolname));
  const missing = [...new Set(wanted.filter((role) => !existing.has(role)))];
  for (const role of missing) await admin.query(`CREATE ROLE ${admin.escapeIdentifier(role)} NOLOGIN`);
  await handToRunner(admin, missing);
  return missing;
}
