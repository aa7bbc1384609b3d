/**
 * The vscode-languageserver family publishes its Node entry points (`vscode-languageserver/node`, ...) only
 * through package.json `exports`, which TypeScript's `"moduleResolution": "node"` (this repo's tsconfig)
 * does not read. These declarations point the type checker at the files Node itself resolves at run time;
 * the emitted `require('vscode-languageserver/node')` is untouched.
 */
declare module 'vscode-jsonrpc' {
  export * from 'vscode-jsonrpc/lib/common/api';
}
declare module 'vscode-jsonrpc/node' {
  export * from 'vscode-jsonrpc/lib/node/main';
}
declare module 'vscode-languageserver-protocol' {
  export * from 'vscode-languageserver-protocol/lib/common/api';
}
declare module 'vscode-languageserver-protocol/node' {
  export * from 'vscode-languageserver-protocol/lib/node/main';
}
declare module 'vscode-languageserver' {
  export * from 'vscode-languageserver/lib/common/api';
}
declare module 'vscode-languageserver/node' {
  export * from 'vscode-languageserver/lib/node/main';
}
