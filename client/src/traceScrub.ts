import type { LogOutputChannel } from 'vscode';

/**
 * With `preflight.trace.server` set to `verbose`, the language client writes every message to the output
 * channel (and VS Code to its log files), params included, and `preflight.server.dryRun` carries the
 * connection's password from SecretStorage. The channel the client traces to masks it. Editor-independent,
 * so that tests can run it.
 */
const PASSWORD_FIELD = /("password"\s*:\s*)"(?:[^"\\]|\\.)*"/g;
const URL_PASSWORD = /(postgres(?:ql)?:\/\/[^:@/\s"]*:)[^@\s"]*@/gi;

export function scrubTrace(text: string): string {
  return text.replace(PASSWORD_FIELD, '$1"***"').replace(URL_PASSWORD, '$1***@');
}

const WRITES = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

/** `channel`, with whatever is written to it scrubbed by `scrubTrace`. */
export function scrubbingChannel(channel: LogOutputChannel): LogOutputChannel {
  return new Proxy(channel, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!WRITES.has(String(property))) return value.bind(target);
      return (message: unknown, ...rest: unknown[]) =>
        value.call(target, typeof message === 'string' ? scrubTrace(message) : message, ...rest);
    },
  });
}
