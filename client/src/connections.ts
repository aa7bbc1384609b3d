import * as vscode from 'vscode';
import type { DryRunArguments } from '../../shared/protocol';
import { describeUrl, passwordInConnectionString, separatePassword, validUrl } from './connectionStrings';

/**
 * Named database connections for dry-runs. The URL (host, port, database, user) lives in the
 * `preflight.connections` setting, which people commit, sync and paste into bug reports; the password
 * lives only in VS Code's SecretStorage (the OS keychain) under `preflight.connection.<name>`.
 */
export interface ConnectionSetting {
  name: string;
  url: string;
}

/** What the client sends with `preflight.server.dryRun`: no connection means the embedded database. */
export type DryRunConnection = NonNullable<DryRunArguments['connection']>;

/** A problem the user has to fix before a dry-run can start; the message is shown as is. */
export class ConnectionProblem extends Error {}

const SECTION = 'preflight';
const ADD_CONNECTION = 'Add Database Connection';

export function secretKey(name: string): string {
  return `preflight.connection.${name}`;
}

export class Connections implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the connection list or the selected connection changes. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private readonly warnedAbout = new Set<string>();
  /** Whether this installation has the embedded PostgreSQL (the language server says so when it starts). */
  private embeddedInstalled = true;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${SECTION}.connections`)) this.warnAboutPasswordsInSettings();
        if (
          event.affectsConfiguration(`${SECTION}.connections`) ||
          event.affectsConfiguration(`${SECTION}.defaultConnection`)
        )
          this.changed.fire();
      }),
    ];
  }

  /** Connections from settings; malformed entries are skipped (VS Code's settings editor flags them). */
  list(): ConnectionSetting[] {
    const raw = vscode.workspace.getConfiguration(SECTION).get<unknown[]>('connections') ?? [];
    return raw.filter(
      (entry): entry is ConnectionSetting =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as ConnectionSetting).name === 'string' &&
        typeof (entry as ConnectionSetting).url === 'string',
    );
  }

  /** The selected connection's name; '' means the embedded database. */
  selectedName(): string {
    return vscode.workspace.getConfiguration(SECTION).get<string>('defaultConnection') ?? '';
  }

  /** The label for the status bar and progress titles; never claims an embedded database the package lacks. */
  label(name = this.selectedName()): string {
    if (name !== '') return name;
    return this.embeddedInstalled ? 'embedded PostgreSQL' : 'no database selected';
  }

  setEmbeddedInstalled(installed: boolean): void {
    if (installed === this.embeddedInstalled) return;
    this.embeddedInstalled = installed;
    this.changed.fire();
  }

  /**
   * Warns once per offending connection that a password in settings is refused, and says how to fix it.
   * Called on activation and whenever the setting changes.
   */
  warnAboutPasswordsInSettings(): void {
    for (const connection of this.list()) {
      if (!passwordInConnectionString(connection.url) || this.warnedAbout.has(connection.name)) continue;
      this.warnedAbout.add(connection.name);
      void vscode.window
        .showWarningMessage(
          `Preflight: the connection "${connection.name}" in settings contains a password, so it is not used. ` +
            `Remove the password from its URL in "preflight.connections" and run "Preflight: ${ADD_CONNECTION}" ` +
            'to keep the password in the OS keychain instead.',
          ADD_CONNECTION,
          'Open Settings',
        )
        .then((choice) => {
          if (choice === ADD_CONNECTION) void vscode.commands.executeCommand('preflight.addConnection');
          if (choice === 'Open Settings')
            void vscode.commands.executeCommand('workbench.action.openSettings', 'preflight.connections');
        });
    }
  }

  /**
   * The connection a dry-run uses: `name` when a code lens names one, else the selected connection.
   * Undefined means the embedded database. Throws ConnectionProblem with a message for the user.
   */
  async resolve(name = this.selectedName()): Promise<DryRunConnection | undefined> {
    if (name === '') {
      if (vscode.workspace.getConfiguration(SECTION).get<boolean>('dryRun.embedded') === false) {
        throw new ConnectionProblem(
          'No database selected for dry-runs and the embedded database is disabled ("preflight.dryRun.embedded"). ' +
            `Run "Preflight: Select Database Connection" or "Preflight: ${ADD_CONNECTION}".`,
        );
      }
      return undefined;
    }
    const connection = this.list().find((candidate) => candidate.name === name);
    if (!connection) {
      throw new ConnectionProblem(
        `There is no connection named "${name}" in "preflight.connections". Run "Preflight: ${ADD_CONNECTION}".`,
      );
    }
    if (passwordInConnectionString(connection.url)) {
      throw new ConnectionProblem(
        `The connection "${name}" has a password in settings, so it is not used. Remove the password from its URL ` +
          `and run "Preflight: ${ADD_CONNECTION}" to store it in the OS keychain.`,
      );
    }
    const password = await this.secrets.get(secretKey(name));
    return { name, url: connection.url, ...(password ? { password } : {}) };
  }

  /** "Preflight: Add Database Connection": name, URL, password (to SecretStorage), then selects it. */
  async add(): Promise<void> {
    const existing = this.list();
    const name = await vscode.window.showInputBox({
      title: `Preflight: ${ADD_CONNECTION} (1/3)`,
      prompt: 'A short name for this database, shown in the status bar and code lenses',
      placeHolder: 'staging',
      ignoreFocusOut: true,
      validateInput: (value) => (/^[\w.-]+$/.test(value.trim()) ? undefined : 'Use letters, digits, ".", "-" or "_"'),
    });
    if (name === undefined) return;
    const trimmedName = name.trim();
    const given = await vscode.window.showInputBox({
      title: `Preflight: ${ADD_CONNECTION} (2/3)`,
      prompt: 'Connection URL (a password in it is moved to the OS keychain, never to settings)',
      placeHolder: 'postgres://app@localhost:5432/app_development',
      value: existing.find((c) => c.name === trimmedName)?.url,
      ignoreFocusOut: true,
      validateInput: (value) => (validUrl(value.trim()) ? undefined : 'Expected postgres://user@host:port/database'),
    });
    if (given === undefined) return;
    const { url, password: fromUrl } = separatePassword(given.trim());
    const password =
      fromUrl ??
      (await vscode.window.showInputBox({
        title: `Preflight: ${ADD_CONNECTION} (3/3)`,
        prompt: 'Password (stored in the OS keychain; leave empty to use ~/.pgpass or PGPASSWORD)',
        password: true,
        ignoreFocusOut: true,
      }));
    if (password === undefined) return;

    if (password === '') await this.secrets.delete(secretKey(trimmedName));
    else await this.secrets.store(secretKey(trimmedName), password);
    const connections = [...existing.filter((c) => c.name !== trimmedName), { name: trimmedName, url }];
    // User settings: a connection (and its keychain entry) belongs to this machine, not to the repository.
    await vscode.workspace
      .getConfiguration(SECTION)
      .update('connections', connections, vscode.ConfigurationTarget.Global);
    await this.select(trimmedName);
    void vscode.window.showInformationMessage(`Preflight: dry-runs now use "${trimmedName}" (${describeUrl(url)}).`);
  }

  /** "Preflight: Select Database Connection": the embedded database or a named connection. */
  async pick(): Promise<void> {
    type Item = vscode.QuickPickItem & { connection?: string; add?: true };
    const selected = this.selectedName();
    const items: Item[] = [
      {
        label: '$(server-process) Embedded PostgreSQL',
        description: selected === '' ? 'selected' : undefined,
        detail: 'A local throwaway server that replays the earlier migrations first',
        connection: '',
      },
      ...this.list().map((c): Item => ({
        label: `$(database) ${c.name}`,
        description: c.name === selected ? 'selected' : undefined,
        detail: passwordInConnectionString(c.url)
          ? 'Not usable: remove the password from its URL in settings'
          : describeUrl(c.url),
        connection: c.name,
      })),
      { label: `$(add) ${ADD_CONNECTION}…`, add: true },
    ];
    const choice = await vscode.window.showQuickPick(items, {
      title: 'Preflight: Select Database Connection',
      placeHolder: 'Database for dry-runs',
    });
    if (!choice) return;
    if (choice.add) return this.add();
    if (choice.connection !== undefined) await this.select(choice.connection);
  }

  /**
   * The selection lives where the connections do, in user settings: a repository's `.vscode/settings.json` is
   * shared, a connection (and its keychain entry) is this machine's. A value the workspace set would win over
   * it, so it is removed; choosing the embedded database removes the setting rather than writing `""`.
   */
  private async select(name: string): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const inspected = config.inspect<string>('defaultConnection');
    if (inspected?.workspaceFolderValue !== undefined) {
      const folder =
        vscode.window.activeTextEditor &&
        vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri);
      if (folder)
        await vscode.workspace
          .getConfiguration(SECTION, folder.uri)
          .update('defaultConnection', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    if (inspected?.workspaceValue !== undefined)
      await config.update('defaultConnection', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('defaultConnection', name === '' ? undefined : name, vscode.ConfigurationTarget.Global);
    this.changed.fire();
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}
