import { ts } from 'ts-morph';
import { isFunctionLike, unwrapExpression } from '../../engine/ast/call-shape';
import { resolveName } from '../../engine/ast/scope';
import { findProperty } from '../../engine/ast/object-literal';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { ProjectView } from '../../engine/workspace/project-view';
import { RXJS_MODULES } from '../remote-calls/client-catalogue';
import { clientFactsExtractor } from '../remote-calls/client-facts';
import type { RemoteCall } from '../remote-calls/find-remote-calls';

const RESILIENCE_HELPER = /\.(fire|execute)\s*\(|\bpRetry\s*\(/;

/** Whether a remote call already goes through retry-with-backoff or a circuit breaker. */
export function isProtected(remote: RemoteCall, file: ParsedFile, project: ProjectView): boolean {
  switch (remote.client) {
    case 'ky':
      return true; // ky retries by default
    case 'got':
      // got retries twice by default (with backoff); only an explicit `retry: { limit: 0 }` turns that off.
      if (remote.instance?.retry !== 'no' && !callDisablesGotRetry(remote.call)) return true;
      break;
    case 'axios':
      if (remote.instance?.retry === 'yes') return true;
      if (!remote.instance && project.allFacts(clientFactsExtractor).some((entry) => entry.facts.axiosRetryGlobal)) return true;
      break;
    case 'nest-http':
      if (pipedThroughRetry(remote.call, file)) return true;
      break;
  }
  return insideResilientFunction(remote.call, file);
}

function insideResilientFunction(call: ts.Node, file: ParsedFile): boolean {
  const wrappedNames = namesHandedToResilience(file);
  for (let node: ts.Node | undefined = call.parent; node; node = node.parent) {
    if (!isFunctionLike(node)) continue;
    const parent = node.parent;
    if (parent && (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(node as ts.Expression)) {
      if (isResilienceCall(parent, file)) return true;
    }
    const name = functionName(node);
    if (name && wrappedNames.has(name)) return true;
  }
  return false;
}

/** `new CircuitBreaker(fn)`, `breaker.fire(fn)`, `policy.execute(fn)`, `pRetry(fn)`, or a local helper built on those. */
function isResilienceCall(call: ts.CallExpression | ts.NewExpression, file: ParsedFile): boolean {
  const callee = unwrapExpression(call.expression);
  if (ts.isNewExpression(call)) return ts.isIdentifier(callee) && file.imports.get(callee.text)?.module === 'opossum';
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    if (method !== 'fire' && method !== 'execute') return false;
    if (file.imports.importsModule(['opossum', 'cockatiel'])) return true;
    return /breaker|policy|retry|resilien/i.test(callee.expression.getText());
  }
  if (!ts.isIdentifier(callee)) return false;
  if (file.imports.get(callee.text)?.module === 'p-retry') return true;
  const binding = resolveName(callee.text, callee);
  if (binding?.kind === 'function') return RESILIENCE_HELPER.test(binding.declaration.getText());
  if (binding?.kind === 'variable' && binding.declaration.initializer) return RESILIENCE_HELPER.test(binding.declaration.initializer.getText());
  return false;
}

const namesCache = new WeakMap<ParsedFile, Set<string>>();

/** Names of functions handed whole to a breaker or retry: `new CircuitBreaker(fetchUser)`, `pRetry(this.load.bind(this))`. */
function namesHandedToResilience(file: ParsedFile): Set<string> {
  const cached = namesCache.get(file);
  if (cached) return cached;
  const names = new Set<string>();
  if (file.ast && /CircuitBreaker|\.fire\(|\.execute\(|pRetry/.test(file.text)) {
    const visit = (node: ts.Node): void => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && isResilienceCall(node, file)) {
        const first = node.arguments?.[0];
        const name = first && handedName(first);
        if (name) names.add(name);
      }
      ts.forEachChild(node, visit);
    };
    visit(file.ast);
  }
  namesCache.set(file, names);
  return names;
}

function handedName(argument: ts.Expression): string | undefined {
  let node = unwrapExpression(argument);
  // `() => loadCustomer(id)`, `async () => await this.deliver(to)`: the function the arrow forwards to.
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && !ts.isBlock(node.body)) {
    let body = unwrapExpression(node.body);
    if (ts.isAwaitExpression(body)) body = unwrapExpression(body.expression);
    if (ts.isCallExpression(body)) node = unwrapExpression(body.expression);
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'bind') node = unwrapExpression(node.expression.expression);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) return node.name.text;
  return undefined;
}

function functionName(node: ts.FunctionLikeDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node)) && node.name && ts.isIdentifier(node.name)) return node.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

function callDisablesGotRetry(call: ts.CallExpression): boolean {
  return call.arguments.some((argument) => {
    const node = unwrapExpression(argument);
    return ts.isObjectLiteralExpression(node) && !!findProperty(node, 'retry') && /limit\s*:\s*0\b|retry\s*:\s*0\b/.test(node.getText());
  });
}

/** `.pipe(retry({ count, delay }))` or `.pipe(retryWhen(...))` on the observable an HttpService call returns. */
function pipedThroughRetry(call: ts.CallExpression, file: ParsedFile): boolean {
  const retryNames = new Set(file.imports.localNamesFor(RXJS_MODULES, 'retry'));
  const retryWhenNames = new Set(file.imports.localNamesFor(RXJS_MODULES, 'retryWhen'));
  let current: ts.Expression = call;
  for (;;) {
    const access = current.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== current || access.name.text !== 'pipe') return false;
    const pipe = access.parent;
    if (!pipe || !ts.isCallExpression(pipe)) return false;
    for (const argument of pipe.arguments) {
      const node = unwrapExpression(argument);
      if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) continue;
      if (retryWhenNames.has(node.expression.text)) return true;
      const config = node.arguments[0] && unwrapExpression(node.arguments[0]);
      if (retryNames.has(node.expression.text) && config && ts.isObjectLiteralExpression(config) && findProperty(config, 'delay')) return true;
    }
    current = pipe;
  }
}
