import { ts } from 'ts-morph';
import { isFunctionLike, unwrapExpression } from '../../engine/ast/call-shape';
import { resolveName } from '../../engine/ast/scope';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { jwtCallOf } from '../auth-tokens/libraries';

/**
 * Whether a decoded JWT decides access: the code around the decode is a guard, a middleware, a
 * passport strategy or a request handler, and the payload reaches a condition, a return, a
 * `req.user` assignment or a passport `done(...)`.
 */

/** Where access is decided: a guard, middleware, strategy, param decorator, or a handler of a request. */
export function accessContext(call: ts.Node, file: ParsedFile): string | undefined {
  for (let node: ts.Node | undefined = call.parent; node; node = node.parent) {
    if (!isFunctionLike(node)) continue;
    const name = functionName(node);
    if (name === 'canActivate') return 'a guard';
    if (name === 'validate' || name === 'authenticate') return 'an auth strategy';
    if (name === 'use' && ts.isMethodDeclaration(node) && implementsMiddleware(node)) return 'a middleware';
    if (name && /(guard|middleware|authenticate|authorize|authori[sz]ation|requireAuth|ensureAuth|isAuthenticated|protect|currentUser|getUserFromToken|verifyToken|checkToken|validateToken|checkAuth|verifyAuth)/i.test(name)) return `\`${name}\``;
    const parameters = node.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : ''));
    if (parameters.length >= 2 && /^(req|request)$/.test(parameters[0]!) && /^(res|reply|response)$/.test(parameters[1]!)) return 'a request handler';
    if (parameters.includes('done') && parameters.length >= 2) return 'a passport verify callback';
    if (isParamDecoratorCallback(node, file)) return 'a parameter decorator';
  }
  if (/\.(guard|middleware|strategy)\.[cm]?[jt]s$/.test(file.filePath)) return 'a guard';
  return undefined;
}

function functionName(node: ts.FunctionLikeDeclaration): string | undefined {
  if (node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) return node.name.text;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

function implementsMiddleware(method: ts.MethodDeclaration): boolean {
  const cls = method.parent;
  if (!ts.isClassLike(cls)) return false;
  return !!cls.heritageClauses?.some((clause) => clause.types.some((type) => /Middleware/.test(type.expression.getText())));
}

function isParamDecoratorCallback(node: ts.Node, file: ParsedFile): boolean {
  const parent = node.parent;
  if (!parent || !ts.isCallExpression(parent)) return false;
  const callee = unwrapExpression(parent.expression);
  return ts.isIdentifier(callee) && file.imports.get(callee.text)?.module === '@nestjs/common' && file.imports.get(callee.text)?.imported === 'createParamDecorator';
}

/** What the decoded payload is used for, if it decides access: `a condition`, `the return value`, `req.user`. */
export function accessUse(call: ts.CallExpression): string | undefined {
  const direct = useOf(call);
  if (direct) return direct;
  const names = boundNames(call);
  if (names.length === 0) return undefined;
  const scope = enclosingFunction(call);
  if (!scope) return undefined;
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && names.some((binding) => binding.name === node.text) && node.pos > call.end && !isDeclarationName(node)) {
      const binding = resolveName(node.text, node);
      if (binding && names.some((entry) => entry.declaration === binding.declaration)) found = useOf(outermostAccess(node));
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(scope, visit);
  return found;
}

interface BoundName {
  name: string;
  declaration: ts.Node;
}

/** `const payload = jwt.decode(t)`, `const { sub } = jwt.decode(t) as P`, `payload = jwt.decode(t)`. */
function boundNames(call: ts.CallExpression): BoundName[] {
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent) || ts.isAwaitExpression(node.parent) || ts.isSatisfiesExpression(node.parent) || ts.isTypeAssertionExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === node) {
    const names: BoundName[] = [];
    const collect = (name: ts.BindingName): void => {
      if (ts.isIdentifier(name)) names.push({ name: name.text, declaration: parent });
      else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
    };
    collect(parent.name);
    return names;
  }
  if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node && ts.isIdentifier(parent.left)) {
    const binding = resolveName(parent.left.text, parent.left);
    return binding ? [{ name: parent.left.text, declaration: binding.declaration }] : [];
  }
  return [];
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (ts.isVariableDeclaration(parent) || ts.isBindingElement(parent) || ts.isParameter(parent)) && parent.name === node;
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (isFunctionLike(current) || ts.isSourceFile(current)) return current;
  return undefined;
}

/** `payload.sub.id` for `payload`: the use is judged on the whole access chain. */
function outermostAccess(node: ts.Expression): ts.Expression {
  let current: ts.Expression = node;
  while (current.parent && ((ts.isPropertyAccessExpression(current.parent) || ts.isElementAccessExpression(current.parent)) && current.parent.expression === current)) current = current.parent;
  return current;
}

/** What one occurrence of the payload is used for. */
function useOf(expression: ts.Expression): string | undefined {
  let node: ts.Node = expression;
  for (;;) {
    const parent: ts.Node | undefined = node.parent;
    if (!parent) return undefined;
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isAwaitExpression(parent) || ts.isTypeAssertionExpression(parent)) {
      node = parent;
      continue;
    }
    if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node) {
      node = parent;
      continue;
    }
    if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) {
      node = parent;
      continue;
    }
    if (ts.isBinaryExpression(parent)) {
      const operator = parent.operatorToken.kind;
      if (operator === ts.SyntaxKind.EqualsToken) {
        if (parent.right !== node) return undefined;
        const target = parent.left.getText();
        return /^(req|request|ctx\.state|context\.state|res\.locals|socket|client)(\.\w+)*\.(user|auth|session|currentUser|userId|account|principal|claims|tokenPayload|identity)$/.test(target) ? `\`${target}\`` : undefined;
      }
      if (
        operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
        operator === ts.SyntaxKind.EqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken ||
        operator === ts.SyntaxKind.LessThanToken || operator === ts.SyntaxKind.GreaterThanToken ||
        operator === ts.SyntaxKind.LessThanEqualsToken || operator === ts.SyntaxKind.GreaterThanEqualsToken ||
        operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.InKeyword
      ) {
        return 'a condition';
      }
      return undefined;
    }
    if ((ts.isIfStatement(parent) || ts.isWhileStatement(parent)) && parent.expression === node) return 'a condition';
    if (ts.isConditionalExpression(parent) && parent.condition === node) return 'a condition';
    // `roles.includes('admin')`: the method's result carries the payload on.
    if (ts.isCallExpression(parent) && parent.expression === node) {
      node = parent;
      continue;
    }
    if (ts.isCallExpression(parent)) {
      const callee = unwrapExpression(parent.expression);
      // Array membership decides a role check: `roles.includes(payload.role)`.
      if (ts.isPropertyAccessExpression(callee) && /^(includes|has|some|every|indexOf)$/.test(callee.name.text)) return 'a condition';
      if (ts.isIdentifier(callee) && /^(done|cb|callback|verified)$/.test(callee.text) && parent.arguments.indexOf(node as ts.Expression) === 1) return 'the passport `done(...)` callback';
      return undefined;
    }
    if (ts.isReturnStatement(parent)) return 'the return value';
    if (ts.isArrowFunction(parent) && parent.body === node) return 'the return value';
    if (ts.isShorthandPropertyAssignment(parent) || ts.isPropertyAssignment(parent)) {
      // `req.user = { id: payload.sub }`, `return { userId: payload.sub }`
      const object = parent.parent;
      node = object;
      continue;
    }
    if (ts.isObjectLiteralExpression(parent)) {
      node = parent;
      continue;
    }
    return undefined;
  }
}

/** Whether the same function also verifies a token (decode to read the `kid`, then verify). */
export function verifiesNearby(call: ts.CallExpression, file: ParsedFile): boolean {
  const scope = enclosingFunction(call);
  if (!scope) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && node !== call) {
      const jwt = jwtCallOf(node, file);
      if (jwt?.operation === 'verify') found = true;
      else {
        const callee = unwrapExpression(node.expression);
        const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
        if (/^(verify\w*|jwtVerify|validateToken)$/.test(method) && node.pos > call.pos) found = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(scope, visit);
  return found;
}
