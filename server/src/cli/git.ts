import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from './usage';

/**
 * The root of the git work tree that contains `dir` (found by walking up to `.git`, a folder or, in
 * worktrees and submodules, a file), or undefined outside a repository.
 */
export function repositoryRoot(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * Absolute real paths of the files added, copied, modified or renamed since `ref`: what the branch changed
 * since it left `ref` (`git diff REF...HEAD`, as a pull request shows it), plus staged, unstaged and
 * untracked files, so a local run before committing sees the same set as CI after pushing.
 */
export function changedFilesSince(ref: string, cwd: string): Set<string> {
  const toplevel = git(
    ['rev-parse', '--show-toplevel'],
    cwd,
    () => `--changed-since needs a git repository (${cwd} is not inside one)`,
  ).trim();
  const root = fs.realpathSync(toplevel);
  git(
    ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
    root,
    () =>
      `--changed-since: "${ref}" is not a commit in this repository (in CI, fetch it first, e.g. \`git fetch origin main\`)`,
  );
  const lists = [
    git(
      ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=ACMR', `${ref}...HEAD`],
      root,
      (stderr) =>
        `--changed-since: git cannot tell where HEAD branched off "${ref}" (${firstLine(stderr)}); a shallow CI checkout needs more history (actions/checkout with fetch-depth: 0)`,
    ),
    git(['diff', '--name-only', '-z', '--no-renames', '--diff-filter=ACMR', 'HEAD'], root, gitFailed),
    git(['ls-files', '--others', '--exclude-standard', '-z'], root, gitFailed),
  ];
  const changed = new Set<string>();
  for (const list of lists) {
    for (const name of list.split('\0')) if (name) changed.add(path.join(root, name));
  }
  return changed;
}

function git(args: string[], cwd: string, problem: (stderr: string) => string): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError('--changed-since needs git, which is not installed or not on PATH');
    throw new UsageError(problem(String((error as { stderr?: unknown }).stderr ?? '')));
  }
}

function gitFailed(stderr: string): string {
  return `--changed-since: git failed: ${firstLine(stderr)}`;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] || 'no output';
}
