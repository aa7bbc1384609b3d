import * as path from 'path';
import { pathToFileURL } from 'url';
import { Connection, Diagnostic as LspDiagnostic, DiagnosticSeverity, MessageType } from 'vscode-languageserver/node';
import type { ConfigError } from '../config';
import { LineIndex, Span } from '../parse/text';
import { readUserText } from '../source-files';
import { SOURCE, toRange } from './diagnostics';
import { showMessage } from './messages';

/**
 * Tells the user about a broken config once, not on every keystroke: one notification per problem and
 * one diagnostic on the offending key of the config file, until that file changes. The server keeps
 * serving; the files the config covers show why they are not linted (see `configErrorDiagnostic`).
 */
export class ConfigProblems {
  /** Config file (or setting) → the problem already announced for it, and the file's text it was found in. */
  private readonly announced = new Map<string, { message: string; text: string | undefined }>();

  constructor(private readonly connection: Connection) {}

  report(error: ConfigError): void {
    if (this.announced.get(error.file)?.message === error.message) return;
    const text = readConfigText(error.file);
    this.announced.set(error.file, { message: error.message, text });
    showMessage(this.connection, MessageType.Error, error.message);
    if (text === undefined) return;
    const lines = new LineIndex(text);
    void this.connection.sendDiagnostics({
      uri: pathToFileURL(error.file).href,
      diagnostics: [
        {
          range: toRange(
            lines,
            locateConfigKey(text, error.key, error.message, path.basename(error.file) === 'package.json'),
          ),
          severity: DiagnosticSeverity.Error,
          source: SOURCE,
          message: error.message.slice(error.file.length + 2),
        },
      ],
    });
  }

  /** `file` changed: clear what was said about it, so a problem that remains is reported afresh. */
  forget(file: string): void {
    if (!this.announced.delete(file)) return;
    if (path.isAbsolute(file)) void this.connection.sendDiagnostics({ uri: pathToFileURL(file).href, diagnostics: [] });
  }

  /**
   * Config files changed: forgets what was said about each whose text is not the one its problem was found in. A
   * lint can read a new config file before the editor's file watcher reports it; that problem is not told twice.
   */
  forgetChanged(): void {
    for (const [file, { text }] of this.announced)
      if (text === undefined || readConfigText(file) !== text) this.forget(file);
  }
}

/** Shown on the first line of a file that a broken config covers, instead of findings that could be wrong. */
export function configErrorDiagnostic(error: ConfigError, lines: LineIndex): LspDiagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: lines.lineEnd(0) } },
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    message: `Preflight did not lint this file because its config is invalid: ${error.message}`,
  };
}

function readConfigText(file: string): string | undefined {
  if (!path.isAbsolute(file)) return undefined;
  const read = readUserText(file);
  return 'text' in read ? read.text : undefined;
}

/**
 * Where the key a ConfigError names (`rules.some-rule`, `migrations[2]`, `(json)`) is written: each name of
 * the path is searched after the previous one, inside the `preflight` object of a package.json.
 */
function locateConfigKey(text: string, key: string, message: string, inPackageJson: boolean): Span {
  if (key === '(json)') {
    const at = /at position (\d+)/.exec(message);
    const offset = at ? Math.min(Number(at[1]), text.length) : 0;
    return { start: offset, end: Math.min(offset + 1, text.length) };
  }
  const names = [
    ...(inPackageJson ? ['preflight'] : []),
    ...key.split(/[.[\]]/).filter((name) => name && !/^\d+$/.test(name)),
  ];
  let found: Span = { start: 0, end: 0 };
  let from = 0;
  for (const name of names) {
    const at = text.indexOf(JSON.stringify(name), from);
    if (at < 0) break;
    found = { start: at, end: at + JSON.stringify(name).length };
    from = found.end;
  }
  return found;
}
