import * as fs from 'fs';

/**
 * The resident memory of another process (the language server), in MB, from /proc/<pid>/status (Linux):
 * what the operating system charges the server for, garbage not yet collected included. Undefined when
 * /proc has no such process (it exited, or this is not Linux).
 */
export function residentMegabytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
