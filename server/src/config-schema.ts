import type { ErrorObject, ValidateFunction } from 'ajv';
import { DIALECTS } from './parse/dialect';
import type { Framework } from './parse/host-types';
import { RUNNER_IDS } from './parse/runners';
import type { TransactionMode } from './parse/transactions';
import { allRules, docsPath } from './lint/registry';
import { OptionSpec, Rule, ruleDialects } from './lint/rule';
import type { SeveritySetting } from './resolved-config';

/**
 * The JSON Schema of `.preflightrc.json`, built from the rule registry and the config's own keys. It is both
 * what the engine validates a config with (through ajv) and what editors complete and check against
 * (`server/preflightrc.schema.json`, written by `npm run generate`), so the two cannot drift.
 *
 * Besides standard draft-07 it uses VS Code's `errorMessage`/`patternErrorMessage`: the editor shows them
 * for a wrong value, and `configSchemaProblem` reports the same words.
 */
export type JsonSchema = { [keyword: string]: unknown };

export const SEVERITIES: readonly SeveritySetting[] = ['off', 'info', 'warning', 'error'];
const FRAMEWORKS: readonly Framework[] = ['sequelize', 'knex', 'typeorm', 'node-pg-migrate', 'db-migrate', 'script'];
const TRANSACTION_MODES: readonly TransactionMode[] = ['per-migration', 'none'];

const SEVERITY_REF = { $ref: '#/definitions/severity' };
/** Most rules take no options: they share one definition, which ajv compiles once instead of once per rule. */
const SETTING_WITHOUT_OPTIONS_REF = { $ref: '#/definitions/settingWithoutOptions' };

export function buildConfigSchema(rules: Iterable<Rule>): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://preflight.dev/schemas/preflightrc.json',
    title: 'Preflight configuration (.preflightrc.json or the "preflight" key of package.json)',
    description: 'Generated from the rule metadata by `npm run generate`; do not edit.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      rules: {
        description: 'Rule id → severity, or [severity, options]. Run `preflight rules` for the ids.',
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries([...rules].map((rule) => [rule.id, ruleSettingSchema(rule)])),
      },
      auditTables: {
        description:
          'schema.table globs of append-only audit tables, evaluated after the defaults (audit.*, logs.*, ' +
          'history.*, *audit*, *_history, change_log, changelog); a leading ! excludes; the last match wins. * ' +
          'does not cross the dot, ** does; at most 3 wildcards (* or **) per pattern.',
        type: 'array',
        items: { type: 'string' },
      },
      migrations: {
        description:
          'Migration directories (relative to this file), with their framework, how the runner wraps each migration, and their database dialect.',
        type: 'array',
        items: {
          // if/then/else rather than oneOf: a wrong entry is then reported against the one shape it was meant to have.
          if: { type: 'string' },
          then: { type: 'string' },
          else: migrationDirectorySchema(),
        },
      },
      pgVersion: {
        description: 'PostgreSQL major version of the production database (default 16).',
        type: 'integer',
        minimum: 9,
        maximum: 30,
        errorMessage: 'must be a PostgreSQL major version such as 16',
      },
      ignore: {
        description:
          'Path globs (relative to this file) that are never linted: * within a segment, ** across segments, ? ' +
          'one character; at most 3 wildcards (* or **) per pattern, repeated **/ counting once.',
        type: 'array',
        items: { type: 'string' },
      },
      connections: {
        description:
          "Named databases (`--database-url NAME`). URLs must not contain a password: PostgreSQL's PGPASSWORD or ~/.pgpass supply it.",
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'url'],
          properties: {
            name: { type: 'string' },
            url: {
              type: 'string',
              pattern: '^postgres(ql)?://',
              patternErrorMessage:
                'must start with postgres:// or postgresql:// (postgres://user@host:port/database, without a password)',
            },
          },
        },
      },
      defaultConnection: {
        description: 'The name of the connection used when a command is not told which.',
        type: 'string',
      },
      format: {
        description:
          'How preflight format and the language server format SQL: .sql files, and SQL in TS/JS template literals (see docs/formatting.md).',
        type: 'object',
        additionalProperties: false,
        properties: {
          keywordCase: { description: 'SQL keyword case (default upper).', enum: ['upper', 'lower', 'preserve'] },
          indent: { description: 'Spaces per indentation level (default 2).', type: 'integer', minimum: 1, maximum: 8 },
          lineWidth: {
            description: 'Parenthesised expressions up to this many characters stay on one line (default 100).',
            type: 'integer',
            minimum: 20,
            maximum: 400,
          },
        },
      },
      schemaFile: {
        description:
          'A `pg_dump --schema-only` file (relative to this file) replayed before the migrations, like a squashed baseline.',
        type: 'string',
      },
      variants: {
        description:
          'Deployment variants: name → values, e.g. { "central": { "serverType": "central" }, "facility": { "serverType": "facility" } }. ' +
          "A migration condition that compares a name (serverType, config.serverType, process.env.SERVER_TYPE, current_setting('app.server_type'): " +
          'its last segment, case, _ and - ignored) with a literal is decided on each variant that gives that name a value; rules that depend ' +
          'on an object created under a condition report per variant. See docs/schema.md.',
        type: 'object',
        additionalProperties: {
          type: 'object',
          additionalProperties: {
            type: ['string', 'number', 'boolean'],
            errorMessage: 'must be a string, number or boolean',
          },
        },
      },
    },
    definitions: {
      settingWithoutOptions: settingSchema({}),
      severity: {
        enum: [...SEVERITIES],
        errorMessage: `severity must be one of ${SEVERITIES.map((s) => JSON.stringify(s)).join(', ')}`,
      },
    },
  };
}

function migrationDirectorySchema(): JsonSchema {
  return {
    type: 'object',
    errorMessage: 'must be a directory path or { "path", "framework", "transaction", "dialect", "runner" }',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string' },
      framework: { enum: [...FRAMEWORKS] },
      transaction: {
        description:
          'per-migration: each migration (each up/down) runs in one transaction; none: each statement on its own unless the script says BEGIN.',
        enum: [...TRANSACTION_MODES],
      },
      dialect: {
        description:
          'The database the migrations run on (default postgresql). mysql and mariadb are parsed with node-sql-parser; see docs/mysql.md.',
        enum: [...DIALECTS],
      },
      runner: {
        description:
          "The tool that runs this directory's .sql migrations, overriding what their annotations say: goose, " +
          'dbmate, sql-migrate and node-pg-migrate (SQL files) run the Up and Down sections of a file as separate ' +
          'migrations (Liquibase each --changeset), each in a transaction unless the file switches it off; sqlx, ' +
          'atlas and graphile-migrate run each file as one migration, in a transaction unless its top says ' +
          'otherwise (-- no-transaction, -- atlas:txmode none, --! no-transaction); golang-migrate sends each ' +
          '.up.sql/.down.sql file as one query; psql runs the file as one script. See docs/transactions.md.',
        enum: [...RUNNER_IDS],
      },
    },
  };
}

/** A rule's entry under `rules`: a severity, or `[severity, options]` with the rule's options typed. */
function ruleSettingSchema(rule: Rule): JsonSchema {
  const dialects = ruleDialects(rule);
  const checks =
    dialects.length === 1 && dialects[0] === 'postgresql' ? '' : ` Checks ${dialects.join(', ')} migrations.`;
  const described = {
    description: `${rule.summary} Default: ${rule.severity}.${checks} ${docsPath(rule.id)}`,
    default: rule.severity,
  };
  return { ...described, ...(rule.options ? settingSchema(rule.options) : SETTING_WITHOUT_OPTIONS_REF) };
}

function settingSchema(options: Record<string, OptionSpec>): JsonSchema {
  return {
    if: { type: 'array' },
    then: {
      type: 'array',
      errorMessage: 'must be a severity or [severity, { options }]',
      items: [SEVERITY_REF, ruleOptionsSchema(options)],
      minItems: 1,
      maxItems: 2,
      additionalItems: false,
    },
    else: SEVERITY_REF,
  };
}

function ruleOptionsSchema(options: Record<string, OptionSpec>): JsonSchema {
  return {
    type: 'object',
    errorMessage: 'options must be an object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(options).map(([name, spec]) => [name, optionSchema(spec)])),
  };
}

function optionSchema(spec: OptionSpec): JsonSchema {
  const type = spec.type === 'string[]' ? { type: 'array', items: { type: 'string' } } : { type: spec.type };
  return { ...type, default: spec.default, description: spec.description };
}

let schema: JsonSchema | undefined;

/** The schema of the registered rules, built once. */
export function configSchema(): JsonSchema {
  schema ??= buildConfigSchema(allRules().values());
  return schema;
}

/** What `npm run generate` precompiles the schema with (ajv standalone code in `generated/config-validator.ts`). */
export const AJV_OPTIONS = {
  // A key such as `constructor` must not find Object.prototype's member and pass as set.
  ownProperties: true,
  // `[severity, options]` is a tuple whose second item is optional.
  strictTuples: false,
  // A variant's value may be a string, a number or a boolean (`"type": [...]`, which editors read as well).
  allowUnionTypes: true,
  code: { source: true, lines: true },
  // Messages come from describeError, in the config's words; ajv's own would only add code to load.
  messages: false,
} as const;

/** The editor-only keywords the schema carries (VS Code shows them for a wrong value). */
export const EDITOR_KEYWORDS = ['errorMessage', 'patternErrorMessage'] as const;

/**
 * The validator ajv compiled from the schema at `npm run generate` time. Compiling it at run time cost
 * 60-280 ms per process (ajv generates code for every rule's entry) against ~1 ms to load the precompiled
 * code, and every CLI run, worker thread and language server with a config would pay it.
 */
function precompiledValidator(): ValidateFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./generated/config-validator') as ValidateFunction;
}

/** Where in a config a problem is (`rules.some-rule.option`, `migrations[2].runner`) and what it is. */
export interface ConfigSchemaProblem {
  key: string;
  problem: string;
}

/** The first place `json` breaks the schema, in the words of a config error; undefined when it is valid. */
export function configSchemaProblem(json: unknown): ConfigSchemaProblem | undefined {
  const validate = precompiledValidator();
  if (validate(json)) return undefined;
  // An if/then/else adds its own "must match then schema" after the error that says why.
  const error = (validate.errors ?? []).find((e) => e.keyword !== 'if');
  if (!error) return { key: '(root)', problem: 'does not match the schema' };
  return describeError(error, json);
}

/** Names from a config file shown in a message: a 5 MB key is not echoed whole. */
const NAME_LIMIT = 60;

export function shortName(name: string): string {
  return name.length > NAME_LIMIT ? `${name.slice(0, NAME_LIMIT)}…` : name;
}

/** Keywords about a value (not about which keys an object has): a schema's `errorMessage` words them. */
const VALUE_KEYWORDS = new Set([
  'type',
  'enum',
  'const',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'additionalItems',
]);

function describeError(error: ErrorObject, json: unknown): ConfigSchemaProblem {
  const segments = pathSegments(error.instancePath, json);
  const parentSchema = failingSchema(error.schemaPath);
  if (error.keyword === 'additionalProperties') {
    const name = (error.params as { additionalProperty: string }).additionalProperty;
    const known = Object.keys((parentSchema.properties ?? {}) as object).filter((key) => key !== '$schema');
    return { key: formatPath([...segments, { name, index: false }]), problem: unknownNameProblem(segments, known) };
  }
  if (error.keyword === 'required') {
    return {
      key: formatPath(segments),
      problem: `"${(error.params as { missingProperty: string }).missingProperty}" is required`,
    };
  }
  if (error.keyword === 'pattern' && typeof parentSchema.patternErrorMessage === 'string') {
    return { key: formatPath(segments), problem: parentSchema.patternErrorMessage };
  }
  if (VALUE_KEYWORDS.has(error.keyword) && typeof parentSchema.errorMessage === 'string') {
    return { key: formatPath(segments), problem: parentSchema.errorMessage };
  }
  return { key: formatPath(segments), problem: `must be ${expected(parentSchema)}` };
}

/**
 * The subschema whose keyword failed (`schemaPath` less its last part). ajv gives the path from the root, except
 * inside a definition it compiled as a function of its own (`settingWithoutOptions`): there it is relative to it.
 */
function failingSchema(schemaPath: string): JsonSchema {
  const parts = pointerParts(schemaPath).slice(0, -1);
  const root = configSchema();
  for (const base of [root, ...Object.values(root.definitions as Record<string, JsonSchema>)]) {
    const schema = schemaAt(base, parts);
    if (schema) return schema;
  }
  return {};
}

function schemaAt(base: JsonSchema, parts: string[]): JsonSchema | undefined {
  return parts.reduce<unknown>((schema, part) => ownMember(schema, part), base) as JsonSchema | undefined;
}

/** The names of a JSON pointer, `#/a/b` or `/a/b`, unescaped. */
function pointerParts(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `container[name]` when `container` is an object or array that has it as its own. */
function ownMember(container: unknown, name: string): unknown {
  return container !== null && typeof container === 'object' && Object.hasOwn(container, name)
    ? (container as Record<string, unknown>)[name]
    : undefined;
}

interface PathSegment {
  name: string;
  /** An index into an array, written `[n]`. */
  index: boolean;
}

/**
 * The JSON pointer ajv reports, as the names a user reads in the file. A rule's `[severity, options]` pair is
 * not a place the user thinks of: `rules.x.option`, not `rules.x[1].option`.
 */
function pathSegments(pointer: string, json: unknown): PathSegment[] {
  const segments: PathSegment[] = [];
  let value = json;
  for (const name of pointerParts(pointer)) {
    const index = Array.isArray(value);
    value = ownMember(value, name);
    const inRuleSetting = segments.length === 2 && segments[0].name === 'rules' && index;
    if (!inRuleSetting) segments.push({ name, index });
  }
  return segments;
}

function formatPath(segments: PathSegment[]): string {
  if (segments.length === 0) return '(root)';
  return segments
    .map(({ name, index }, i) => (index ? `[${name}]` : `${i === 0 ? '' : '.'}${shortName(name)}`))
    .join('');
}

function unknownNameProblem(parent: PathSegment[], known: string[]): string {
  if (parent.length === 1 && parent[0].name === 'rules') return 'unknown rule id (run `preflight rules` for the list)';
  if (parent.length === 2 && parent[0].name === 'rules')
    return known.length ? `unknown option (known: ${known.join(', ')})` : 'this rule takes no options';
  return `unknown key (known: ${known.join(', ')})`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** What a schema accepts, in words: `one of "a", "b"`, `a whole number from 1 to 8`, `an array of strings`. */
function expected(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((value) => JSON.stringify(value)).join(', ')}`;
  const type = String(schema.type);
  if (type === 'array' && (schema.items as JsonSchema | undefined)?.type === 'string') return 'an array of strings';
  if (typeof schema.minimum === 'number' && typeof schema.maximum === 'number')
    return `${TYPE_NAMES[type] ?? 'a number'} from ${schema.minimum} to ${schema.maximum}`;
  return TYPE_NAMES[type] ?? `valid (${type})`;
}
