import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { CONFIG_FILE_NAME, ConfigCache } from '../config';
import { ResolvedConfig, dialectOf } from '../resolved-config';
import { initEngine } from '../lint/engine';
import { SchemaReplayCache } from '../schema/cache';
import type {
  Catalog,
  ConstraintInfo,
  IndexInfo,
  PresenceCondition,
  SkippedStatement,
  TableInfo,
  TableWrite,
  TriggerInfo,
} from '../schema/catalog';
import { listMigrations } from '../schema/directory';
import { CatalogResult, SchemaSources, catalogFor } from '../schema/sources';
import type { CommandIO } from './io';
import { EXIT_OK, UsageError, choice } from './usage';

export const SCHEMA_USAGE = `Usage: preflight schema [path-to-migration] [options]

Prints the schema as Preflight believes it stands before that migration runs: tables with their columns,
indexes, constraints and triggers, then functions, sequences and views, and the statements replay skipped
and why. Given a directory (or nothing: the first "migrations" directory of the config, else the current
directory), the schema after all of its migrations.

Options:
  --format <name>          pretty | json (default: pretty)
  --config <file>          use this config file instead of searching for .preflightrc.json
  --database-url <url>     read the schema from this database instead (a postgres:// URL, a connection named
                           in config, or "env" for DATABASE_URL / PG* variables)
`;

export async function schemaCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string' }, config: { type: 'string' }, 'database-url': { type: 'string' } },
  });
  const format = choice('format', values.format, ['pretty', 'json'], 'pretty');
  if (positionals.length > 1) throw new UsageError('name one migration file or directory');
  await initEngine();
  const configs = new ConfigCache();
  const given = positionals[0];
  const target = given ?? defaultDirectory(configs, values.config);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch {
    // A migration that does not exist yet is fine: the schema before it is the schema after the ones that do.
    if (given === undefined || !fs.existsSync(path.dirname(path.resolve(target))))
      throw new UsageError(`${target}: no such file or directory`);
  }
  const isDirectory = stat?.isDirectory() ?? false;
  // The config applies to files: for a directory, the one a file inside it would use.
  const config = configs.configFor(isDirectory ? path.join(target, CONFIG_FILE_NAME) : target, values.config);
  const sources = new SchemaSources(new SchemaReplayCache({ assumeUnchanged: true }));
  const result = isDirectory
    ? await afterDirectory(path.resolve(target), config, sources, values['database-url'])
    : await catalogFor(path.resolve(target), config, sources, { databaseUrl: values['database-url'] });
  const heading = `Schema ${isDirectory ? 'after the migrations in' : 'before'} ${target}`;
  io.stdout(format === 'json' ? renderJson(result) : renderPretty(heading, result));
  return EXIT_OK;
}

function defaultDirectory(configs: ConfigCache, explicitConfig: string | undefined): string {
  const config = configs.configFor(path.join(process.cwd(), CONFIG_FILE_NAME), explicitConfig);
  const first = config.migrations[0];
  return first ? path.relative(process.cwd(), path.resolve(config.rootDir, first.path)) || '.' : '.';
}

async function afterDirectory(
  directory: string,
  config: ResolvedConfig,
  sources: SchemaSources,
  databaseUrl: string | undefined,
): Promise<CatalogResult> {
  if (databaseUrl !== undefined)
    return catalogFor(path.join(directory, CONFIG_FILE_NAME), config, sources, { databaseUrl });
  const migrations = listMigrations(directory, config).filter((file) => file !== config.schemaFile);
  const state = sources.replay.replay(
    directory,
    migrations,
    config.schemaFile,
    dialectOf(config, path.join(directory, CONFIG_FILE_NAME)),
  );
  return {
    catalog: state.catalog,
    skipped: state.skipped,
    source: { kind: 'replay', directory, migrations, ...(config.schemaFile ? { schemaFile: config.schemaFile } : {}) },
  };
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || '.';
}

/** Skipped statements grouped by reason, most frequent first. */
function skippedByReason(
  skipped: readonly SkippedStatement[],
): { reason: string; count: number; locations: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const s of skipped) {
    const locations = groups.get(s.reason) ?? [];
    locations.push(`${relative(s.file)}:${s.line}`);
    groups.set(s.reason, locations);
  }
  return [...groups]
    .map(([reason, locations]) => ({ reason, count: locations.length, locations }))
    .sort((a, b) => b.count - a.count);
}

function sourceLine(result: CatalogResult): string {
  const source = result.source;
  if (source.kind === 'database') return `Source: live database ${source.url}`;
  const schemaFile = source.schemaFile ? `, on top of the schema file ${relative(source.schemaFile)}` : '';
  return `Source: replay of ${source.migrations.length} migration${source.migrations.length === 1 ? '' : 's'} in ${relative(source.directory)}${schemaFile}`;
}

function renderJson(result: CatalogResult): string {
  const catalog = result.catalog;
  const source =
    result.source.kind === 'replay'
      ? {
          ...result.source,
          directory: relative(result.source.directory),
          migrations: result.source.migrations.map(relative),
          ...(result.source.schemaFile ? { schemaFile: relative(result.source.schemaFile) } : {}),
        }
      : result.source;
  return (
    JSON.stringify(
      {
        source,
        schemas: [...catalog.schemas].sort(),
        tables: sorted(catalog.tables),
        views: sorted(catalog.views),
        sequences: sorted(catalog.sequences),
        functions: sorted(catalog.functions),
        skipped: { count: result.skipped.length, reasons: skippedByReason(result.skipped) },
      },
      // The migration that makes a condition, relative like every other path of the report.
      (key, value) =>
        key === 'onlyWhen' ? (value as PresenceCondition[]).map((c) => ({ ...c, file: relative(c.file) })) : value,
      2,
    ) + '\n'
  );
}

function sorted<T>(map: ReadonlyMap<string, T>): T[] {
  return [...map.keys()].sort().map((key) => map.get(key)!);
}

function renderPretty(heading: string, result: CatalogResult): string {
  const catalog = result.catalog;
  const lines = [heading, sourceLine(result), ''];
  if (catalog.tables.size === 0) lines.push('No tables.', '');
  for (const table of sorted(catalog.tables)) lines.push(...tableLines(table), '');
  lines.push(...otherObjects(catalog));
  const groups = skippedByReason(result.skipped);
  lines.push(`Skipped statements: ${result.skipped.length}`);
  for (const group of groups) {
    const shown =
      group.locations.slice(0, 5).join(', ') +
      (group.locations.length > 5 ? `, and ${group.locations.length - 5} more` : '');
    lines.push(`  ${String(group.count).padStart(4)}  ${group.reason}`, `        ${shown}`);
  }
  return lines.join('\n') + '\n';
}

function tableLines(table: TableInfo): string[] {
  const rows = table.rowEstimate !== undefined ? `  (about ${table.rowEstimate.toLocaleString('en-US')} rows)` : '';
  const lines = [`${table.name}${rows}${onlyWhen(table)}`];
  if (table.uncertain) lines.push(`  ! may be incomplete: ${table.uncertain}`);
  lines.push('  columns');
  const width = Math.max(0, ...table.columns.map((c) => c.name.length));
  const typeWidth = Math.max(0, ...table.columns.map((c) => c.type.length));
  for (const c of table.columns) {
    const extras = [
      c.nullable ? '' : 'not null',
      c.default !== undefined ? `default ${c.default}` : '',
      c.identity ? `generated ${c.identity} as identity` : '',
    ]
      .filter((e) => e !== '')
      .join('  ');
    lines.push(`    ${c.name.padEnd(width)}  ${c.type.padEnd(typeWidth)}  ${extras}`.trimEnd() + onlyWhen(c));
  }
  if (table.indexes.length) lines.push('  indexes', ...table.indexes.map((i) => `    ${indexLine(i)}${onlyWhen(i)}`));
  if (table.constraints.length)
    lines.push('  constraints', ...table.constraints.map((c) => `    ${constraintLine(c)}${onlyWhen(c)}`));
  if (table.triggers.length)
    lines.push('  triggers', ...table.triggers.map((t) => `    ${triggerLine(t)}${onlyWhen(t)}`));
  return lines;
}

/** `  (only when serverType === 'central', db/0042_add_index.js:7)` for an object created under a condition. */
function onlyWhen(object: { onlyWhen?: readonly PresenceCondition[] }): string {
  if (!object.onlyWhen) return '';
  return `  (only when ${object.onlyWhen.map((c) => `${c.text}, ${relative(c.file)}:${c.line}`).join('; and ')})`;
}

function indexLine(index: IndexInfo): string {
  const kind = index.primary ? 'primary key ' : index.unique ? 'unique ' : '';
  const keys = index.keys
    .map((k) => `${'column' in k ? k.column : `(${k.expression})`}${k.descending ? ' DESC' : ''}`)
    .join(', ');
  const include = index.include.length ? ` INCLUDE (${index.include.join(', ')})` : '';
  const predicate = index.predicate ? ` WHERE ${index.predicate}` : '';
  return `${index.name}  ${kind}${index.method} (${keys})${include}${predicate}`;
}

function deferral(item: { deferrable: boolean; initiallyDeferred: boolean }): string {
  if (!item.deferrable) return '';
  return item.initiallyDeferred ? ' deferrable initially deferred' : ' deferrable';
}

function constraintLine(c: ConstraintInfo): string {
  const columns = `(${c.columns.join(', ')})`;
  const body =
    c.type === 'foreign-key'
      ? `foreign key ${columns} references ${c.references?.table} (${c.references?.columns.join(', ')})`
      : c.type === 'check'
        ? `check (${c.expression ?? ''})`
        : `${c.type.replace('-', ' ')} ${columns}`;
  return `${c.name}  ${body}${deferral(c)}`;
}

function triggerLine(t: TriggerInfo): string {
  const kind = t.constraint ? 'constraint trigger' : 'trigger';
  const disabled = t.enabled ? '' : ' (disabled)';
  const deferred = deferral(t) ? `,${deferral(t)}` : '';
  return `${t.name}  ${kind}, ${t.timing} ${t.events.join(' or ')}, for each ${t.forEachRow ? 'row' : 'statement'}${deferred}, executes ${t.function}()${disabled}`;
}

const WRITE_VERBS: Record<TableWrite['action'], string> = {
  insert: 'inserts into',
  update: 'updates',
  delete: 'deletes from',
  truncate: 'truncates',
  merge: 'merges into',
};

function otherObjects(catalog: Catalog): string[] {
  const lines: string[] = [];
  if (catalog.functions.size) {
    lines.push('Functions');
    for (const f of sorted(catalog.functions)) {
      const writes = f.writes.length
        ? `, ${[...new Set(f.writes.map((w) => `${WRITE_VERBS[w.action]} ${w.table}`))].join(', ')}`
        : '';
      lines.push(
        `  ${f.name}()  ${f.language}, returns ${f.returns}${writes}${f.dynamicSql ? ', runs dynamic SQL' : ''}`,
      );
    }
    lines.push('');
  }
  if (catalog.sequences.size) {
    lines.push(
      'Sequences',
      ...sorted(catalog.sequences).map((s) => `  ${s.name}${s.ownedBy ? `  owned by ${s.ownedBy}` : ''}`),
      '',
    );
  }
  if (catalog.views.size) {
    lines.push(
      'Views',
      ...sorted(catalog.views).map((v) => `  ${v.name}${v.materialized ? '  (materialized)' : ''}`),
      '',
    );
  }
  lines.push(`Schemas: ${[...catalog.schemas].sort().join(', ')}`, '');
  return lines;
}
