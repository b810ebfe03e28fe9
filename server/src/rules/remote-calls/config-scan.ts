import { ts } from 'ts-morph';
import { numericValue, unwrapExpression } from '../../engine/ast/call-shape';
import type { ParsedFile } from '../../engine/source/parsed-file';

/**
 * Statements that configure a client after its creation, found by syntax alone:
 * `api.defaults.timeout = 5000` and `axiosRetry(api, …)`. Keyed by the target as written
 * (`axios`, `api`, `this.client`), which is how the creation is named in the same file.
 */
export interface ClientConfigScan {
  /** Targets given a positive default timeout. */
  defaultsTimeout: Set<string>;
  /** Targets passed to `axiosRetry`. */
  retried: Set<string>;
}

const cache = new WeakMap<ParsedFile, ClientConfigScan>();

export function scanClientConfig(file: ParsedFile): ClientConfigScan {
  const cached = cache.get(file);
  if (cached) return cached;
  const scan: ClientConfigScan = { defaultsTimeout: new Set(), retried: new Set() };
  const text = file.text;
  if (file.ast && (text.includes('defaults') || /retry/i.test(text))) {
    const retryNames = new Set(file.imports.localNamesFor(['axios-retry']));
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const target = defaultsTimeoutTarget(node.left);
        const value = numericValue(node.right);
        if (target && (value === undefined || value > 0)) scan.defaultsTimeout.add(target);
      } else if (ts.isCallExpression(node)) {
        const callee = unwrapExpression(node.expression);
        const retryCall =
          (ts.isIdentifier(callee) && retryNames.has(callee.text)) ||
          (ts.isPropertyAccessExpression(callee) && callee.name.text === 'default' && ts.isIdentifier(callee.expression) && retryNames.has(callee.expression.text));
        const first = node.arguments[0];
        if (retryCall && first) scan.retried.add(expressionKey(first));
        else if (isProjectRetryHelper(callee)) for (const target of handedTargets(node)) scan.retried.add(target);
      }
      ts.forEachChild(node, visit);
    };
    visit(file.ast);
  }
  cache.set(file, scan);
  return scan;
}

/**
 * Projects often wrap axios-retry in a helper of their own (`AxiosUtils.requestRetry({ axios:
 * this.axios })`, `withRetry(client)`); an instance handed to a call named for retrying is taken
 * as retried rather than reported.
 */
function isProjectRetryHelper(callee: ts.Expression): boolean {
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name !== undefined && /retry|retries/i.test(name);
}

function handedTargets(call: ts.CallExpression): string[] {
  const targets: string[] = [];
  for (const argument of call.arguments) {
    const node = unwrapExpression(argument);
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) targets.push(expressionKey(node));
    else if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (ts.isPropertyAssignment(property)) targets.push(expressionKey(property.initializer));
        else if (ts.isShorthandPropertyAssignment(property)) targets.push(property.name.text);
      }
    }
  }
  return targets;
}

/** `X.defaults.timeout` -> 'X'. */
function defaultsTimeoutTarget(left: ts.Expression): string | undefined {
  const access = unwrapExpression(left);
  if (!ts.isPropertyAccessExpression(access) || access.name.text !== 'timeout') return undefined;
  const defaults = unwrapExpression(access.expression);
  if (!ts.isPropertyAccessExpression(defaults) || defaults.name.text !== 'defaults') return undefined;
  return expressionKey(defaults.expression);
}

/** A stable key for a simple target expression: `api`, `this.client`. */
export function expressionKey(expression: ts.Expression): string {
  return unwrapExpression(expression).getText().replace(/\s+/g, '');
}
