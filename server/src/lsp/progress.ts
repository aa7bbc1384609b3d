import { CancellationToken, Connection, ProgressToken, WorkDoneProgress } from 'vscode-languageserver/node';

/** Progress of one long command, shown by the client; `signal` aborts when the user cancels it. */
export interface CommandProgress {
  report(message: string, percentage?: number): void;
  done(): void;
  readonly signal: AbortSignal;
}

/**
 * `$/progress` on the token the client sent with its request (`workDoneToken`), or on one the server
 * creates (`window/workDoneProgress/create`) when the client supports that; silent otherwise. Cancelling
 * the request (`$/cancelRequest`) or the progress (`window/workDoneProgress/cancel`) aborts `signal`.
 */
export async function startProgress(
  connection: Connection,
  title: string,
  clientToken: ProgressToken | undefined,
  canCreate: boolean,
  cancellation: CancellationToken,
): Promise<CommandProgress> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const listeners = [cancellation.onCancellationRequested(abort)];
  if (cancellation.isCancellationRequested) abort();
  let report: (message: string, percentage?: number) => void = () => undefined;
  let done: () => void = () => undefined;

  if (clientToken !== undefined) {
    void connection.sendProgress(WorkDoneProgress.type, clientToken, { kind: 'begin', title, cancellable: true });
    report = (message, percentage) =>
      void connection.sendProgress(WorkDoneProgress.type, clientToken, { kind: 'report', message, percentage });
    done = () => void connection.sendProgress(WorkDoneProgress.type, clientToken, { kind: 'end' });
  } else if (canCreate) {
    const reporter = await connection.window.createWorkDoneProgress();
    reporter.begin(title, undefined, undefined, true);
    listeners.push(reporter.token.onCancellationRequested(abort));
    report = (message, percentage) =>
      percentage === undefined ? reporter.report(message) : reporter.report(percentage, message);
    done = () => reporter.done();
  }
  return {
    report,
    done: () => {
      listeners.forEach((listener) => listener.dispose());
      done();
    },
    signal: controller.signal,
  };
}
