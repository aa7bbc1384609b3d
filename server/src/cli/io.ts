/** What a subcommand writes to, and whether each stream is a terminal: the process's streams (cli.ts) or a test's. */
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}
