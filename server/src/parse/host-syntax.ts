import * as ts from 'typescript';
import { Span } from './text';

/**
 * Small questions about a TS/JS syntax tree that the host extractor asks again and again. Everything here
 * reads the tree of one file; nothing evaluates code, so a value is only known when the file spells it out.
 */

/** The node's span in the file, from its first token (leading comments and whitespace excluded). */
export function nodeSpan(node: ts.Node, source: ts.SourceFile): Span {
  return { start: node.getStart(source), end: node.end };
}

/** Looks through parentheses and type-only wrappers (`x as string`, `x!`, `<T>x`, `x satisfies T`). */
export function unwrap(expr: ts.Expression): ts.Expression {
  for (;;) {
    if (
      ts.isParenthesizedExpression(expr) ||
      ts.isAsExpression(expr) ||
      ts.isNonNullExpression(expr) ||
      ts.isTypeAssertionExpression(expr) ||
      ts.isSatisfiesExpression(expr)
    ) {
      expr = expr.expression;
    } else {
      return expr;
    }
  }
}

/** Whether a parameter or variable binding (possibly destructured: `{ context: queryInterface }`) binds `name`. */
export function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((element) => ts.isBindingElement(element) && bindsName(element.name, name));
}

/**
 * The initializer of the `const` that `id` refers to, looking outwards through the enclosing blocks of this
 * file. Undefined when the nearest binding of the name is something else (a parameter, a `let`, an import):
 * only a `const` is sure to still hold the text it was declared with.
 */
export function resolveConst(id: ts.Identifier): ts.Expression | undefined {
  const name = id.text;
  for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name))) return undefined;
    const statement = blockBindings(statementsOf(scope)).variables.get(name);
    if (!statement) continue;
    const list = statement.declarationList;
    const declaration = list.declarations.find((d) => bindsName(d.name, name))!;
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    return isConst && ts.isIdentifier(declaration.name) ? declaration.initializer : undefined;
  }
  return undefined;
}

const NO_STATEMENTS: readonly ts.Statement[] = [];

function statementsOf(scope: ts.Node): readonly ts.Statement[] {
  if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseOrDefaultClause(scope)) {
    return scope.statements;
  }
  return NO_STATEMENTS;
}

/** For each name, the first statement of a block that binds it, by kind. */
export interface BlockBindings {
  /** `var`, `let` and `const` statements (destructuring included). */
  variables: ReadonlyMap<string, ts.VariableStatement>;
  /** Default, namespace and named imports. */
  imports: ReadonlyMap<string, ts.ImportDeclaration>;
  /** `function name() {}` declarations. */
  functions: ReadonlyMap<string, ts.FunctionDeclaration>;
}

const bindingsOfBlock = new WeakMap<readonly ts.Statement[], BlockBindings>();

/**
 * The names a block's statements bind, indexed once per block and kept as long as the syntax tree: every
 * identifier of a query is looked up here, and scanning the block each time made a migration of 20,000
 * interpolated queries quadratic (33 s).
 */
export function blockBindings(statements: readonly ts.Statement[]): BlockBindings {
  let bindings = bindingsOfBlock.get(statements);
  if (bindings) return bindings;
  const variables = new Map<string, ts.VariableStatement>();
  const imports = new Map<string, ts.ImportDeclaration>();
  const functions = new Map<string, ts.FunctionDeclaration>();
  const first = <T>(map: Map<string, T>, name: string, statement: T) => {
    if (!map.has(name)) map.set(name, statement);
  };
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        for (const name of boundNames(declaration.name)) first(variables, name, statement);
      }
    } else if (ts.isImportDeclaration(statement)) {
      for (const name of importedNames(statement)) first(imports, name, statement);
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      first(functions, statement.name.text, statement);
    }
  }
  bindings = { variables, imports, functions };
  bindingsOfBlock.set(statements, bindings);
  return bindings;
}

/** The names a binding binds: what `bindsName` answers true for. */
function boundNames(binding: ts.BindingName): string[] {
  if (ts.isIdentifier(binding)) return [binding.text];
  return binding.elements.flatMap((element) => (ts.isBindingElement(element) ? boundNames(element.name) : []));
}

function importedNames(statement: ts.ImportDeclaration): string[] {
  const clause = statement.importClause;
  if (!clause) return [];
  const names = clause.name ? [clause.name.text] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
  else if (bindings) names.push(...bindings.elements.map((element) => element.name.text));
  return names;
}

const modulesOfSource = new WeakMap<ts.SourceFile, readonly string[]>();

/** The modules a file's top-level `import ... from` and `require('...')` declarations name. */
export function importedModules(source: ts.SourceFile): readonly string[] {
  let modules = modulesOfSource.get(source);
  if (modules) return modules;
  const found: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier))
      found.push(statement.moduleSpecifier.text);
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const module = declaration.initializer && requiredModule(unwrap(declaration.initializer));
      if (module) found.push(module);
    }
  }
  modulesOfSource.set(source, (modules = found));
  return modules;
}

/** `require('pg')`: the module it names. */
export function requiredModule(expr: ts.Expression): string | undefined {
  if (!ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression) || expr.expression.text !== 'require')
    return undefined;
  const [name] = expr.arguments;
  return name && ts.isStringLiteral(name) ? name.text : undefined;
}

/** A string the file spells out: a literal, a template without holes, or a `const` holding one. */
export interface StringValue {
  value: string;
  /** The literal itself (inside a `const` declaration when reached through one). */
  node: ts.Expression;
}

export function stringValue(expr: ts.Expression | undefined, depth = 0): StringValue | undefined {
  // Bounded: `const a = b; const b = a;` is legal syntax.
  if (!expr || depth > 8) return undefined;
  const inner = unwrap(expr);
  if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) return { value: inner.text, node: inner };
  if (ts.isIdentifier(inner)) return stringValue(resolveConst(inner), depth + 1);
  return undefined;
}

/** The text of a property or member name (`up`, `'up'`, `#up`), or undefined for computed names. */
export function nameText(name: ts.PropertyName | ts.MemberName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

/** The value of property `name` in an object literal; for shorthand `{ name }`, the identifier itself. */
export function propertyValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (nameText(property.name) !== name) continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
  }
  return undefined;
}

/** `x.method(...)`: the property access that names the method, when the callee is one. */
export function methodAccess(call: ts.CallExpression): ts.PropertyAccessExpression | undefined {
  const callee = unwrap(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee : undefined;
}

/** The function an expression is or names (a top-level `function` or a `const` holding one). */
export function functionOf(
  expr: ts.Expression | undefined,
  source: ts.SourceFile,
): ts.FunctionLikeDeclaration | undefined {
  if (!expr) return undefined;
  const inner = unwrap(expr);
  if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) return inner;
  if (!ts.isIdentifier(inner)) return undefined;
  const declared = blockBindings(source.statements).functions.get(inner.text);
  if (declared) return declared;
  const initializer = resolveConst(inner);
  return initializer && !ts.isIdentifier(unwrap(initializer)) ? functionOf(initializer, source) : undefined;
}
