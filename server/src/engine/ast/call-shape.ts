import { ts } from 'ts-morph';

/** Strips the wrappers that do not change which value an expression denotes: `(x)`, `x as T`, `x!`, `<T>x`, `x satisfies T`. */
export function unwrapExpression(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current) || ts.isSatisfiesExpression(current)) {
      current = current.expression;
    } else return current;
  }
}

/**
 * The dotted path of an access chain, root first: `axios.get` -> ['axios', 'get'],
 * `this.http.get` -> ['this', 'http', 'get']. Undefined when a link is not a plain name
 * (a call, an element access with a computed key).
 */
export function accessPath(expression: ts.Expression): string[] | undefined {
  const parts: string[] = [];
  let current = unwrapExpression(expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(current)) {
      parts.push(current.name.text);
      current = unwrapExpression(current.expression);
    } else if (ts.isElementAccessExpression(current) && ts.isStringLiteralLike(current.argumentExpression)) {
      parts.push(current.argumentExpression.text);
      current = unwrapExpression(current.expression);
    } else if (ts.isIdentifier(current)) {
      parts.push(current.text);
      return parts.reverse();
    } else if (current.kind === ts.SyntaxKind.ThisKeyword) {
      parts.push('this');
      return parts.reverse();
    } else return undefined;
  }
}

/** The method name of `x.name(...)`, or undefined for a call of a bare function. */
export function calledMethodName(call: ts.CallExpression): string | undefined {
  const callee = unwrapExpression(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/** The receiver of `x.name(...)`: `x`. */
export function receiverOf(call: ts.CallExpression): ts.Expression | undefined {
  const callee = unwrapExpression(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
}

/**
 * The outermost call of a fluent chain that starts with `call`:
 * `superagent.get(u).set(h).timeout(5)` for the inner `superagent.get(u)`.
 */
export function outermostChainCall(call: ts.CallExpression): ts.CallExpression {
  let current: ts.CallExpression = call;
  for (;;) {
    const access = current.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== current) return current;
    const next = access.parent;
    if (!next || !ts.isCallExpression(next) || next.expression !== access) return current;
    current = next;
  }
}

/** Method names called along a fluent chain after `call` (`.set`, `.timeout`, …). */
export function chainedMethodNames(call: ts.CallExpression): string[] {
  const names: string[] = [];
  let current: ts.Expression = call;
  for (;;) {
    const access = current.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== current) return names;
    names.push(access.name.text);
    const next = access.parent;
    if (!next || !ts.isCallExpression(next) || next.expression !== access) return names;
    current = next;
  }
}

/** Whether a node is a function-like expression or declaration with a body. */
export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** A short, single-line rendering of an expression for messages. */
export function shortText(node: ts.Node, max = 48): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The numeric value of a literal like `5000`, `5_000`, `-1`, or undefined. */
export function numericValue(expression: ts.Expression): number | undefined {
  const inner = unwrapExpression(expression);
  if (ts.isNumericLiteral(inner)) return Number(inner.text.replace(/_/g, ''));
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(inner.operand)) {
    return -Number(inner.operand.text.replace(/_/g, ''));
  }
  return undefined;
}
