/**
 * Preloaded (`node --require`) into a TS/JS script the dry-run runs: `require` of a `.ts` file transpiles it to
 * CommonJS with the `typescript` package Preflight already ships, so a script runs without a build step. Types
 * are not checked, as with ts-node's transpile-only mode. The compiler is loaded at the first `.ts` file only: a
 * JS migration does not wait for it (loading it takes 0.3-1.5 s). It also notes which line of the script sent
 * each query (statement-source-capture.ts), for JS and TS scripts alike, and keeps every database connection of the
 * program on the dry-run's database whatever its own config names (connection-redirect.ts).
 */
import './connection-redirect';
import './statement-source-capture';
import * as fs from 'fs';
import type * as TypeScript from 'typescript';

let compiler: typeof TypeScript | undefined;

const extensions = require.extensions as Record<
  string,
  (module: NodeJS.Module & { _compile(code: string, file: string): void }, file: string) => void
>;
for (const extension of ['.ts', '.cts', '.mts', '.tsx']) {
  extensions[extension] = (module, file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = (compiler ??= require('typescript') as typeof TypeScript);
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
