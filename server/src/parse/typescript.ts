/**
 * The TypeScript compiler API, loaded on first use. Loading it takes ~300 ms, so modules that every run loads
 * (rules, lint helpers) import only its types and call this where they look at a TS/JS syntax tree, which
 * exists only once a TS/JS file was parsed: runs over .sql files never pay for it.
 */
export function typescript(): typeof import('typescript') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('typescript');
}
