import { parseFragment, type Statement } from '../../parse/sql';
import type { SqlFragment } from '../../parse/fragment';
import type { Span } from '../../parse/text';

/** SQL as a client sent it over the wire: no file behind it, no psql meta-commands, offsets are its own. */
class WireFragment implements SqlFragment {
  readonly psql = false;
  readonly holes: readonly Span[] = [];
  constructor(readonly sql: string) {}
  toFile(span: Span): Span {
    return span;
  }
}

/**
 * The statements of a query text a client sent, parsed by libpg-query like every statement Preflight judges, so
 * that transaction control is found in the parse tree also inside a multi-statement query. Empty statements
 * (`;;`) are dropped, as the server drops them.
 */
export function wireStatements(text: string): Statement[] {
  return parseFragment(new WireFragment(text)).statements.filter((statement) => statement.text.trim() !== '');
}
