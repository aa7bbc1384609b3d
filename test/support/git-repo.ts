import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A throwaway git repository for tests of `--changed-since` and the CI recipes. */
export class TempGitRepo {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-git-'));

  constructor() {
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'ci@example.com');
    this.git('config', 'user.name', 'CI');
    this.git('config', 'commit.gpgsign', 'false');
  }

  write(files: Record<string, string>): this {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(this.dir, name)), { recursive: true });
      fs.writeFileSync(path.join(this.dir, name), content);
    }
    return this;
  }

  commit(message: string, files: Record<string, string> = {}): this {
    this.write(files);
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }
}
