import * as path from 'path';
import type { ReportContext, ReportFile } from './types';

/**
 * A file's path as code hosts match it to the code: relative to the repository root, with `/`. GitHub
 * code scanning, annotations and GitLab's widget all resolve paths against the checkout's root, whatever
 * directory the command ran in. Files outside the root keep the path the user gave.
 */
export function repositoryPath(file: ReportFile, context: ReportContext): string {
  if (context.sourceRoot) {
    const relative = path.relative(context.sourceRoot, file.absolutePath);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return toSlashes(relative);
  }
  return toSlashes(file.displayPath).replace(/^(\.\/)+/, '');
}

function toSlashes(filePath: string): string {
  return filePath.split(path.sep).join('/');
}

/** A link to lines of a file: `path#L3-L5`, or absolute under `--link-base` (a `.../blob/<sha>` URL). */
export function lineLink(file: ReportFile, context: ReportContext, line: number, endLine = line): string {
  const encoded = repositoryPath(file, context).split('/').map(encodeURIComponent).join('/');
  const anchor = endLine > line ? `#L${line}-L${endLine}` : `#L${line}`;
  const base = context.linkBase?.replace(/\/+$/, '');
  return base ? `${base}/${encoded}${anchor}` : `${encoded}${anchor}`;
}
