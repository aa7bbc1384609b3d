import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { fixUntilStable } from '../lint/apply-fixes';
import type { LintResult } from '../lint/engine';
import { readUserFile } from '../source-files';

/** Enough for fixes that make room for each other; a loop that still changes the file after that is a bug. */
const MAX_FIX_PASSES = 5;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface FixedFile {
  /** The file's text after the fixes (the original when none applied). */
  text: string;
  /** The lint result of that text: what remains to report. */
  result: LintResult;
  applied: number;
}

/**
 * `preflight lint --fix` for one file: applies the safe fixes of its findings until none is left (or a few
 * passes), then writes the file back atomically. `original` is the file's bytes as read: a byte-order mark
 * is kept, and a file that changed on disk meanwhile is left alone, so an editor's unsaved-then-saved work
 * is never overwritten.
 */
export function fixFile(
  filePath: string,
  original: Uint8Array,
  text: string,
  lint: (text: string) => LintResult,
  log: (line: string) => void,
): FixedFile {
  const { text: fixed, result, appliedCount } = fixUntilStable(text, lint, MAX_FIX_PASSES);
  if (fixed === text) return { text, result, applied: 0 };
  try {
    rewriteFile(filePath, original, fixed);
  } catch (error) {
    log(`preflight: ${filePath}: not fixed: ${(error as Error).message}\n`);
    return { text, result: lint(text), applied: 0 };
  }
  log(`preflight: fixed ${appliedCount} problem${appliedCount === 1 ? '' : 's'} in ${filePath}\n`);
  return { text: fixed, result, applied: appliedCount };
}

/** Writes `text` over a file whose bytes were `original` (atomically, keeping its byte-order mark). */
export function rewriteFile(filePath: string, original: Uint8Array, text: string): void {
  const bom = Buffer.from(original.subarray(0, 3)).equals(UTF8_BOM) ? UTF8_BOM : Buffer.alloc(0);
  writeFileAtomically(filePath, Buffer.concat([bom, Buffer.from(text, 'utf8')]), original);
}

/**
 * Replaces the file's content through a temporary file in the same directory and a rename, so that a crash
 * or a full disk leaves either the old file or the new one, never half of each. Follows a symlink to its
 * target (renaming over the link would replace it), keeps the file's mode, and refuses when the file no
 * longer holds `expected`.
 */
export function writeFileAtomically(filePath: string, content: Buffer, expected: Uint8Array): void {
  const target = fs.realpathSync(filePath);
  const current = readUserFile(target);
  if (!('bytes' in current) || !current.bytes.equals(Buffer.from(expected))) {
    throw new Error('the file changed on disk while it was being fixed');
  }
  const { mode } = fs.statSync(target);
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${crypto.randomBytes(6).toString('hex')}.preflight-fix`,
  );
  try {
    const fd = fs.openSync(temporary, 'wx', mode);
    try {
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(temporary, mode);
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
