/**
 * The editor's counterpart of `--allow-remote`. The language server refuses a dry-run on a server that is not
 * on this machine unless the request says the user agreed (`allowRemote`), and names the host in the error's
 * `data.remoteHost`; the client then asks, in a modal, because a dry-run takes real locks on that server's
 * tables while it runs, even though it rolls back. Editor-independent, so that tests can run it.
 */

/** The host of a dry-run the server refused because it is not on this machine, if `error` is that refusal. */
export function refusedRemoteHost(error: unknown): string | undefined {
  const data = (error as { data?: { remoteHost?: unknown } } | undefined)?.data;
  return typeof data?.remoteHost === 'string' ? data.remoteHost : undefined;
}

export const RUN_ON_REMOTE = 'Run Dry-Run';

/** The modal's question. */
export function remoteConsentQuestion(host: string, connectionName: string | undefined, fileName: string): string {
  const connection = connectionName ? `"${connectionName}" (${host})` : host;
  return (
    `Dry-run ${fileName} on ${connection}? It is not on this machine. The dry-run rolls back, but while it runs it ` +
    `holds real locks on that server's tables, and other sessions there wait for them.`
  );
}

/** Which connection a consent is for: it lasts until the window closes, and a changed URL asks again. */
export function consentKey(connection: { name?: string; url: string }): string {
  return `${connection.name ?? ''}\n${connection.url}`;
}
