import { ClientConfig } from 'pg';
import { connect } from './postgres';

/**
 * A `pg_dump --schema-only` + `--data-only` stand-in for comparing a database before and after a dry-run
 * (pg_dump 15 on this machine refuses the PostgreSQL 18 test server): every user table's rows as JSON, and
 * the catalog rows that define schemas, tables, columns, constraints, indexes, triggers, functions, views,
 * types, sequences (definitions, not positions: ROLLBACK never resets those), roles, extensions and
 * comments. Prepared transactions and held advisory locks count too: they would outlive the dry-run.
 */
export async function databaseSnapshot(connection: ClientConfig): Promise<string> {
  const client = await connect(connection);
  try {
    const parts: Record<string, unknown> = {};
    for (const [name, sql] of Object.entries(CATALOG_QUERIES)) parts[name] = (await client.query(sql)).rows;
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_' ORDER BY 1`,
    );
    for (const { name } of tables) {
      parts[`rows of ${name}`] = (
        await client.query(`SELECT coalesce(json_agg(t ORDER BY t::text), '[]') AS rows FROM ${name} t`)
      ).rows[0].rows;
    }
    return JSON.stringify(parts, null, 1);
  } finally {
    await client.end();
  }
}

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'`;

const CATALOG_QUERIES: Record<string, string> = {
  schemas: `SELECT nspname FROM pg_namespace n WHERE ${USER_SCHEMAS} ORDER BY 1`,
  relations: `SELECT n.nspname, c.relname, c.relkind, c.relpersistence, c.relnatts, c.relchecks, c.reloptions
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS} ORDER BY 1, 2`,
  columns: `SELECT n.nspname, c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
                   a.attisdropped, a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid) AS default
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attnum > 0 AND ${USER_SCHEMAS} ORDER BY 1, 2, 3`,
  constraints: `SELECT n.nspname, c.conrelid::regclass::text AS relation, c.conname, c.contype, c.condeferrable, c.condeferred,
                       c.convalidated, pg_get_constraintdef(c.oid) AS definition
                  FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE ${USER_SCHEMAS} ORDER BY 1, 2, 3`,
  indexes: `SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3`,
  triggers: `SELECT t.tgrelid::regclass::text AS relation, t.tgname, t.tgenabled, pg_get_triggerdef(t.oid) AS definition
               FROM pg_trigger t WHERE NOT t.tgisinternal ORDER BY 1, 2`,
  functions: `SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) AS args, p.prosrc
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMAS} ORDER BY 1, 2, 3`,
  views: `SELECT schemaname, viewname, definition FROM pg_views WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
  types: `SELECT n.nspname, t.typname, t.typtype, (SELECT array_agg(enumlabel ORDER BY enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ${USER_SCHEMAS} AND t.typtype IN ('e', 'd', 'c') ORDER BY 1, 2`,
  sequences: `SELECT schemaname, sequencename, data_type::text, start_value, increment_by, max_value, cycle FROM pg_sequences ORDER BY 1, 2`,
  roles: `SELECT rolname, rolcanlogin, rolsuper FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY 1`,
  extensions: `SELECT extname, extversion FROM pg_extension ORDER BY 1`,
  comments: `SELECT d.objoid::regclass::text AS object, d.objsubid, d.description FROM pg_description d
               JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE ${USER_SCHEMAS} ORDER BY 1, 2`,
  preparedTransactions: `SELECT gid FROM pg_prepared_xacts ORDER BY 1`,
  advisoryLocks: `SELECT classid, objid, objsubid FROM pg_locks WHERE locktype = 'advisory' ORDER BY 1, 2, 3`,
};
