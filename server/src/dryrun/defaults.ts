/**
 * The dry-run's default limits, in a module of their own: the CLI's usage text names them, and a plain `lint`
 * must not load the dry-run engine (and pg) to print them.
 */
export const DEFAULT_LOCK_TIMEOUT = '5s';
export const DEFAULT_STATEMENT_TIMEOUT = '60s';
export const DEFAULT_TIMEOUT = '10min';
