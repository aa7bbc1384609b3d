import * as ts from 'typescript';
import { ConditionReading, RunCondition, conditionText, variantKey } from './conditions';
import { nodeSpan, resolveConst, unwrap } from './host-syntax';

/**
 * The tests a TS/JS call runs under, outermost first: the `if`/`else` branch, `switch` case, ternary or `&&`
 * operand it sits in, and each `if (...) return;` before it in an enclosing block, up to the `up`/`down`
 * function (or a named function: a helper runs wherever it is called). Undefined when there are none, or all
 * are constant true or test the catalog (an idempotency guard: `if (!(await queryInterface.tableExists(...)))`).
 */
export function callConditions(
  node: ts.Node,
  source: ts.SourceFile,
  sectionFunctions: ReadonlySet<ts.Node>,
): RunCondition[] | undefined {
  const found: RunCondition[] = [];
  const add = (reading: ConditionReading) => {
    if (reading !== 'always') found.push(reading);
  };
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && child !== parent.expression) {
      add(readCondition(parent.expression, child === parent.thenStatement, source));
    } else if (ts.isConditionalExpression(parent) && child !== parent.condition) {
      add(readCondition(parent.condition, child === parent.whenTrue, source));
    } else if (ts.isBinaryExpression(parent) && child === parent.right) {
      const operator = parent.operatorToken.kind;
      if (operator === ts.SyntaxKind.AmpersandAmpersandToken) add(readCondition(parent.left, true, source));
      if (operator === ts.SyntaxKind.BarBarToken) add(readCondition(parent.left, false, source));
    } else if (ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
      add(caseCondition(parent, source));
    }
    if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseOrDefaultClause(parent)) {
      for (const early of earlyReturns(parent)) {
        if (early.end <= child.pos) add(readCondition(early.test, false, source));
      }
    }
    if (
      sectionFunctions.has(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isAccessor(parent)
    )
      break;
  }
  return found.length ? found.reverse() : undefined;
}

/** `if (test) return;` / `if (test) { ...; throw ... }` statements of a block, found once per block. */
const earlyReturnsByBlock = new WeakMap<ts.Node, { end: number; test: ts.Expression }[]>();

function earlyReturns(
  block: ts.Block | ts.SourceFile | ts.CaseOrDefaultClause,
): { end: number; test: ts.Expression }[] {
  let found = earlyReturnsByBlock.get(block);
  if (!found) {
    found = block.statements
      .filter((s): s is ts.IfStatement => ts.isIfStatement(s) && !s.elseStatement && leaves(s.thenStatement))
      .map((s) => ({ end: s.end, test: s.expression }));
    earlyReturnsByBlock.set(block, found);
  }
  return found;
}

function leaves(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return last !== undefined && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}

/** `case 'central':` is `subject === 'central'`; `default:` holds when no case matched, which no variant decides. */
function caseCondition(clause: ts.CaseOrDefaultClause, source: ts.SourceFile): ConditionReading {
  const switchStatement = clause.parent.parent;
  const subject = switchStatement.expression;
  if (ts.isCaseClause(clause)) {
    const key = subjectKey(subject);
    const value = literalValue(clause.expression);
    const text = `${subject.getText(source)} === ${clause.expression.getText(source)}`;
    const span = nodeSpan(clause.expression, source);
    return key && value !== undefined
      ? { text: conditionText(text), span, comparison: { key, value, equal: true } }
      : { text: conditionText(text), span };
  }
  const cases = clause.parent.clauses.filter(ts.isCaseClause).map((c) => c.expression.getText(source));
  return {
    text: conditionText(`${subject.getText(source)} is none of ${cases.join(', ')}`),
    span: nodeSpan(subject, source),
  };
}

/** A test, for statements that run when it evaluates to `holds`. */
function readCondition(test: ts.Expression, holds: boolean, source: ts.SourceFile): ConditionReading {
  const inner = unwrap(test);
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken)
    return readCondition(inner.operand, !holds, source);
  const span = nodeSpan(test, source);
  const written = inner.getText(source);
  const constant = constantTruth(inner);
  if (constant !== undefined)
    return constant === holds ? 'always' : { text: conditionText(written), span, never: true };
  if (testsCatalog(inner)) return 'always';
  const comparison = readComparison(inner, source);
  if (!comparison) return { text: conditionText(holds ? written : `!(${written})`), span };
  const equal = comparison.equal === holds;
  return {
    text: conditionText(holds ? written : `${comparison.subject} ${equal ? '===' : '!=='} ${comparison.valueText}`),
    span,
    comparison: { key: comparison.key, value: comparison.value, equal },
  };
}

const EQUALITY = new Map<ts.SyntaxKind, boolean>([
  [ts.SyntaxKind.EqualsEqualsEqualsToken, true],
  [ts.SyntaxKind.EqualsEqualsToken, true],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken, false],
  [ts.SyntaxKind.ExclamationEqualsToken, false],
]);

function readComparison(expr: ts.Expression, source: ts.SourceFile) {
  if (!ts.isBinaryExpression(expr)) return undefined;
  const equal = EQUALITY.get(expr.operatorToken.kind);
  if (equal === undefined) return undefined;
  for (const [subject, literal] of [
    [expr.left, expr.right],
    [expr.right, expr.left],
  ]) {
    const key = subjectKey(subject);
    const value = literalValue(literal);
    if (key && value !== undefined)
      return {
        key,
        value,
        equal,
        subject: unwrap(subject).getText(source),
        valueText: unwrap(literal).getText(source),
      };
  }
  return undefined;
}

/**
 * What a variant value decides: `serverType`, `config.serverType`, `process.env.SERVER_TYPE`,
 * `process.env['SERVER_TYPE']`, `config.get('serverType')` — by its last segment, normalised.
 */
function subjectKey(expr: ts.Expression): string | undefined {
  const inner = unwrap(expr);
  if (ts.isIdentifier(inner)) return variantKey(inner.text);
  if (ts.isPropertyAccessExpression(inner)) return variantKey(inner.name.text);
  if (ts.isElementAccessExpression(inner) && ts.isStringLiteralLike(inner.argumentExpression)) {
    return variantKey(inner.argumentExpression.text);
  }
  if (ts.isCallExpression(inner) && inner.arguments.length === 1 && ts.isStringLiteralLike(inner.arguments[0])) {
    const callee = inner.expression;
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'get')
      return variantKey(inner.arguments[0].text.split('.').pop()!);
  }
  return undefined;
}

function literalValue(expr: ts.Expression): string | undefined {
  const inner = unwrap(expr);
  if (ts.isStringLiteralLike(inner) || ts.isNumericLiteral(inner)) return inner.text;
  if (inner.kind === ts.SyntaxKind.TrueKeyword) return 'true';
  if (inner.kind === ts.SyntaxKind.FalseKeyword) return 'false';
  return undefined;
}

/** `true`, `false`, `0`, `'x'`, `!CONSTANT`, or a `const` holding one: a test the file itself decides. */
function constantTruth(expr: ts.Expression, depth = 0): boolean | undefined {
  const inner = unwrap(expr);
  if (inner.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (inner.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isNumericLiteral(inner)) return Number(inner.text) !== 0;
  if (ts.isStringLiteralLike(inner)) return inner.text !== '';
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken) {
    const operand = constantTruth(inner.operand, depth);
    return operand === undefined ? undefined : !operand;
  }
  if (ts.isIdentifier(inner) && depth < 4) {
    const initializer = resolveConst(inner);
    return initializer ? constantTruth(initializer, depth + 1) : undefined;
  }
  return undefined;
}

/** Query-interface calls that read the schema: a test on their answer guards against creating an object twice. */
const CATALOG_PROBES = new Set([
  'describeTable',
  'showIndex',
  'tableExists',
  'hasTable',
  'hasColumn',
  'hasIndex',
  'hasSchema',
  'hasForeignKey',
  'getTable',
  'getTables',
  'showAllTables',
  'showAllSchemas',
  'getForeignKeyReferencesForTable',
  'getForeignKeysForTables',
  'columnExists',
  'indexExists',
  'getColumns',
  'getIndexes',
]);

/** Whether the test reads the catalog: a probe call, a query of pg_catalog or information_schema, or a `const` holding one. */
function testsCatalog(expr: ts.Expression): boolean {
  let found = false;
  const visit = (node: ts.Node, depth: number): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : '';
      if (CATALOG_PROBES.has(name)) found = true;
    }
    if (ts.isStringLiteralLike(node) && /\b(information_schema|pg_catalog|pg_[a-z_]+|to_regclass)\b/i.test(node.text))
      found = true;
    if (
      ts.isIdentifier(node) &&
      depth < 2 &&
      !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)
    ) {
      const initializer = resolveConst(node);
      if (initializer) visit(initializer, depth + 1);
    }
    ts.forEachChild(node, (child) => visit(child, depth));
  };
  visit(expr, 0);
  return found;
}
