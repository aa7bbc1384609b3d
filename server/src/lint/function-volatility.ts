import { PgNode, functionName, nameList, walk } from '../parse/ast';
import type { MigrationFile } from '../parse/migration';
import { NON_VOLATILE_BUILTINS } from './builtin-functions';
import { sqlStatements } from './statements';

/** A call in an expression that PostgreSQL must evaluate once per row. */
export interface VolatileCall {
  /** As written, e.g. `gen_random_uuid`, `app.next_id`. */
  name: string;
  /** Byte location of the call in its statement. */
  location?: number;
}

/**
 * The first call to a VOLATILE function in `expression`, if any. From PostgreSQL 11, ADD COLUMN with a
 * non-volatile default stores the value once in the catalog and leaves the rows alone; a volatile default
 * (`gen_random_uuid()`, `clock_timestamp()`, `nextval(...)`) must be computed for each existing row, which
 * rewrites the table under an ACCESS EXCLUSIVE lock. `now()` and CURRENT_TIMESTAMP are STABLE: one value,
 * no rewrite. Functions not known to be IMMUTABLE or STABLE count as volatile, since that is PostgreSQL's
 * default for CREATE FUNCTION; those the migration file creates with IMMUTABLE or STABLE do not.
 */
export function firstVolatileCall(expression: PgNode | undefined, file: MigrationFile): VolatileCall | undefined {
  let found: VolatileCall | undefined;
  walk(expression, (type, fields) => {
    if (found || type !== 'FuncCall') return;
    const names = nameList(fields.funcname);
    const name = functionName(fields);
    const builtin = names.length === 1 || names[0] === 'pg_catalog';
    if (builtin && NON_VOLATILE_BUILTINS.has(name)) return;
    if (declaredNonVolatile(file).has(names.join('.').toLowerCase()) || declaredNonVolatile(file).has(name)) return;
    found = { name: names.join('.'), location: fields.location };
  });
  return found;
}

const declaredCache = new WeakMap<MigrationFile, Set<string>>();

/** Functions the file creates as IMMUTABLE or STABLE, by name and by qualified name. */
function declaredNonVolatile(file: MigrationFile): Set<string> {
  let names = declaredCache.get(file);
  if (names) return names;
  names = new Set();
  for (const { node } of sqlStatements(file, 'CreateFunctionStmt')) {
    const volatility = ((node.options as PgNode[] | undefined) ?? []).find((o) => o.DefElem?.defname === 'volatility');
    const declared = volatility?.DefElem?.arg?.String?.sval;
    if (declared !== 'immutable' && declared !== 'stable') continue;
    const parts = nameList(node.funcname).map((part) => part.toLowerCase());
    names.add(parts.join('.'));
    if (parts.length === 1) names.add(`public.${parts[0]}`);
  }
  declaredCache.set(file, names);
  return names;
}
