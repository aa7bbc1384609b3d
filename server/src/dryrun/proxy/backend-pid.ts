/**
 * The backend process id the proxy gives client connection N at startup (BackendKeyData). A program's preload or
 * a framework's runner reads it back from its pg client to say which connection a query went out on; kept in a
 * module of its own because those run inside the program's process, where the proxy's code is not loaded.
 */
const PROXY_PROCESS_ID_BASE = 10_000;

export function backendPid(connection: number): number {
  return PROXY_PROCESS_ID_BASE + connection;
}

export function connectionOfBackendPid(pid: number): number {
  return pid - PROXY_PROCESS_ID_BASE;
}
