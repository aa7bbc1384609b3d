// @ts-check
/**
 * The layers of ARCHITECTURE.md, as dependency-cruiser rules. test/layers.test.ts cruises client/src,
 * server/src and shared/ with this file through dependency-cruiser's API and fails listing every violation
 * (`npx mocha out/test/layers.test.js`). Its command line, `npx depcruise client/src server/src shared
 * --config .dependency-cruiser.cjs`, prints the same list but refuses to start on Node 20 (it wants 22+);
 * the API runs on 20.
 *
 * Data flows one way:
 *
 *   parse/ ─► resolved-config.ts ─► schema/ ─► lint/ (facts + rule API) ─► rules/ ─► lint/engine.ts ─► config.ts
 *                                                       │                                   │
 *                                                       └─► dryrun/, format/ (beside rules) ─┴─► report/ ─► lsp/ ─► cli/
 *
 * schema/ sits below lint/'s facts, not above: facts consult the catalog (table sizes, audit tables, the work
 * a statement makes a table do), while the catalog is replayed from statements alone. A fact that schema/
 * needs belongs in parse/.
 *
 * Paths are relative to the folder cruised from (the repository, or a fixture tree in test/fixtures/layers/
 * laid out the same way), so the same rules judge both.
 *
 * Type-only imports (`import type`) count: `tsPreCompilationDeps` keeps them. A type names the shape of
 * another layer's data, so importing one from a layer above still couples the lower layer to it (moving or
 * changing that type touches the lower layer), and a cycle of types is still a cycle to untangle.
 */

/** Modules of the engine and the shared contract, as path regexes. */
const PARSE = '^server/src/parse/';
/** Plain helpers with no layer of their own: reading user files, the config's globs. */
const LEAF = '^server/src/(source-files|glob)[.]ts$';
/** Which files of a folder are migrations: for schema replay, the CLI's paths and the workspace lint. */
const MIGRATION_FILES = '^server/src/migration-files[.]ts$';
/** The config as the engine sees it (types and the questions asked of it), below everything that reads it. */
const CONFIG_MODEL = '^server/src/resolved-config[.]ts$';
const SCHEMA = '^server/src/schema/';
/** lint/ minus the engine and the registry: the facts rules are built from, the rule API, directives, fixes. */
const FACTS = '^server/src/lint/(?!(engine|registry)[.]ts$)';
/** A rule file (`rules/<id>.ts`) or its own folder (`rules/<id>/`: the refactoring it offers); group 1 is the rule id. */
const RULES = '^server/src/rules/([^/.]+)';
/** The folder of the rule that is importing: a rule may use what lives beside it, no other rule's. */
const OWN_RULE_FOLDER = '^server/src/rules/$1/';
const ENGINE = '^server/src/lint/(engine|registry)[.]ts$';
/** Loading and validating `.preflightrc.json`: needs every rule's metadata, so it sits above the registry. */
const CONFIG_LOADING = '^server/src/(config|config-schema|generated/config-validator)[.]ts$';
const DRYRUN = '^server/src/dryrun/';
const FORMAT = '^server/src/format/';
const REPORT = '^server/src/report/';
const LSP = '^server/src/lsp/';
const CLI = '^server/src/cli([.]ts$|/)';
/** The one module the VS Code client and the server both import (vscode-eslint's `$shared/`). */
const SHARED = '^shared/';
/** Anything of this repository's own code. */
const OWN_CODE = '^(server/src|client/src|shared)/';

/**
 * For each layer, the layers it may import. Everything else of our own code is forbidden to it.
 * @type {{ name: string, layer: string, mayImport: string[], comment: string }[]}
 */
const LAYERS = [
  {
    name: 'parse-imports-only-parse',
    layer: PARSE,
    mayImport: [PARSE, LEAF],
    comment:
      'Extraction, statements and transactions know nothing of config, schema, rules or databases; the files ' +
      'around a migration that name its runner (metadata.toml, migration_lock.toml) are read through source-files.ts.',
  },
  {
    name: 'leaf-modules-import-no-layer',
    layer: LEAF,
    mayImport: [LEAF],
    comment: 'source-files.ts and glob.ts are used by every layer, so they use none.',
  },
  {
    name: 'shared-contract-imports-nothing',
    layer: SHARED,
    mayImport: [SHARED],
    comment: 'The client bundles shared/: anything it imported would end up in the extension.',
  },
  {
    name: 'migration-files-imports-only-parse',
    layer: MIGRATION_FILES,
    mayImport: [PARSE],
    comment: 'Finding migrations needs their languages (parse/), nothing above.',
  },
  {
    name: 'resolved-config-imports-only-parse',
    layer: CONFIG_MODEL,
    mayImport: [PARSE, LEAF],
    comment: 'The config model is read by schema, facts, rules, dry-run and format; loading it (config.ts) is above them.',
  },
  {
    name: 'schema-imports-no-facts-or-rules',
    layer: SCHEMA,
    mayImport: [SCHEMA, PARSE, CONFIG_MODEL, MIGRATION_FILES, LEAF],
    comment: 'The catalog is built from statements alone; facts and rules read it, never the reverse.',
  },
  {
    name: 'facts-import-no-rules-or-engine',
    layer: FACTS,
    mayImport: [FACTS, SCHEMA, PARSE, CONFIG_MODEL, LEAF],
    comment: 'Facts and the rule API serve rules, dryrun/ and report/; they never reach a rule, the engine or a front end.',
  },
  {
    name: 'rules-import-only-facts',
    layer: RULES,
    mayImport: [OWN_RULE_FOLDER, FACTS, SCHEMA, PARSE, CONFIG_MODEL, LEAF],
    comment:
      'A rule is one self-contained file, with what it offers beyond its findings (a refactoring) in a folder of its ' +
      'own name: no other rule, no engine, no dry-run, no front end. The folder never imports the rule file.',
  },
  {
    name: 'engine-imports-no-front-end',
    layer: ENGINE,
    mayImport: [ENGINE, RULES, FACTS, SCHEMA, PARSE, CONFIG_MODEL, LEAF],
    comment: 'lint/engine.ts and lint/registry.ts run the rules; config loading, dry-run and front ends call them.',
  },
  {
    name: 'config-loading-imports-no-front-end',
    layer: CONFIG_LOADING,
    mayImport: [CONFIG_LOADING, ENGINE, FACTS, PARSE, CONFIG_MODEL, LEAF],
    comment:
      'config.ts validates against the rules\' metadata (the registry), through the schema config-schema.ts builds and ' +
      'the validator npm run generate precompiles from it; only front ends load config.',
  },
  {
    name: 'dryrun-beside-rules',
    layer: DRYRUN,
    mayImport: [DRYRUN, FACTS, SCHEMA, PARSE, CONFIG_MODEL, LEAF, SHARED],
    comment: 'The dry-run uses the same facts and statements as the rules, never a rule, the linter or a front end.',
  },
  {
    name: 'format-beside-rules',
    layer: FORMAT,
    mayImport: [FORMAT, FACTS, PARSE, CONFIG_MODEL, LEAF],
    comment: 'The formatter works on statements and tokens alone.',
  },
  {
    name: 'report-imports-no-front-end',
    layer: REPORT,
    mayImport: [REPORT, DRYRUN, ENGINE, RULES, FACTS, SCHEMA, PARSE, CONFIG_MODEL, LEAF, SHARED],
    comment: 'Reporters render results for the CLI and the language server alike; they never call either.',
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere: a cycle makes two modules one, and every layer rule meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'engine-never-imports-vscode',
      severity: 'error',
      comment: 'The engine and the contract run in the CLI and in CI, where there is no editor.',
      from: { path: '^(server/src|shared)/' },
      to: { path: '(^|/)(vscode|@types/vscode|vscode-languageclient)(/|$)' },
    },
    {
      name: 'client-imports-only-the-contract',
      severity: 'error',
      comment:
        'The client talks to the server over the protocol; it shares types and wording through shared/ only, never ' +
        'server internals (which would be bundled into the extension, or drift from what the server sends).',
      from: { path: '^client/src/' },
      to: { path: '^server/' },
    },
    {
      name: 'client-npm-only-vscode',
      severity: 'error',
      comment: 'The client needs the editor API and the language client, nothing else from npm.',
      from: { path: '^client/src/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: '(^|/)(vscode-languageclient|@types/vscode)(/|$)' },
    },
    {
      name: 'lsp-never-imports-cli',
      severity: 'error',
      comment: 'lsp/ and cli/ are sibling front ends; what both need lives below them. (cli/ may start lsp/: `preflight lsp`.)',
      from: { path: LSP },
      to: { path: CLI },
    },
    {
      name: 'crash-handler-only-in-front-ends',
      severity: 'error',
      comment: 'crash.ts ends the process: only the front ends (cli/, lsp/) decide that.',
      from: { path: OWN_CODE, pathNot: `${LSP}|${CLI}|^server/src/crash[.]ts$` },
      to: { path: '^server/src/crash[.]ts$' },
    },
    {
      // The engine replays the file once per lint into a catalog timeline (schema/timeline.ts) that every rule
      // reads through RuleContext.catalogAt / catalogAfterFile; a rule that replayed the file itself would replay
      // it again on every lint (up to five replays per lint before the timeline).
      name: 'rules-replay-nothing',
      severity: 'error',
      comment: 'A rule reads the catalog it is given (context.catalogAt); replaying the migration is the engine\'s job, done once.',
      from: { path: RULES },
      to: { path: '^server/src/schema/(replay[^/]*|builder|timeline)[.]ts$' },
    },
    ...LAYERS.map(({ name, layer, mayImport, comment }) => ({
      name,
      severity: /** @type {const} */ ('error'),
      comment,
      from: { path: layer },
      to: { path: OWN_CODE, pathNot: mayImport.join('|') },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    skipAnalysisNotInRules: true,
  },
};
