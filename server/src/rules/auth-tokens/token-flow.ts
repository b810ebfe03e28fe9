import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { propertyName } from '../../engine/ast/object-literal';
import { resolveName } from '../../engine/ast/scope';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { jwtCallOf } from './libraries';
import { judgeTokenName } from './token-words';

/**
 * Why an expression is taken for an auth token: its name (`accessToken`, `data.refresh_token`),
 * where it comes from (`jwt.sign`, an Authorization header, a login or refresh response), or an
 * object holding such a field (`{ user, token }`).
 */
export interface TokenEvidence {
  kind: 'name' | 'signed' | 'header' | 'login-response' | 'field';
  /** What to call it in a message: `accessToken`, `jwt.sign(...)`, `the Authorization header`. */
  label: string;
  refresh: boolean;
  /** Named specifically (`accessToken`, `jwt`) or from a token source; false for a bare `token`. */
  qualified: boolean;
}

/** How far the intra-file flow follows assignments and returns; keeps every question cheap. */
const MAX_DEPTH = 4;

const LOGIN_CALL = /^(login|logIn|signIn|signin|signInWith\w*|authenticate|refresh|refreshTokens?|refreshSession|refreshAccessToken|exchangeCode\w*|verifyOtp|loginWith\w*)$/;
const LOGIN_URL = /(^|[/._-])(login|signin|sign-in|sign_in|token|tokens|refresh|authenticate|oauth)([/?._-]|$)/i;
const PASS_THROUGH_METHODS = /^(toString|trim|split|slice|substring|substr|replace|replaceAll|at|valueOf)$/;

export function tokenEvidence(expression: ts.Expression, file: ParsedFile, depth = 0): TokenEvidence | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const node = unwrapAwait(expression);
  if (ts.isIdentifier(node)) return identifierEvidence(node, file, depth);
  if (ts.isPropertyAccessExpression(node) || (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression))) {
    const name = ts.isPropertyAccessExpression(node) ? node.name.text : (node.argumentExpression as ts.StringLiteralLike).text;
    if (/^authorization$/i.test(name)) return { kind: 'header', label: 'the Authorization header', refresh: false, qualified: true };
    const verdict = judgeTokenName(name);
    if (verdict.isToken) return { kind: 'name', label: shortLabel(node, file), refresh: verdict.isRefresh, qualified: verdict.qualified };
    if (/^(data|body|result|tokens|credentials)$/.test(name)) {
      const inner = tokenEvidence(node.expression, file, depth + 1);
      if (inner && inner.kind !== 'name') return inner;
    }
    return undefined;
  }
  if (ts.isElementAccessExpression(node)) {
    // `authorization.split(' ')[1]`
    return tokenEvidence(node.expression, file, depth + 1);
  }
  if (ts.isCallExpression(node)) return callEvidence(node, file, depth);
  if (ts.isTemplateExpression(node)) {
    for (const span of node.templateSpans) {
      const inner = tokenEvidence(span.expression, file, depth + 1);
      if (inner) return inner;
    }
    return undefined;
  }
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.PlusToken || operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken) {
      return tokenEvidence(node.left, file, depth + 1) ?? tokenEvidence(node.right, file, depth + 1);
    }
    return undefined;
  }
  if (ts.isConditionalExpression(node)) return tokenEvidence(node.whenTrue, file, depth + 1) ?? tokenEvidence(node.whenFalse, file, depth + 1);
  if (ts.isObjectLiteralExpression(node)) return objectEvidence(node, file, depth);
  return undefined;
}

/** The field of an object literal that holds a token: `{ user, token }`, `{ accessToken: t }`. */
export function objectEvidence(object: ts.ObjectLiteralExpression, file: ParsedFile, depth = 0): TokenEvidence | undefined {
  for (const property of object.properties) {
    if (ts.isSpreadAssignment(property)) continue;
    const name = propertyName(property);
    if (!name) continue;
    const verdict = judgeTokenName(name);
    if (!verdict.isToken) continue;
    if (ts.isPropertyAssignment(property) && isInertValue(property.initializer)) continue;
    return { kind: 'field', label: name, refresh: verdict.isRefresh, qualified: verdict.qualified };
  }
  if (depth >= MAX_DEPTH) return undefined;
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property)) {
      const inner = tokenEvidence(property.initializer, file, depth + 1);
      if (inner && inner.kind !== 'name') return inner;
    }
  }
  return undefined;
}

/** Literals, booleans and numbers: `{ token: null }` or `{ hasToken: true }` hold no credential. */
export function isInertValue(expression: ts.Expression): boolean {
  const node = unwrapExpression(expression);
  return (
    node.kind === ts.SyntaxKind.NullKeyword ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    ts.isNumericLiteral(node) ||
    (ts.isIdentifier(node) && node.text === 'undefined') ||
    (ts.isStringLiteralLike(node) && node.text.length < 8) ||
    ts.isPrefixUnaryExpression(node) ||
    ts.isTypeOfExpression(node)
  );
}

function identifierEvidence(node: ts.Identifier, file: ParsedFile, depth: number): TokenEvidence | undefined {
  const verdict = judgeTokenName(node.text);
  if (verdict.isToken) return { kind: 'name', label: node.text, refresh: verdict.isRefresh, qualified: verdict.qualified };
  const binding = resolveName(node.text, node);
  if (!binding || binding.kind !== 'variable') return undefined;
  const declaration = binding.declaration;
  if (!declaration.initializer) return undefined;
  if (ts.isIdentifier(declaration.name)) {
    const inner = tokenEvidence(declaration.initializer, file, depth + 1);
    return inner && inner.kind !== 'name' ? inner : inner && { ...inner, label: `${node.text} (${inner.label})` };
  }
  // `const { data } = await api.login(...)`: the login response's payload.
  const element = findBindingElement(declaration.name, node.text);
  if (!element) return undefined;
  const key = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : node.text;
  const keyVerdict = judgeTokenName(key);
  if (keyVerdict.isToken) return { kind: 'name', label: key, refresh: keyVerdict.isRefresh, qualified: keyVerdict.qualified };
  if (/^(data|body|result|tokens|credentials)$/.test(key)) {
    const inner = tokenEvidence(declaration.initializer, file, depth + 1);
    if (inner && inner.kind !== 'name') return inner;
  }
  return undefined;
}

function findBindingElement(pattern: ts.BindingName, name: string): ts.BindingElement | undefined {
  if (ts.isIdentifier(pattern)) return undefined;
  for (const element of pattern.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (ts.isIdentifier(element.name) && element.name.text === name) return element;
    const nested = findBindingElement(element.name, name);
    if (nested) return nested;
  }
  return undefined;
}

function callEvidence(call: ts.CallExpression, file: ParsedFile, depth: number): TokenEvidence | undefined {
  const jwt = jwtCallOf(call, file);
  if (jwt?.operation === 'sign') return { kind: 'signed', label: `${jwt.callee}(...)`, refresh: false, qualified: true };
  if (jwt) return undefined;
  const callee = unwrapExpression(call.expression);
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (!method) return undefined;
  // `req.get('authorization')`, `headers.get('Authorization')`, `req.header('authorization')`
  const first = call.arguments[0];
  if (/^(get|header)$/.test(method) && first && ts.isStringLiteralLike(first) && /^authorization$/i.test(first.text)) {
    return { kind: 'header', label: 'the Authorization header', refresh: false, qualified: true };
  }
  if (ts.isPropertyAccessExpression(callee) && (PASS_THROUGH_METHODS.test(method) || method === 'json')) {
    const inner = tokenEvidence(callee.expression, file, depth + 1);
    if (inner) return inner;
  }
  if (ts.isIdentifier(callee) && /^(String|JSON\.stringify)$/.test(method)) return first ? tokenEvidence(first, file, depth + 1) : undefined;
  if (ts.isPropertyAccessExpression(callee) && method === 'stringify' && ts.isIdentifier(callee.expression) && callee.expression.text === 'JSON') {
    return first ? tokenEvidence(first, file, depth + 1) : undefined;
  }
  if (LOGIN_CALL.test(method)) return { kind: 'login-response', label: `the response of ${method}(...)`, refresh: /refresh/i.test(method), qualified: true };
  // fetch('/api/auth/login'), axios.post('/oauth/token', ...)
  // A path or URL (`params.get('token')` reads a query parameter, it fetches nothing).
  if (first && (method === 'fetch' || /^(post|get|put|request)$/.test(method)) && ts.isStringLiteralLike(first) && first.text.includes('/') && LOGIN_URL.test(first.text)) {
    return { kind: 'login-response', label: `the response of ${method}('${first.text}')`, refresh: /refresh/i.test(first.text), qualified: true };
  }
  const verdict = judgeTokenName(method.replace(/^(get|fetch|read|load|generate|create|issue|sign|make|build|new)(?=[A-Z_])/, ''));
  if (verdict.isToken && verdict.qualified) return { kind: 'name', label: `${shortLabel(callee, file)}()`, refresh: verdict.isRefresh, qualified: true };
  if (ts.isIdentifier(callee)) return localFunctionEvidence(callee, file, depth);
  return undefined;
}

/** A function of this file whose return value is a token (`function issue() { return jwt.sign(...) }`). */
function localFunctionEvidence(callee: ts.Identifier, file: ParsedFile, depth: number): TokenEvidence | undefined {
  const binding = resolveName(callee.text, callee);
  let body: ts.Node | undefined;
  if (binding?.kind === 'function') body = binding.declaration.body;
  else if (binding?.kind === 'variable' && binding.declaration.initializer) {
    const init = unwrapExpression(binding.declaration.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) body = init.body;
  }
  if (!body) return undefined;
  if (!ts.isBlock(body)) {
    const inner = tokenEvidence(body as ts.Expression, file, depth + 1);
    return inner && inner.kind !== 'name' ? inner : undefined;
  }
  let found: TokenEvidence | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const inner = tokenEvidence(node.expression, file, depth + 1);
      if (inner && inner.kind !== 'name') found = inner;
      return;
    }
    if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

function unwrapAwait(expression: ts.Expression): ts.Expression {
  let node = unwrapExpression(expression);
  while (ts.isAwaitExpression(node)) node = unwrapExpression(node.expression);
  return node;
}

function shortLabel(node: ts.Node, file: ParsedFile): string {
  const text = node.getText(file.ast).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
