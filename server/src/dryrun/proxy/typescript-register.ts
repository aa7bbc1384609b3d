/**
 * Preloaded (`node --require`) into a TS/JS script the dry-run runs: `require` of a `.ts` file transpiles it to
 * CommonJS with the `typescript` package Preflight already ships, so a script runs without a build step. Types
 * are not checked, as with ts-node's transpile-only mode.
 */
import * as fs from 'fs';

const extensions = require.extensions as Record<
  string,
  (module: NodeJS.Module & { _compile(code: string, file: string): void }, file: string) => void
>;
for (const extension of ['.ts', '.cts', '.mts', '.tsx']) {
  extensions[extension] = (module, file) => {
    // Loaded at the first .ts file: a JS script does not wait for the compiler (≈300 ms of start-up).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts: typeof import('typescript') = require('typescript');
    const output = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        sourceMap: false,
        inlineSourceMap: true,
      },
    });
    module._compile(output.outputText, file);
  };
}
