import * as ts from 'typescript';
import { nameText } from './host-syntax';
import { forEachNode } from './typescript';

/**
 * Where the calls of a helper run. Real services split their work into helpers — `pushFromDesktop` opens a
 * transaction on `client` and calls `this.insertAll(client, rows)` — so a query in a helper runs where the
 * helper is called, not where it is written. A helper (a named function, a method, or a function bound to a
 * `const`) that the file calls from exactly one place runs its calls at that place: between the caller's BEGIN
 * and COMMIT, inside its transaction callback, in its `up`. A helper called from several places, or never, or
 * only by name (passed as a callback), keeps its own position: which call it runs under cannot be told.
 */
export interface CallSites {
  /** The call of the helper `node` sits in, when that helper is called from exactly one place. */
  callSiteOf(node: ts.Node): ts.CallExpression | undefined;
}

/** Bounds the chain of helpers calling helpers that is followed (and ends a recursion between them). */
const MAX_DEPTH = 8;

export function findCallSites(source: ts.SourceFile): CallSites {
  const helpersByName = new Map<string, ts.FunctionLikeDeclaration[]>();
  const callsByName = new Map<string, ts.CallExpression[]>();
  forEachNode(source, (node) => {
    const helper = helperName(node);
    if (helper) push(helpersByName, helper, node as ts.FunctionLikeDeclaration);
    if (ts.isCallExpression(node)) {
      const callee = calleeName(node.expression);
      if (callee) push(callsByName, callee, node);
    }
  });
  const siteOfHelper = new Map<ts.Node, ts.CallExpression>();
  for (const [name, helpers] of helpersByName) {
    const calls = callsByName.get(name);
    // Two helpers of one name (methods of two classes) or two calls: which runs where is not known.
    if (helpers.length !== 1 || calls?.length !== 1) continue;
    const [helper] = helpers;
    const [call] = calls;
    if (!contains(helper, call)) siteOfHelper.set(helper, call);
  }
  return {
    callSiteOf(node) {
      // Through the anonymous callbacks around `node` (`rows.map((row) => ...)`) to the helper they sit in.
      for (let parent = node.parent; parent; parent = parent.parent) {
        if (!ts.isFunctionLike(parent)) continue;
        const site = siteOfHelper.get(parent);
        if (site || helperName(parent)) return site;
      }
      return undefined;
    },
  };
}

/**
 * The call sites `node` runs under, innermost first: the call of its helper, the call of the helper that call
 * sits in, and so on.
 */
export function callSiteChain(sites: CallSites, node: ts.Node): ts.CallExpression[] {
  const chain: ts.CallExpression[] = [];
  for (
    let site = sites.callSiteOf(node);
    site && chain.length < MAX_DEPTH && !chain.includes(site);
    site = sites.callSiteOf(site)
  ) {
    chain.push(site);
  }
  return chain;
}

/**
 * `function insertAll`, `private async insertAll(...)` in a class, `const insertAll = async (...) => ...`. An
 * exported function is no helper: other modules may call it too.
 */
function helperName(node: ts.Node): string | undefined {
  if (ts.isMethodDeclaration(node) && node.body) return nameText(node.name);
  if (ts.isFunctionDeclaration(node) && node.name && node.body) return isExported(node) ? undefined : node.name.text;
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    const parent = node.parent;
    if (!ts.isVariableDeclaration(parent) || parent.initializer !== node || !ts.isIdentifier(parent.name))
      return undefined;
    const statement = parent.parent.parent;
    return ts.isVariableStatement(statement) && isExported(statement) ? undefined : parent.name.text;
  }
  return undefined;
}

function isExported(node: ts.FunctionDeclaration | ts.VariableStatement): boolean {
  return node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

/** `insertAll(...)` or `this.insertAll(...)`: the calls that can reach a local helper by its name. */
function calleeName(callee: ts.Expression): string | undefined {
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword)
    return callee.name.text;
  return undefined;
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return outer.pos <= inner.pos && inner.end <= outer.end;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
