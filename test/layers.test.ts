import * as assert from 'assert';
import * as path from 'path';
import { REPO_ROOT } from './support/paths';

/**
 * The layers of ARCHITECTURE.md, checked: dependency-cruiser judges every import of client/src, server/src and
 * shared/ by the rules in .dependency-cruiser.cjs (layers, the client's one contract module, no `vscode` in
 * the engine, no cycles). A fixture tree that breaks each kind of rule on purpose shows the check can fail.
 */

/** What the tests read of dependency-cruiser's result (its types are ESM-only declarations). */
interface CruiseViolation {
  rule: { name: string; severity: string };
  from: string;
  to: string;
  cycle?: { name: string }[];
}
interface DependencyCruiser {
  cruise(
    paths: string[],
    options: Record<string, unknown>,
    resolveOptions?: Record<string, unknown>,
    transpileOptions?: { tsConfig?: unknown },
  ): Promise<{ output: { summary: { violations: CruiseViolation[] } } }>;
}

// dependency-cruiser is ESM-only; TypeScript would turn `import()` into `require()` under CommonJS.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

const RULES_FILE = path.join(REPO_ROOT, '.dependency-cruiser.cjs');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'layers');

/** A package by its name (node_modules may sit anywhere above the tree), our own modules by their path. */
function packageOrPath(modulePath: string): string {
  return modulePath.replace(/^.*node_modules\//, '');
}

/** `rule: from -> to`, and for a cycle the whole loop, one line per violation. */
async function violations(baseDir: string, paths: string[], tsConfigFile?: string): Promise<string[]> {
  const { cruise } = (await importEsm('dependency-cruiser')) as DependencyCruiser;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { forbidden, options } = require(RULES_FILE) as { forbidden: unknown[]; options: Record<string, unknown> };
  const transpile: { tsConfig?: unknown } = {};
  const cruiseOptions: Record<string, unknown> = { ...options, baseDir, ruleSet: { forbidden }, validate: true };
  if (tsConfigFile) {
    const extractTsConfig = (
      (await importEsm('dependency-cruiser/config-utl/extract-ts-config')) as { default: (file: string) => unknown }
    ).default;
    transpile.tsConfig = extractTsConfig(path.join(baseDir, tsConfigFile));
  } else {
    delete cruiseOptions.tsConfig;
  }
  // Module paths in the result, and in the rules' regexes, are relative to baseDir.
  const result = await cruise(paths, cruiseOptions, undefined, transpile);
  return result.output.summary.violations
    .filter((violation) => violation.rule.severity === 'error')
    .map(
      ({ rule, from, to, cycle }) =>
        `${rule.name}: ${from} -> ${cycle ? cycle.map((step) => step.name).join(' -> ') : packageOrPath(to)}`,
    )
    .sort();
}

describe('layers (.dependency-cruiser.cjs)', function () {
  this.timeout(60_000);

  it('no import of client/src, server/src or shared/ reaches back a layer, leaves the client contract or closes a cycle', async () => {
    const found = await violations(REPO_ROOT, ['client/src', 'server/src', 'shared'], 'tsconfig.json');
    assert.deepStrictEqual(
      found,
      [],
      `${found.length} import(s) break .dependency-cruiser.cjs:\n  ${found.join('\n  ')}`,
    );
  });

  it('reports each import of the fixture tree that breaks a rule: reaching back, vscode in the engine, a rule importing a rule, the folder of another or a replay, the client importing the server, a cycle', async () => {
    const found = await violations(FIXTURE, ['client/src', 'server/src', 'shared']);
    assert.deepStrictEqual(found, [
      'client-imports-only-the-contract: client/src/dryRun.ts -> server/src/parse/statement.ts',
      // `vscode` has no JavaScript (the editor provides it): the import resolves to its type declarations.
      'engine-never-imports-vscode: server/src/lsp/diagnostics.ts -> @types/vscode/index.d.ts',
      'no-circular: server/src/lint/alter-table.ts -> server/src/lint/new-tables.ts -> server/src/lint/alter-table.ts',
      'parse-imports-only-parse: server/src/parse/statement.ts -> server/src/lsp/diagnostics.ts',
      'rules-import-only-facts: server/src/rules/ban-truncate.ts -> server/src/rules/ban-drop-table.ts',
      'rules-import-only-facts: server/src/rules/ban-truncate.ts -> server/src/rules/ban-drop-table/suggestion.ts',
      'rules-replay-nothing: server/src/rules/unindexed-filter.ts -> server/src/schema/replay-sql.ts',
    ]);
  });
});
