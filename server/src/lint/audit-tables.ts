import { isComputedName } from '../parse/fragment';
import type { ResolvedConfig } from '../resolved-config';
import { Catalog, triggerAppendedTables } from '../schema/catalog';
import { tableGlobMatcher } from '../glob';

/**
 * Which tables are audit logs: append-only history that a migration must never rewrite (incident 1(b)).
 * Real audit tables are not reliably named, so names are only the default; `auditTables` in config extends
 * or replaces them.
 */

/** One entry of the audit table list: a `schema.table` glob, or an exclusion when written `!schema.table`. */
interface AuditTablePattern {
  include: boolean;
  matches: (qualifiedName: string) => boolean;
}

/**
 * Tables in a schema named `audit`, `logs` or `history`, and tables named like an audit trail in any schema.
 * They are matched case-insensitively, so that quoted ORM names (`"AuditLogs"`, `"ChangeLog"`) count too.
 */
export const DEFAULT_AUDIT_TABLES: readonly string[] = [
  'audit.*',
  'logs.*',
  'history.*',
  '*audit*',
  '*_history',
  'change_log',
  'changelog',
];

const compiled = new WeakMap<ResolvedConfig, AuditTablePattern[]>();

/**
 * Whether `qualifiedName` (`schema.table`, as `qualifiedName()` in parse/ast.ts builds it) is an audit table:
 * the defaults first, then each `auditTables` pattern in order; the last pattern that matches decides, so
 * `["!*", "app.events"]` replaces the defaults with one table. With a schema, a table that trigger functions
 * only ever insert into is an audit log whatever its name: that evidence ranks above the default names and
 * below the configured patterns.
 */
export function isAuditTable(qualifiedName: string, config: ResolvedConfig, catalog?: Catalog): boolean {
  // `${auditTable}` of an ORM call could be any table: no pattern can say which, so the rules stay silent.
  if (isComputedName(qualifiedName)) return false;
  let patterns = compiled.get(config);
  if (!patterns) {
    patterns = [
      ...DEFAULT_AUDIT_TABLES.map((pattern) => compile(pattern, true)),
      ...config.auditTables.map((pattern) => compile(pattern, false)),
    ];
    compiled.set(config, patterns);
  }
  for (let i = patterns.length - 1; i >= DEFAULT_AUDIT_TABLES.length; i--) {
    if (patterns[i].matches(qualifiedName)) return patterns[i].include;
  }
  if (catalog && triggerAppendedTables(catalog).has(qualifiedName)) return true;
  for (let i = DEFAULT_AUDIT_TABLES.length - 1; i >= 0; i--) {
    if (patterns[i].matches(qualifiedName)) return patterns[i].include;
  }
  return false;
}

/**
 * `*` does not cross the `.` between schema and table; a pattern without a `.` names tables in any schema.
 * Configured patterns are case-sensitive, like PostgreSQL's quoted names (unquoted SQL names arrive
 * lowercased from the parser).
 */
function compile(pattern: string, caseInsensitive: boolean): AuditTablePattern {
  const include = !pattern.startsWith('!');
  const glob = include ? pattern : pattern.slice(1);
  const qualified = glob.includes('.') ? glob : `*.${glob}`;
  return { include, matches: tableGlobMatcher(qualified, { caseInsensitive }) };
}
