import * as fs from 'fs';
import { readUserText } from '../../source-files';

/**
 * Folder listings and small files around migrations, read once and kept until their modification time changes: the
 * language server recognises a runner on every keystroke, and a lint may then cost a `stat` per folder or file
 * looked at, never a walk or a read.
 */

const listings = new Map<string, { modified: number; names: Set<string> }>();

/** The entry names of a folder; undefined if it is not one or cannot be listed. */
export function listing(folder: string): Set<string> | undefined {
  const stat = statOf(folder);
  if (!stat?.isDirectory()) return undefined;
  const known = listings.get(folder);
  if (known && known.modified === stat.mtimeMs) return known.names;
  let names: Set<string>;
  try {
    names = new Set(fs.readdirSync(folder));
  } catch {
    return undefined;
  }
  listings.set(folder, { modified: stat.mtimeMs, names });
  return names;
}

/** What `read` makes of a small file (a settings file, a manifest), computed again only when the file changed. */
export function cachedFileReader<T>(read: (text: string) => T): (file: string) => T | undefined {
  const known = new Map<string, { modified: number; value: T | undefined }>();
  return (file) => {
    const stat = statOf(file);
    if (!stat?.isFile()) return undefined;
    const entry = known.get(file);
    if (entry && entry.modified === stat.mtimeMs) return entry.value;
    const text = readUserText(file, 1024 * 1024);
    const value = 'text' in text ? read(text.text) : undefined;
    known.set(file, { modified: stat.mtimeMs, value });
    return value;
  };
}

function statOf(entry: string): fs.Stats | undefined {
  try {
    return fs.statSync(entry, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
