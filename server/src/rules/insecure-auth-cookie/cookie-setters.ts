import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { findProperty, propertyValue } from '../../engine/ast/object-literal';
import { declaredTypeName, resolveName } from '../../engine/ast/scope';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { importOf } from '../auth-tokens/libraries';

/** Where a cookie is set, and which defaults its library applies to a missing flag. */
export interface CookieSet {
  kind: 'express' | 'fastify' | 'serialize' | 'header' | 'express-session' | 'cookie-session' | 'document' | 'next';
  /** The node reported: the callee, or `document.cookie`. */
  anchor: ts.Node;
  call?: ts.CallExpression;
  name?: ts.Expression;
  value?: ts.Expression;
  /** The options argument (`undefined` when absent), for kinds that take one. */
  options?: ts.Expression;
  /** Index the options argument has, so a fix can create it. */
  optionsIndex?: number;
  /** A raw `Set-Cookie` string. */
  header?: ts.Expression;
  /** Libraries where httpOnly is on unless switched off (express-session, cookie-session). */
  httpOnlyByDefault: boolean;
  callee: string;
}

const SERVER_RESPONSE_MODULES = /^(express|@nestjs\/common|@nestjs\/core|fastify|@fastify\/cookie|@nestjs\/platform-fastify|@nestjs\/platform-express|koa|h3|hono)/;
const RESPONSE_TYPES = /^(Response|Reply|FastifyReply|ExpressResponse|Res)$/;
const RESPONSE_NAMES = /^(res|response|reply|resp)$/;

function fileImportsServer(file: ParsedFile): boolean {
  for (const [, binding] of file.imports.entries()) if (SERVER_RESPONSE_MODULES.test(binding.module)) return true;
  return false;
}

/** `res` is a response object: declared with a response type from a server library, or named so in a file that imports one. */
function isServerResponse(expression: ts.Expression, file: ParsedFile): boolean {
  const node = unwrapExpression(expression);
  let name: string | undefined;
  if (ts.isIdentifier(node)) {
    name = node.text;
    const binding = resolveName(node.text, node);
    if (binding?.kind === 'parameter' || binding?.kind === 'variable') {
      const typeName = declaredTypeName(binding.declaration);
      if (typeName && RESPONSE_TYPES.test(typeName)) {
        const imported = file.imports.get(typeName);
        // `Response` from express / fastify, not the DOM `Response` of fetch.
        if (imported && SERVER_RESPONSE_MODULES.test(imported.module)) return true;
        if (!imported && typeName !== 'Response') return fileImportsServer(file);
      }
    }
  } else if (ts.isPropertyAccessExpression(node)) {
    name = node.name.text;
  }
  return !!name && RESPONSE_NAMES.test(name) && fileImportsServer(file);
}

/**
 * The response cookies of Next.js: `cookies()` / `await cookies()` from next/headers (or a variable
 * holding it), and `response.cookies` of a `NextResponse`. `request.cookies` (NextRequest) only changes
 * what the rest of the middleware chain sees, not the browser, so it does not count.
 */
function isNextCookieStore(expression: ts.Expression, file: ParsedFile, depth = 0): boolean {
  const node = unwrapExpression(expression);
  if (ts.isAwaitExpression(node)) return isNextCookieStore(node.expression, file, depth);
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) return importOf(file, node.expression.text, node)?.module === 'next/headers' && importOf(file, node.expression.text, node)?.imported === 'cookies';
  if (ts.isIdentifier(node) && depth === 0) {
    const binding = resolveName(node.text, node);
    return binding?.kind === 'variable' && !!binding.declaration.initializer && isNextCookieStore(binding.declaration.initializer, file, depth + 1);
  }
  if (!ts.isPropertyAccessExpression(node) || node.name.text !== 'cookies' || !file.imports.importsModule(['next/server'])) return false;
  return isNextResponse(node.expression, file);
}

/** `NextResponse.next()` / `.json()` / `.redirect()` / `new NextResponse()`, or a variable or parameter holding one. */
function isNextResponse(expression: ts.Expression, file: ParsedFile, depth = 0): boolean {
  const node = unwrapExpression(expression);
  const isNextResponseName = (name: ts.Expression): boolean => ts.isIdentifier(name) && importOf(file, name.text, name)?.module === 'next/server' && importOf(file, name.text, name)?.imported === 'NextResponse';
  if (ts.isNewExpression(node)) return isNextResponseName(node.expression);
  if (ts.isCallExpression(node)) {
    const callee = unwrapExpression(node.expression);
    return ts.isPropertyAccessExpression(callee) && isNextResponseName(callee.expression);
  }
  if (!ts.isIdentifier(node) || depth > 0) return false;
  const binding = resolveName(node.text, node);
  if (binding?.kind === 'parameter') return declaredTypeName(binding.declaration) === 'NextResponse';
  if (binding?.kind !== 'variable') return false;
  if (declaredTypeName(binding.declaration) === 'NextResponse') return true;
  return !!binding.declaration.initializer && isNextResponse(binding.declaration.initializer, file, depth + 1);
}

/** Every cookie-setting construct at `node`. */
export function cookieSetAt(node: ts.Node, file: ParsedFile): CookieSet | undefined {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = node.left;
    if (ts.isPropertyAccessExpression(left) && left.name.text === 'cookie' && ts.isIdentifier(left.expression) && left.expression.text === 'document' && !resolveName('document', left)) {
      return { kind: 'document', anchor: left, header: node.right, httpOnlyByDefault: false, callee: 'document.cookie' };
    }
    return undefined;
  }
  if (!ts.isCallExpression(node)) return undefined;
  const callee = unwrapExpression(node.expression);
  const args = node.arguments;
  if (ts.isIdentifier(callee)) {
    const binding = importOf(file, callee.text, node);
    if (!binding) return undefined;
    if (binding.module === 'cookie' && binding.imported === 'serialize') {
      return { kind: 'serialize', anchor: callee, call: node, name: args[0], value: args[1], options: args[2], optionsIndex: 2, httpOnlyByDefault: false, callee: callee.text };
    }
    if (binding.module === 'express-session' && (binding.imported === 'default' || binding.imported === '*')) {
      return { kind: 'express-session', anchor: callee, call: node, options: args[0], optionsIndex: 0, httpOnlyByDefault: true, callee: callee.text };
    }
    if (binding.module === 'cookie-session' && (binding.imported === 'default' || binding.imported === '*')) {
      return { kind: 'cookie-session', anchor: callee, call: node, options: args[0], optionsIndex: 0, httpOnlyByDefault: true, callee: callee.text };
    }
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const text = callee.getText(file.ast);
  const receiver = callee.expression;
  if (method === 'serialize' && ts.isIdentifier(receiver)) {
    const binding = importOf(file, receiver.text, node);
    if (binding?.module === 'cookie' && (binding.imported === '*' || binding.imported === 'default')) {
      return { kind: 'serialize', anchor: callee, call: node, name: args[0], value: args[1], options: args[2], optionsIndex: 2, httpOnlyByDefault: false, callee: text };
    }
    return undefined;
  }
  if ((method === 'cookie' || method === 'setCookie') && args.length >= 2 && isServerResponse(receiver, file)) {
    return { kind: method === 'cookie' ? 'express' : 'fastify', anchor: callee, call: node, name: args[0], value: args[1], options: args[2], optionsIndex: 2, httpOnlyByDefault: false, callee: text };
  }
  if (method === 'set' && args.length >= 1 && isNextCookieStore(receiver, file)) {
    const first = unwrapExpression(args[0]!);
    if (args.length === 1 && ts.isObjectLiteralExpression(first)) {
      // cookies().set({ name: 'session', value: token, httpOnly: true, ... })
      const name = findProperty(first, 'name');
      const value = findProperty(first, 'value');
      return { kind: 'next', anchor: callee, call: node, name: name && propertyValue(name), value: value && propertyValue(value), options: first, httpOnlyByDefault: false, callee: text };
    }
    if (args.length >= 2) return { kind: 'next', anchor: callee, call: node, name: args[0], value: args[1], options: args[2], optionsIndex: 2, httpOnlyByDefault: false, callee: text };
  }
  if (/^(setHeader|header|set|append|appendHeader)$/.test(method) && args.length >= 2) {
    const first = args[0]!;
    if (ts.isStringLiteralLike(first) && /^set-cookie$/i.test(first.text) && (isServerResponse(receiver, file) || /^(headers|responseHeaders)$/.test(receiver.getText(file.ast).split('.').pop() ?? ''))) {
      return { kind: 'header', anchor: callee, call: node, header: args[1], httpOnlyByDefault: false, callee: text };
    }
  }
  return undefined;
}
