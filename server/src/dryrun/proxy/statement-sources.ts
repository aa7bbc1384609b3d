import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { StatementReport } from '../../../../shared/protocol';
import { parseMigration } from '../../parse/migration';
import { readUserText } from '../../source-files';
import type { SourceNote } from './statement-source-notes';
import { connectionOfBackendPid } from './backend-pid';

/** Extensions of the files Preflight extracts statements from, for the statements no stack frame placed. */
const EXTRACTED = /\.(sql|js|cjs|mjs|ts|cts|mts)$/;
/** How many notes of a connection a unit may skip looking for its own (queries pg failed before sending, ...). */
const LOOKAHEAD = 8;

/**
 * Where each statement of a program came from. A JS/TS script's preload notes, per query, the frame of the
 * script's own code that sent it (statement-source-capture.ts); the proxy notes where each unit (a simple query,
 * or extended-protocol messages up to Sync) of each connection begins among the reports. After the program
 * ended, the notes of a connection and its units are walked side by side, each match checked by the statement's
 * text. Statements that no note placed (a Python program, psql) are matched by text against the statements
 * Preflight extracts statically from the files the command names.
 */
export class StatementSources {
  /** The file the preload appends its notes to, in a directory only this process's user can read. */
  readonly notesFile: string;
  private readonly units: { connection: number; firstReport: number }[] = [];
  private readonly fileLines = new Map<string, string[] | undefined>();
  /** The call written at each position of a note (`callAt`). */
  private readonly calls = new Map<string, string>();

  constructor() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-sources-'));
    this.notesFile = path.join(dir, 'notes.jsonl');
  }

  /** A unit of `connection` begins: its statements are reported from index `firstReport` on. */
  unitBegins(connection: number, firstReport: number): void {
    const last = this.units[this.units.length - 1];
    if (last?.firstReport === firstReport) this.units.pop();
    this.units.push({ connection, firstReport });
  }

  /**
   * Sets `source` (and `line`, where the source is `reportFile` itself) on the reports. `staticFiles`: the files
   * whose statically extracted statements place what no note did.
   */
  attach(reports: StatementReport[], reportFile: string, staticFiles: string[]): void {
    const notes = this.readNotes();
    const pointer = new Map<number, number>();
    this.units.forEach((unit, i) => {
      const end = this.units[i + 1]?.firstReport ?? reports.length;
      const own = reports.slice(unit.firstReport, end).filter((report) => report.connection === unit.connection);
      const queue = notes.get(unit.connection);
      if (own.length === 0 || !queue) return;
      const from = pointer.get(unit.connection) ?? 0;
      // The preload keeps the first 2,000 characters of a query: its start is what is compared.
      const wanted = signature(own[0].sql).slice(0, 500);
      for (let k = from; k < Math.min(queue.length, from + LOOKAHEAD); k++) {
        if (!signature(queue[k].text).includes(wanted)) continue;
        pointer.set(unit.connection, k + 1);
        const note = queue[k];
        const source = { file: note.file, line: note.line, call: this.callAt(note) };
        for (const report of own) place(report, source, reportFile);
        return;
      }
    });
    const unplaced = reports.filter((report) => !report.source);
    if (unplaced.length === 0) return;
    for (const file of staticFiles) {
      const lines = staticStatementLines(file);
      for (const report of unplaced) {
        const line = !report.source ? lines.get(signature(report.sql)) : undefined;
        if (line !== undefined) place(report, { file, line }, reportFile);
      }
    }
  }

  /** Removes the notes file and its directory. */
  dispose(): void {
    fs.rmSync(path.dirname(this.notesFile), { recursive: true, force: true });
  }

  private readNotes(): Map<number, SourceNote[]> {
    const byConnection = new Map<number, SourceNote[]>();
    let text = '';
    try {
      text = fs.readFileSync(this.notesFile, 'utf8');
    } catch {
      return byConnection;
    }
    for (const line of text.split('\n')) {
      let note: SourceNote;
      try {
        note = JSON.parse(line) as SourceNote;
      } catch {
        continue;
      }
      if (typeof note?.pid !== 'number' || typeof note.file !== 'string' || typeof note.text !== 'string') continue;
      const connection = connectionOfBackendPid(note.pid);
      const notes = byConnection.get(connection);
      if (notes) notes.push(note);
      else byConnection.set(connection, [note]);
    }
    return byConnection;
  }

  /**
   * The call as the program wrote it, read from its file at the frame's position (`this.client.query`,
   * `knex(…).where(…).update`); the stack's own name (`Client.query`) when the text says nothing.
   */
  private callAt(note: SourceNote): string {
    // A loop sends thousands of statements from one position.
    const position = `${note.column}:${note.line}:${note.file}`;
    let call = this.calls.get(position);
    if (call === undefined) {
      call = this.callWrittenAt(note);
      this.calls.set(position, call);
    }
    return call;
  }

  private callWrittenAt(note: SourceNote): string {
    if (!this.fileLines.has(note.file)) {
      const read = readUserText(note.file);
      this.fileLines.set(note.file, 'text' in read ? read.text.split(/\r?\n/) : undefined);
    }
    const text = this.fileLines.get(note.file)?.[note.line - 1];
    return (text && callExpression(text, note.column)) || note.callee;
  }
}

/**
 * The call expression at `column` (1-based) of a line, without its own arguments. V8 places a method call's frame
 * at the method's name (the receiver is read back from before it), an async frame at its `await`, and a tagged
 * template's (postgres-js: sql`...`) at its template, whose tag is the call.
 */
export function callExpression(text: string, column: number): string | undefined {
  let at = column - 1;
  if (text[at] === '`') return TEMPLATE_TAG.exec(text.slice(0, at))?.[0].replace(/\s+/g, '');
  const keyword = /^(?:await|return|yield)\s+/.exec(text.slice(at));
  if (keyword) at += keyword[0].length;
  const receiver = keyword ? '' : (/(?:[A-Za-z_$][\w$]*\s*\??\.\s*)+$/.exec(text.slice(0, at))?.[0] ?? '');
  const chain: string[] = [];
  let rest = text.slice(at);
  for (;;) {
    const member = (chain.length === 0 ? /^()([A-Za-z_$][\w$]*)/ : /^\s*(\??\.)\s*([A-Za-z_$][\w$]*)/).exec(rest);
    if (member) {
      chain.push(`${member[1]}${member[2]}`);
      rest = rest.slice(member[0].length);
      continue;
    }
    const open = chain.length > 0 ? /^\s*\(/.exec(rest) : null;
    const close = open ? closingParenthesis(rest, open[0].length) : -1;
    if (close < 0) break;
    chain.push(rest.slice(open![0].length, close).trim() === '' ? '()' : '(…)');
    rest = rest.slice(close + 1);
  }
  while (chain[chain.length - 1]?.startsWith('(')) chain.pop();
  return chain.length > 0 ? receiver.replace(/\s+/g, '') + chain.join('') : undefined;
}

/** The tag before a template literal: a name, or a member chain (`this.sql`, `tx`). */
const TEMPLATE_TAG = /(?:[A-Za-z_$][\w$]*\s*\??\.\s*)*[A-Za-z_$][\w$]*\s*$/;

/** The index of the `)` that closes the parenthesis before `from`, on this line; -1 when it closes later. */
function closingParenthesis(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === '"' || char === "'" || char === '`') {
      const end = text.indexOf(char, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i;
  }
  return -1;
}

function place(report: StatementReport, source: NonNullable<StatementReport['source']>, reportFile: string): void {
  report.source = source.call ? source : { file: source.file, line: source.line };
  if (source.file === reportFile) {
    report.line = source.line;
    report.endLine = source.line;
    // The error is where the statement is: the line that sent it, from its start (its column within the SQL is not
    // in this file; an editor underlines the line from there).
    if (report.error) Object.assign(report.error, { line: source.line, endLine: source.line, column: 1, endColumn: 1 });
  }
}

/**
 * A statement's text compared across its forms: as the program sent it and as the report shows it, formatted
 * (sql-formatter changes only whitespace with the dry-run's keyword case `preserve`).
 */
function signature(sql: string): string {
  return sql.replace(/\s+/g, '').replace(/;+$/, '').toLowerCase();
}

/** Signature → line of the first statement Preflight extracts statically from `file` with that text. */
function staticStatementLines(file: string): Map<string, number> {
  const lines = new Map<string, number>();
  const read = EXTRACTED.test(file) ? readUserText(file) : undefined;
  if (!read || !('text' in read)) return lines;
  const migration = parseMigration(file, read.text, {});
  for (const statement of migration.statements) {
    const key = signature(statement.text);
    if (!lines.has(key)) lines.set(key, migration.lines.positionAt(statement.fileSpan.start).line + 1);
  }
  return lines;
}

/** The files a command names (`psql -f fix.sql`, `node scripts/fix.js`) that Preflight can extract statements from. */
export function filesNamedBy(command: string, cwd: string): string[] {
  return command
    .split(/\s+/)
    .map((word) => word.replace(/^['"]|['"]$/g, '').replace(/^--?[\w-]+=/, ''))
    .filter((word) => EXTRACTED.test(word))
    .map((word) => path.resolve(cwd, word))
    .filter((file) => fs.existsSync(file));
}
