import * as fs from 'fs';

/**
 * Reading the files a repository holds — migrations, their siblings replayed for the schema, `schemaFile`, config —
 * which anyone who can open a pull request can plant. Every such read goes through `readUserFile`: only regular
 * files are read (a FIFO blocks a reader forever; a symlink to /dev/zero never ends), at most `cap` bytes (the
 * cap holds while reading, not after), and a file that cannot be read is that file's problem, never an exception
 * that ends the whole run.
 */

/** Larger files are reported, not read: a generated dump or a binary would take minutes and gigabytes to lint. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export type UserFileRead = { bytes: Buffer } | { problem: string };
export type UserText = { text: string } | { problem: string };

const CHUNK_BYTES = 64 * 1024;

/** The bytes of the regular file at `filePath` (symlinks followed), or why they cannot be read. Never throws. */
export function readUserFile(filePath: string, cap = MAX_FILE_BYTES): UserFileRead {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, forever. It changes nothing for the
    // regular files that are then read.
    fd = fs.openSync(filePath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    return { problem: `cannot be read: ${describeError(error)}` };
  }
  try {
    // Checked on the open descriptor: what is read is what was checked, even if the path is swapped meanwhile.
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { problem: `cannot be read: not a regular file (${kindOf(stat)})` };
    if (stat.size > cap) return { problem: tooLarge(stat.size, cap) };
    // The size can lie (files in /proc say 0) or change: read at most cap + 1 bytes, whatever it says.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, cap + 1 - total));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > cap) return { problem: tooLarge(total, cap, 'more than ') };
    }
    return { bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    return { problem: `cannot be read: ${describeError(error)}` };
  } finally {
    fs.closeSync(fd);
  }
}

/** The text of a user file, or why it cannot be linted (unreadable, too large, binary, not UTF-8). Never throws. */
export function readUserText(filePath: string, cap = MAX_FILE_BYTES): UserText {
  const read = readUserFile(filePath, cap);
  return 'bytes' in read ? decodeSource(read.bytes, cap) : read;
}

/** Bytes to text as every front end reads files: UTF-8 (a BOM dropped), no NUL bytes, at most `cap` bytes. */
export function decodeSource(bytes: Uint8Array, cap = MAX_FILE_BYTES): UserText {
  if (bytes.length > cap) return { problem: tooLarge(bytes.length, cap) };
  if (bytes.includes(0)) return { problem: 'binary file (contains NUL bytes): not linted' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    return { problem: 'file is not valid UTF-8: not linted' };
  }
}

function tooLarge(size: number, cap: number, qualifier = ''): string {
  return `file is too large to lint (${qualifier}${megabytes(size)} MB; the limit is ${megabytes(cap)} MB)`;
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'a special file';
}

const ERRNO_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'no such file',
  ENOTDIR: 'a folder on its path is not a folder',
  ELOOP: 'too many levels of symbolic links',
  EISDIR: 'not a regular file (a directory)',
  EIO: 'input/output error',
  ENXIO: 'not a regular file (a device or socket)',
};

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  return (code && ERRNO_WORDS[code]) ?? (code ? `error ${code}` : 'unknown error');
}
