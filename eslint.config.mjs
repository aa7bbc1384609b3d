// @ts-check
/**
 * `npm run lint`: ESLint's and typescript-eslint's recommended rules over every TypeScript and JavaScript source of
 * the repository. A rule is turned off only with the reason beside it.
 */
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      // Build output, installed packages, E2E artifacts.
      'out/',
      'dist/',
      'node_modules/',
      'test-artifacts/',
      // Written by `npm run generate` (ajv's standalone code), checked against its source by test/generated.test.ts.
      'server/src/generated/',
      // Inputs the tests feed to the linter and the layer check: migrations and broken trees on purpose, not our code.
      'test/rules/',
      'test/fixtures/',
      'examples/',
    ],
  },
  {
    // A disable comment that silences nothing is an error, so none outlives the code it was written for.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // Destructuring a key out to drop it (`const { devDependencies, ...shipped } = manifest`) is the idiom.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    // Plain CommonJS scripts (bin/, scripts/, .dependency-cruiser.cjs): `require` is their module system.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
