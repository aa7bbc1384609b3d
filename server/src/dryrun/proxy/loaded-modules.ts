/**
 * Part of the preload of a Node program the dry-run runs (typescript-register.ts): changes an export of a database
 * library as Node loads it, from wherever the program resolves it (its own node_modules, an ORM's), since the
 * preload cannot load the program's copy itself.
 *
 * A CommonJS file is patched where Node compiles it, which runs once per file (not once per `require`) and knows the
 * file's path without resolving anything. An ES module's exports cannot be changed from outside, so a module hook
 * (Node's `module.register`) serves the library's file as a module that re-exports the original with the one
 * export patched, by a function this preload leaves on `globalThis` (hooks run on a thread of their own and can hand
 * the program only source text). Registering hooks starts that thread, about 0.25 s here, so it is done only for a
 * program whose entry is an ES module: a CommonJS program that `import()`s the ES module build is left to the
 * backstop of connection-redirect.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
// The module system itself, whose `_extensions` is patched below: an `import * as` namespace would be a copy of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import Module = require('module');

/** An export of a library: its file in the CommonJS build and in the ES module build, and its name. */
export interface LibraryExport {
  commonJs: RegExp;
  esModule: RegExp;
  /** `default`: `module.exports` itself in CommonJS, `export default` in an ES module. */
  name: string;
}

type CompileFile = (this: unknown, module: NodeJS.Module, file: string) => void;

/** Replaces the export with what `patch` returns for it, in whichever build the program loads. */
export function patchExportAsLoaded(target: LibraryExport, patch: (value: unknown) => unknown): void {
  const extensions = (Module as unknown as { _extensions: Record<string, CompileFile> })._extensions;
  const compile = extensions['.js'];
  extensions['.js'] = function (module, filename) {
    compile.call(this, module, filename);
    if (!target.commonJs.test(filename)) return;
    if (target.name === 'default') module.exports = patch(module.exports);
    else if (module.exports !== null && typeof module.exports === 'object')
      (module.exports as Record<string, unknown>)[target.name] = patch(module.exports[target.name]);
  };
  const register = (Module as unknown as { register?: (url: string, options: { data: unknown }) => void }).register;
  if (!register || !entryIsEsModule()) return;
  const key = `preflight.patched-export ${target.esModule.source} ${target.name}`;
  (globalThis as Record<symbol, unknown>)[Symbol.for(key)] = patch;
  register(ES_MODULE_HOOKS, { data: { file: target.esModule.source, name: target.name, key } });
}

/** The program's main file is an ES module: `.mjs`, or `.js` under a package.json of `"type": "module"`. */
function entryIsEsModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  if (entry.endsWith('.mjs')) return true;
  if (!entry.endsWith('.js')) return false;
  for (let dir = path.dirname(path.resolve(entry)); ; dir = path.dirname(dir)) {
    try {
      return (
        (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { type?: unknown }).type === 'module'
      );
    } catch {
      if (dir === path.dirname(dir)) return false;
    }
  }
}

/**
 * The hooks, as the data: URL Node loads them from (once: each registration adds its target). The library's file
 * (no query) becomes a module that imports the original under `?preflight-original` and exports the patched export
 * beside all the others (a module's own export wins over `export *`'s of the same name).
 */
const ES_MODULE_HOOKS =
  'data:text/javascript,' +
  encodeURIComponent(`
const targets = [];
export function initialize(data) { targets.push({ ...data, file: new RegExp(data.file) }); }
export async function load(url, context, nextLoad) {
  const { protocol, pathname, search } = new URL(url);
  const target = protocol === 'file:' && search === '' && targets.find(({ file }) => file.test(pathname));
  if (!target) return nextLoad(url, context);
  const original = JSON.stringify(url + '?preflight-original');
  const patch = 'globalThis[Symbol.for(' + JSON.stringify(target.key) + ')]';
  const source = target.name === 'default'
    ? 'import original from ' + original + '; export * from ' + original + '; export default ' + patch + '(original);'
    : 'import { ' + target.name + ' as original } from ' + original + '; export * from ' + original +
      '; export const ' + target.name + ' = ' + patch + '(original);';
  return { format: 'module', source, shortCircuit: true };
}
`);
