import { fileDirectiveRunner } from './file-directive';

/**
 * `atlas migrate apply` runs each file in a transaction (`--tx-mode file`, the default) unless the file says
 * `-- atlas:txmode none` at its top; Atlas then executes the file's statements one by one.
 */
export const atlas = fileDirectiveRunner({
  id: 'atlas',
  name: 'Atlas',
  docs: 'https://atlasgo.io/versioned/apply#transaction-configuration',
  packages: ['ariga.io/atlas', '@ariga/atlas'],
  directive: /^\s*atlas:txmode\s+none\b/i,
  text: '-- atlas:txmode none\n\n',
  withoutTransaction: 'statements',
});
