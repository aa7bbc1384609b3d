import type { Node } from 'typescript';

/**
 * The TypeScript compiler API, loaded on first use. Loading it takes ~300 ms, so modules that every run loads
 * (rules, lint helpers) import only its types and call this where they look at a TS/JS syntax tree, which
 * exists only once a TS/JS file was parsed: runs over .sql files never pay for it.
 */
export function typescript(): typeof import('typescript') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('typescript');
}

/**
 * Calls `visit` for `root` and every node below it, in source order. It keeps its own stack instead of
 * recursing: TypeScript parses a chain of thousands of `+` (SQL concatenated line by line) into a tree that
 * deep, which a recursive walk cannot descend.
 */
export function forEachNode(root: Node, visit: (node: Node) => void): void {
  const ts = typescript();
  const pending = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    visit(node);
    // The children go onto the stack in place, then are reversed there so the first is popped first: no array per node.
    const first = pending.length;
    ts.forEachChild(node, (child) => {
      pending.push(child);
    });
    for (let i = first, j = pending.length - 1; i < j; i++, j--) {
      const child = pending[i];
      pending[i] = pending[j];
      pending[j] = child;
    }
  }
}
