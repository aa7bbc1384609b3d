/**
 * vscode-languageclient publishes `./node` only through package.json `exports`, which this repository's
 * `"moduleResolution": "node"` does not read (esbuild, which bundles the client, does). The protocol
 * packages it re-exports are declared the same way in server/src/lsp/package-exports.d.ts.
 */
declare module 'vscode-languageclient/node' {
  export * from 'vscode-languageclient/lib/node/main';
}
