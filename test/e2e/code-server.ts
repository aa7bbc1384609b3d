import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../support/paths';

/**
 * A real VS Code for end-to-end tests: code-server (VS Code's workbench served to a browser), installed
 * outside the repository by install-code-server.sh, with its own user-data and extensions folders so a
 * run never sees the developer's settings or extensions.
 */
export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'e2e');

export interface CodeServer {
  url: string;
  /** The folder code-server opened. */
  workspace: string;
  userDataDir: string;
  stop(): Promise<void>;
}

/** Installs code-server when missing (minutes the first time, instant afterwards); its executable. */
export function installCodeServer(): string {
  const output = execFileSync('bash', [path.join(REPO_ROOT, 'test', 'e2e', 'install-code-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return output.trim().split('\n').pop()!;
}

/** The code-server npm package folder (its VS Code is in lib/vscode) of the executable in node_modules/.bin. */
export function codeServerPackage(executable: string): string {
  return path.join(path.dirname(path.dirname(executable)), 'code-server');
}

/**
 * The platform package for this machine (`npm run package -- --target linux-x64`): the one users of this
 * platform install, and the one that carries the embedded PostgreSQL that "Dry Run Current File" uses
 * when no connection is configured. `universal`: the package for any platform, without PostgreSQL.
 */
export function buildVsix(options: { universal?: boolean } = {}): string {
  const target = `${process.platform}-${process.arch}`;
  const args = options.universal ? [] : ['--target', target];
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package.js'), ...args], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
  });
  return path.join(REPO_ROOT, 'dist', options.universal ? 'preflight.vsix' : `preflight-${target}.vsix`);
}

/** A copy of the example project (examples/), which reproduces the dedupe incident in 0003, in a new scratch folder. */
export function exampleWorkspace(prefix: string): string {
  const workspace = scratchDirectory(prefix);
  fs.cpSync(path.join(REPO_ROOT, 'examples'), workspace, { recursive: true });
  return workspace;
}

/** A folder (0755, so that the postgres user of an embedded server can traverse it) that the run owns. */
export function scratchDirectory(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  codeServer: string;
  vsix: string;
  workspace: string;
  /** User settings (settings.json). */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and so for the extension host and the language server. */
  env?: Record<string, string>;
  /**
   * Workspace Trust on, without the startup question: the folder opens in Restricted Mode, as an untrusted
   * repository does. Off by default (the folder is trusted).
   */
  restricted?: boolean;
}

export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const root = scratchDirectory('preflight-e2e-vscode-');
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { mode: 0o755 });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'security.workspace.trust.enabled': options.restricted === true,
        'security.workspace.trust.startupPrompt': 'never',
        'files.autoSave': 'off',
        ...options.settings,
      },
      null,
      2,
    ),
  );
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  execFileSync(options.codeServer, [...common, '--install-extension', options.vsix], { stdio: 'pipe' });

  const port = await freePort();
  const log = fs.openSync(path.join(ARTIFACTS, 'code-server.log'), 'w');
  const child: ChildProcess = spawn(
    options.codeServer,
    [
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      ...(options.restricted ? [] : ['--disable-workspace-trust']),
      '--disable-telemetry',
      '--disable-update-check',
      options.workspace,
    ],
    { stdio: ['ignore', log, log], detached: true, env: { ...process.env, ...options.env } },
  );
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(`${url}healthz`, child, 60_000);
  return {
    url,
    workspace: options.workspace,
    userDataDir,
    stop: async () => {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // code-server's own group: the extension host and the language server go with it.
        process.kill(-child.pid, 'SIGTERM');
        await Promise.race([exited, delay(10_000)]);
        if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
      }
      fs.closeSync(log);
      // The extension host keeps the server's log in the user-data folder: keep it with the artifacts.
      copyLogs(userDataDir);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`code-server exited with ${child.exitCode}; see test-artifacts/e2e/code-server.log`);
    const ok = await new Promise<boolean>((resolve) => {
      http
        .get(url, (response) => {
          response.resume();
          resolve(response.statusCode === 200);
        })
        .on('error', () => resolve(false));
    });
    if (ok) return;
    await delay(250);
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000} s`);
}

function copyLogs(userDataDir: string): void {
  const logs = path.join(userDataDir, 'logs');
  if (fs.existsSync(logs)) fs.cpSync(logs, path.join(ARTIFACTS, 'vscode-logs'), { recursive: true });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
