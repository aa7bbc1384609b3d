import * as ts from 'typescript';
import type { FormatSettings } from '../resolved-config';
import type { TextEdit } from '../lint/rule';
import type { Dialect } from '../parse/dialect';
import { sqlArgument } from '../parse/host-sql';
import { unwrap } from '../parse/host-syntax';
import { extractHost } from '../parse/host';
import { LineIndex, Span, lineBreakOf } from '../parse/text';
import { FormatOutcome, formatStatements, textMeaning } from './sql';

/**
 * Formatting of the SQL that TS/JS migrations send in template literals, in place: the literal keeps its
 * indentation (a one-line literal that grows lines is indented one level under its line), and each `${}` hole
 * stays exactly as written — it is formatted as a placeholder name and put back. A literal is left as written,
 * with a note saying why, when it has escape sequences (its text is not the SQL), when its SQL does not parse,
 * or when formatting would change what it means. This module loads the TypeScript compiler.
 */
export function formatEmbeddedSql(
  filePath: string,
  text: string,
  settings: FormatSettings,
  dialect: Dialect,
  range?: Span,
): FormatOutcome {
  const host = extractHost(filePath, text);
  const lines = new LineIndex(text);
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  for (const template of sqlTemplates(host.calls.map((call) => call.node))) {
    const body = { start: template.getStart(host.source) + 1, end: template.end - 1 };
    if (range && (body.end < range.start || body.start > range.end)) continue;
    const line = lines.positionAt(body.start).line + 1;
    const outcome = formatTemplate(text, template, host.source, lines, settings, dialect);
    if ('reason' in outcome) notes.push(`the SQL on line ${line} was left as written: ${outcome.reason}`);
    else if (outcome.newText !== text.slice(body.start, body.end)) edits.push({ span: body, newText: outcome.newText });
  }
  return { edits, notes };
}

/** The template literals that query calls send as SQL (`knex.raw(\`...\`)`, `sql\`...\``), once each. */
function sqlTemplates(calls: ts.Node[]): ts.TemplateLiteral[] {
  const templates = new Set<ts.TemplateLiteral>();
  for (const node of calls) {
    const expression = ts.isTaggedTemplateExpression(node)
      ? node
      : ts.isCallExpression(node)
        ? sqlArgument(node.arguments[0])
        : undefined;
    const inner = expression && unwrap(expression);
    const template = inner && ts.isTaggedTemplateExpression(inner) ? inner.template : inner;
    if (template && (ts.isNoSubstitutionTemplateLiteral(template) || ts.isTemplateExpression(template)))
      templates.add(template);
  }
  return [...templates];
}

type TemplateOutcome = { newText: string } | { reason: string };

function formatTemplate(
  text: string,
  template: ts.TemplateLiteral,
  source: ts.SourceFile,
  lines: LineIndex,
  settings: FormatSettings,
  dialect: Dialect,
): TemplateOutcome {
  const start = template.getStart(source) + 1;
  const raw = text.slice(start, template.end - 1);
  const holes = holesOf(template, source).map((hole, i) => ({
    text: text.slice(hole.start, hole.end),
    start: hole.start - start,
    end: hole.end - start,
    placeholder: `__pf_hole_${i}`,
  }));
  let sql = '';
  let at = 0;
  for (const hole of holes) {
    sql += raw.slice(at, hole.start) + hole.placeholder;
    at = hole.end;
  }
  sql += raw.slice(at);
  // Outside the holes a template's text is its SQL only without escape sequences.
  if (holes.reduce((rest, hole) => rest.replace(hole.placeholder, ''), sql).includes('\\'))
    return { reason: 'it has escape sequences' };
  const meaning = textMeaning(sql, dialect, false);
  if (meaning === undefined)
    return { reason: 'Preflight cannot parse it, so it cannot check that formatting keeps its meaning' };
  let formatted: string;
  try {
    formatted = formatStatements(sql.trim(), settings, dialect, { psql: false });
  } catch (error) {
    return { reason: `sql-formatter cannot format it (${(error as Error).message.split('\n')[0]})` };
  }
  const laidOut = layOut(raw, formatted, lines, start, settings).replace(/\r?\n/g, lineBreakOf(text));
  if (textMeaning(laidOut, dialect, false) !== meaning) return { reason: 'formatting would change what it means' };
  let restored = laidOut;
  for (const hole of holes) {
    if (restored.split(hole.placeholder).length !== 2) return { reason: `formatting would move the hole ${hole.text}` };
    restored = restored.replace(hole.placeholder, () => hole.text);
  }
  return { newText: restored };
}

/** The `${...}` holes of a template, as file spans from `${` to `}`. */
function holesOf(template: ts.TemplateLiteral, source: ts.SourceFile): Span[] {
  if (!ts.isTemplateExpression(template)) return [];
  let previous: ts.Node = template.head;
  return template.templateSpans.map((span) => {
    const hole = { start: previous.end - 2, end: span.literal.getStart(source) + 1 };
    previous = span.literal;
    return hole;
  });
}

/**
 * The formatted SQL between the literal's own leading and trailing whitespace, its lines indented like the
 * literal's first line of SQL; a literal that held one line and now holds several starts on a new line, one
 * level deeper than the line it is on.
 */
function layOut(raw: string, formatted: string, lines: LineIndex, start: number, settings: FormatSettings): string {
  const lead = /^\s*/.exec(raw)![0];
  const trail = /\s*$/.exec(raw.slice(lead.length))![0];
  if (lead.includes('\n')) return lead + indent(formatted, lead.slice(lead.lastIndexOf('\n') + 1)) + trail;
  if (!formatted.includes('\n')) return lead + formatted + trail;
  const lineIndent = /^[ \t]*/.exec(lines.lineText(lines.positionAt(start).line))![0];
  const inner = lineIndent + ' '.repeat(settings.indent);
  return `\n${inner}${indent(formatted, inner)}\n${lineIndent}`;
}

function indent(text: string, prefix: string): string {
  return text.replace(/\n(?=[^\n])/g, `\n${prefix}`);
}
