import type { ResolvedConfig } from '../resolved-config';
import type { DatabaseInfo } from '../../../shared/protocol';
import { DryRunTarget, ServerTarget, describeTarget } from './connection';
import { withEmbeddedServer } from './embedded';
import { DryRunError, scrubSecrets } from './errors';
import { earlierMigrations } from './replay';
import { serverAccessOf } from './server-access';
import { DryRunSession } from './session';
import { createShadowDatabase, dropShadowDatabase } from './shadow';
import type { roleNames } from './statement-policy';

/** Where a dry-run runs and what it needs to get there: the target, and for the embedded server the migrations to replay. */
export interface DatabaseRequest {
  file: string;
  config: ResolvedConfig;
  target: DryRunTarget;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  embeddedIdleMs?: number;
  /** Roles the statements name, created in the embedded server's shadow database. */
  roles: ReturnType<typeof roleNames>;
  /** Passwords to scrub; the embedded server's are added here. */
  secrets: string[];
  progress: (message: string) => void;
  /** Replay earlier framework migrations through their framework (runs the project's code). */
  replayThroughFrameworks: boolean;
}

/**
 * Opens the dry-run's session on the connected server, or on a shadow database of the embedded server with the
 * migrations before `file` replayed, runs `work` on it and closes it.
 */
export async function onDatabase<T>(
  request: DatabaseRequest,
  work: (session: DryRunSession) => Promise<T>,
): Promise<{ database: DatabaseInfo; result: T }> {
  const { target, secrets, progress } = request;
  if (target.kind === 'server') {
    const session = await connect(target);
    try {
      const database: DatabaseInfo = {
        ...serverInfo(target),
        serverVersion: await serverVersion(session),
        serverAccess: await serverAccessOf(session),
      };
      return { database, result: await work(session) };
    } finally {
      await session.close();
    }
  }
  return withEmbeddedServer(
    { env: request.env, homeDir: request.homeDir, idleMs: request.embeddedIdleMs ?? 0, onProgress: progress },
    async (server) => {
      secrets.push(...server.passwords);
      const migrations = earlierMigrations(request.file, request.config, request.replayThroughFrameworks);
      const shadow = await createShadowDatabase(server, migrations, request.roles, secrets, progress, {
        config: request.config,
        env: request.env,
      });
      try {
        const connection = server.connection(shadow.name);
        const session = await DryRunSession.open(connection);
        try {
          const database: DatabaseInfo = {
            kind: 'embedded',
            serverVersion: await serverVersion(session),
            host: String(connection.host),
            port: Number(connection.port),
            database: 'preflight_shadow',
            user: String(connection.user),
            source: target.source,
            replayed: shadow.outcomes.filter((o) => o.replayed).map((o) => o.file),
            notReplayed: shadow.outcomes
              .filter((o) => !o.replayed)
              .map((o) => ({ file: o.file, reason: o.reason ?? 'not replayed' })),
            notes: shadow.notes,
            serverAccess: await serverAccessOf(session),
          };
          return { database, result: await work(session) };
        } finally {
          await session.close();
        }
      } finally {
        await dropShadowDatabase(server, shadow.name).catch(() => undefined);
      }
    },
  );
}

/** A failure on the way to or on the database, as one line without the passwords involved. */
export function asDryRunError(error: unknown, secrets: string[]): DryRunError {
  if (error instanceof DryRunError) {
    // The same error, so that its kind (EmbeddedNotInstalled, ...) still tells the editor what to offer.
    error.message = scrubSecrets(error.message, secrets);
    return error;
  }
  return new DryRunError(scrubSecrets(`the dry-run stopped: ${(error as Error).message}`, secrets));
}

async function connect(target: ServerTarget): Promise<DryRunSession> {
  try {
    return await DryRunSession.open(target.client);
  } catch (error) {
    const failure = error as Error & { code?: string };
    const hints: string[] = [];
    if (failure.code === '28P01' && target.passwordFileProblem) hints.push(target.passwordFileProblem);
    if (/no encryption/i.test(failure.message))
      hints.push('the server may require TLS: add ?sslmode=require to the URL');
    const hint = hints.length > 0 ? ` (${hints.join('; ')})` : '';
    throw new DryRunError(
      scrubSecrets(
        `could not connect to ${describeTarget(target)} (from ${target.source}): ${failure.message || failure.code || 'unknown error'}${hint}`,
        target.secrets,
      ),
    );
  }
}

async function serverVersion(session: DryRunSession): Promise<string> {
  const { rows } = await session.internal<{ v: string }>(`SELECT pg_catalog.current_setting('server_version') AS v`);
  return rows[0].v;
}

function serverInfo(target: Extract<DryRunTarget, { kind: 'server' }>): Omit<DatabaseInfo, 'serverVersion'> {
  return {
    kind: 'server',
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    source: target.source,
    replayed: [],
    notReplayed: [],
    notes: [],
  };
}
