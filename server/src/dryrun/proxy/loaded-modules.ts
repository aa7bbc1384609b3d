/**
 * Part of the preload of a Node program the dry-run runs (typescript-register.ts): changes a database library's
 * module as Node loads it, from wherever the program resolves it (its own node_modules, an ORM's), since the preload
 * cannot require the program's copy itself. Hooked where a CommonJS file is compiled, which runs once per file (not
 * once per `require`) and knows the file's path without resolving anything; what `patch` returns is what every
 * later `require` of that file gets.
 */
// The module system itself, whose `_extensions` is patched below: an `import * as` namespace would be a copy of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import Module = require('module');

type CompileFile = (this: unknown, module: NodeJS.Module, file: string) => void;

export function patchAsLoaded(file: RegExp, patch: (exports: unknown) => unknown): void {
  const extensions = (Module as unknown as { _extensions: Record<string, CompileFile> })._extensions;
  const compile = extensions['.js'];
  extensions['.js'] = function (module, filename) {
    compile.call(this, module, filename);
    if (file.test(filename)) module.exports = patch(module.exports);
  };
}

