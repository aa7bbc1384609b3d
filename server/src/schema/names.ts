import { PgNode, fieldsOf, nameList, nodeType } from '../parse/ast';
import type { CatalogBuilder } from './builder';

/**
 * The names PostgreSQL gives indexes and constraints that a migration does not name (`CREATE INDEX ON t (a)`,
 * `UNIQUE (a, b)`, `REFERENCES users`). Replay must pick the same names as the server, or a later
 * `DROP INDEX users_email_idx` would not find the index, and a replayed catalog would differ from the real one.
 */

const NAMEDATALEN = 64;

/**
 * PostgreSQL's makeObjectName: `name1_name2_label`, shortening the longer of name1/name2 one character at a
 * time until the whole fits in 63 bytes.
 */
export function makeObjectName(name1: string, name2: string | undefined, label: string): string {
  const overhead = (label ? label.length + 1 : 0) + (name2 ? 1 : 0);
  const available = NAMEDATALEN - 1 - overhead;
  let chars1 = name1.length;
  let chars2 = name2?.length ?? 0;
  while (chars1 + chars2 > available) {
    if (chars1 > chars2) chars1--;
    else chars2--;
  }
  return [name1.slice(0, chars1), name2 ? name2.slice(0, chars2) : '', label].filter((part) => part !== '').join('_');
}

/** makeObjectName, then `label1`, `label2`... until `taken` says the name is free (ChooseRelationName). */
export function chooseName(
  name1: string,
  name2: string | undefined,
  label: string,
  taken: (name: string) => boolean,
): string {
  let name = makeObjectName(name1, name2, label);
  for (let pass = 1; taken(name); pass++) name = makeObjectName(name1, name2, `${label}${pass}`);
  return name;
}

/** The `a_b` part of `t_a_b_idx`: columns, or for expressions the name PostgreSQL derives from them. */
export function columnsAddition(names: string[]): string {
  return names.join('_').slice(0, NAMEDATALEN - 1);
}

/** The name PostgreSQL derives for an index expression (FigureColname): `lower(email)` → `lower`. */
export function expressionColumnName(expr: PgNode | undefined): string {
  const f = fieldsOf(expr);
  switch (nodeType(expr)) {
    case 'ColumnRef': {
      const last = (f.fields as PgNode[])[f.fields.length - 1];
      return last?.String?.sval ?? 'expr';
    }
    case 'FuncCall': {
      const names = nameList(f.funcname);
      return names[names.length - 1] ?? 'expr';
    }
    case 'TypeCast': {
      const inner = expressionColumnName(f.arg);
      if (inner !== 'expr') return inner;
      const names = nameList(f.typeName?.names);
      return names[names.length - 1] ?? 'expr';
    }
    case 'A_ArrayExpr':
      return 'array';
    case 'CoalesceExpr':
      return 'coalesce';
    case 'CaseExpr':
      return 'case';
    case 'RowExpr':
      return 'row';
    case 'MinMaxExpr':
      return f.op === 'IS_GREATEST' ? 'greatest' : 'least';
    default:
      return 'expr';
  }
}

/** Index names live in the relation namespace of their schema (shared with tables, views, sequences). */
export function chooseRelationName(
  builder: CatalogBuilder,
  schema: string,
  name1: string,
  name2: string | undefined,
  label: string,
): string {
  return chooseName(name1, name2, label, (name) => builder.hasRelation(schema, name));
}

/** Constraint names must not repeat on one table (ChooseConstraintName checks the whole schema; close enough). */
export function chooseConstraintName(
  builder: CatalogBuilder,
  table: string,
  name2: string | undefined,
  label: string,
): string {
  const [schema, relname] = splitQualified(table);
  return chooseName(
    relname,
    name2,
    label,
    (name) => builder.tableWith(schema, (t) => t.constraints.some((c) => c.name === name)) !== undefined,
  );
}

export function splitQualified(name: string): [string, string] {
  const dot = name.indexOf('.');
  return [name.slice(0, dot), name.slice(dot + 1)];
}
