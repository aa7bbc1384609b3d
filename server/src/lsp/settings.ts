/**
 * The editor's `preflight.*` settings (pulled with `workspace/configuration`). Read leniently: a client
 * that sends nothing, or something odd, gets the defaults, never an error. Passwords are never part of
 * settings: the client keeps them in its secret storage and sends one with the dry-run it belongs to.
 */
export interface EditorSettings {
  /** Rule id → severity for files that no `.preflightrc.json` covers (a config file always wins). */
  rules: Record<string, unknown>;
  /** Connection names for the "Dry run on <name>" code lens (URLs are not needed here). */
  connections: string[];
  /** The connection the code lens offers; empty means only the embedded database. */
  defaultConnection: string;
  /** `embedded`: whether a dry-run without a connection may use the embedded PostgreSQL. */
  dryRun: { lockTimeout: string; statementTimeout: string; timeout: string; embedded: boolean };
}

export const DEFAULT_SETTINGS: EditorSettings = {
  rules: {},
  connections: [],
  defaultConnection: '',
  dryRun: { lockTimeout: '5s', statementTimeout: '60s', timeout: '10min', embedded: true },
};

export function readSettings(raw: unknown): EditorSettings {
  const section = isObject(raw) ? raw : {};
  const dryRun = isObject(section.dryRun) ? section.dryRun : {};
  const connections = Array.isArray(section.connections) ? section.connections : [];
  return {
    rules: isObject(section.rules) ? section.rules : {},
    connections: connections.map((c) => (isObject(c) && typeof c.name === 'string' ? c.name : '')).filter(Boolean),
    defaultConnection: typeof section.defaultConnection === 'string' ? section.defaultConnection : '',
    dryRun: {
      lockTimeout: typeof dryRun.lockTimeout === 'string' ? dryRun.lockTimeout : DEFAULT_SETTINGS.dryRun.lockTimeout,
      statementTimeout:
        typeof dryRun.statementTimeout === 'string'
          ? dryRun.statementTimeout
          : DEFAULT_SETTINGS.dryRun.statementTimeout,
      timeout: typeof dryRun.timeout === 'string' ? dryRun.timeout : DEFAULT_SETTINGS.dryRun.timeout,
      embedded: dryRun.embedded !== false,
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
