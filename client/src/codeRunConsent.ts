/**
 * Running a file's code is a trust decision (issue 13). The language server refuses a dry-run that would run the
 * file itself (a plain script, run through the transaction proxy) unless the request says the user agreed
 * (`runCode`), with `data.runsCode`; the client asks once per workspace, in a modal, before the first such run,
 * and remembers the answer in the workspace's state. In Restricted Mode no dry-run starts at all (trust.ts).
 * Editor-independent, so that tests can run it.
 */

/** Whether `error` is the server's refusal to run the file's code without the user's agreement. */
export function refusedCodeRun(error: unknown): boolean {
  return (error as { data?: { runsCode?: unknown } } | undefined)?.data?.runsCode === true;
}

export const RUN_CODE = 'Run';

/** The workspaceState key that remembers the user agreed, for this workspace. */
export const CODE_RUN_CONFIRMED = 'preflight.dryRun.codeRunConfirmed';

/** The modal's question: what runs, what the rollback covers, and what it does not. */
export function codeRunQuestion(fileName: string): string {
  return (
    `Dry-running ${fileName} runs its code: Preflight starts it with node, as a terminal would. Its database ` +
    "connections reach only the dry-run's transaction, which is rolled back; what it does outside PostgreSQL " +
    '(files, HTTP requests, queued messages) stays done. Preflight asks once for this workspace.'
  );
}
