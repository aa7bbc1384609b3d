import * as fs from 'fs';
import * as path from 'path';
import { REPORTERS } from '../report';
import type { ReportContext, ReportFile } from '../report/types';
import { changedFilesSince, repositoryRoot } from './git';
import type { CommandIO } from './io';
import { inShard, parseShard } from './shard';
import { UsageError } from './usage';

/** Options shared by `lint` and `check`: which files a CI job looks at, and how the report links to them. */
export const REVIEW_OPTIONS = {
  'changed-since': { type: 'string' },
  shard: { type: 'string' },
  'link-base': { type: 'string' },
  report: { type: 'string', multiple: true },
} as const;

export const REVIEW_USAGE = `  --changed-since <ref>    only files added or changed since the branch left <ref>, plus uncommitted ones
                           (earlier migrations still provide the schema)
  --shard <i/n>            only the i-th of n parts of the files, split by a hash of each path (CI matrices)
  --link-base <url>        link lines absolutely in markdown/html: <url>/<path>#L3-L5
                           (e.g. https://github.com/OWNER/REPO/blob/COMMIT)
  --report <format>=<file> also write the report in this format to a file (repeatable): one run, so one
                           dry-run, feeds annotations, a PR comment and code scanning
`;

export interface ReviewValues {
  'changed-since'?: string;
  shard?: string;
  'link-base'?: string;
  report?: string[];
}

/** Narrows collected migration files to the changed ones and to this job's shard, keeping their order. */
export function selectFiles(files: string[], values: ReviewValues, cwd = process.cwd()): string[] {
  let selected = files;
  if (values['changed-since'] !== undefined) {
    const changed = changedFilesSince(values['changed-since'], cwd);
    selected = selected.filter((file) => changed.has(realPath(file)));
  }
  if (values.shard !== undefined) {
    const shard = parseShard(values.shard);
    const root = repositoryRoot(cwd) ?? cwd;
    selected = selected.filter((file) =>
      inShard(path.relative(root, path.resolve(file)).split(path.sep).join('/'), shard),
    );
  }
  return selected;
}

/** How reporters render for this run: colours on a terminal, annotations in GitHub Actions, paths from the repository root. */
export function reportContext(values: ReviewValues, io: CommandIO, cwd = process.cwd()): ReportContext {
  const linkBase = values['link-base'];
  if (linkBase !== undefined && !/^https?:\/\/[^/]+/.test(linkBase)) {
    throw new UsageError(
      `--link-base must be an http(s) URL such as https://github.com/OWNER/REPO/blob/COMMIT (got "${linkBase}")`,
    );
  }
  return {
    color: io.stdoutIsTTY && !process.env.NO_COLOR,
    sourceRoot: repositoryRoot(cwd) ?? path.resolve(cwd),
    linkBase,
    githubActions: process.env.GITHUB_ACTIONS === 'true',
  };
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(path.resolve(file));
  } catch {
    return path.resolve(file);
  }
}

export interface FileReport {
  format: string;
  file: string;
}

/** Reads `--report sarif=preflight.sarif` options; checked before any work so a typo fails fast. */
export function fileReports(values: ReviewValues): FileReport[] {
  return (values.report ?? []).map((spec) => {
    const match = /^([a-z]+)=(.+)$/.exec(spec);
    if (!match) throw new UsageError(`--report must be <format>=<file>, e.g. sarif=preflight.sarif (got "${spec}")`);
    if (!REPORTERS[match[1]])
      throw new UsageError(`--report: unknown format "${match[1]}" (one of ${Object.keys(REPORTERS).join(', ')})`);
    return { format: match[1], file: match[2] };
  });
}

/** Writes the `--report` files: plain text, no colours, no workflow commands. */
export function writeFileReports(outputs: FileReport[], reports: ReportFile[], context: ReportContext): void {
  for (const { format, file } of outputs) {
    try {
      fs.writeFileSync(file, REPORTERS[format](reports, { ...context, color: false, githubActions: false }));
    } catch (error) {
      throw new UsageError(`--report: cannot write ${file}: ${(error as Error).message}`);
    }
  }
}
