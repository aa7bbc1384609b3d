/**
 * Helpers over libpg-query's JSON parse trees. A node is an object with a single key naming its type
 * (`{ "UpdateStmt": {...} }`); the helpers hide that wrapping.
 */

// libpg-query's trees are plain JSON with hundreds of node types; rules read the few fields they need.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PgNode = Record<string, any>;

export function nodeType(node: PgNode | undefined | null): string | undefined {
  if (!node) return undefined;
  for (const key in node) return key;
  return undefined;
}

/** The fields of a wrapped node (`{ UpdateStmt: fields }` → fields). */
export function fieldsOf(node: PgNode | undefined | null): PgNode {
  const type = nodeType(node);
  return type ? (node as PgNode)[type] : {};
}

/**
 * Calls `visit` for every wrapped node below `root` (root included), depth first, in source order. It keeps
 * its own stack instead of recursing: a PL/pgSQL body with a few thousand nested IFs is a tree deeper than
 * JavaScript's call stack.
 */
export function walk(root: unknown, visit: (type: string, fields: PgNode) => void | 'skip'): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) pending.push(node[i]);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    const keys = Object.keys(node);
    if (keys.length === 1 && /^[A-Z]/.test(keys[0])) {
      const fields = (node as PgNode)[keys[0]];
      if (visit(keys[0], fields) !== 'skip') pending.push(fields);
      continue;
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const value = (node as PgNode)[keys[i]];
      if (value && typeof value === 'object') pending.push(value);
    }
  }
}

/** A table name normalised to `schema.table`; unqualified names are in `public`. */
export function qualifiedName(rangeVar: PgNode | undefined): string | undefined {
  if (!rangeVar?.relname) return undefined;
  return `${rangeVar.schemaname ?? 'public'}.${rangeVar.relname}`;
}

/** The strings of a name list (`[{String:{sval:'a'}}, ...]`) such as a function or type name. */
export function nameList(items: PgNode[] | undefined): string[] {
  return (items ?? []).map((item) => item?.String?.sval ?? '').filter((s) => s !== '');
}

/** A column reference's last field (`t.col` → `col`), or undefined for `*` and non-column nodes. */
export function columnName(node: PgNode | undefined): string | undefined {
  const fields = node?.ColumnRef?.fields as PgNode[] | undefined;
  const last = fields?.[fields.length - 1];
  return last?.String?.sval;
}

/** The called function's name, lowercased and without schema (`pg_catalog.pg_advisory_lock` → `pg_advisory_lock`). */
export function functionName(funcCall: PgNode): string {
  const names = nameList(funcCall.funcname);
  return (names[names.length - 1] ?? '').toLowerCase();
}

/** A constant's value as written (numbers and strings), or undefined for anything else. */
export function constantValue(node: PgNode | undefined): string | number | undefined {
  const constant = node?.A_Const;
  if (!constant) return undefined;
  // libpg-query omits zero and empty values: `{ ival: {} }` is 0, `{ sval: {} }` is ''.
  if (constant.ival) return constant.ival.ival ?? 0;
  if (constant.fval) return Number(constant.fval.fval);
  if (constant.sval) return constant.sval.sval ?? '';
  return undefined;
}
