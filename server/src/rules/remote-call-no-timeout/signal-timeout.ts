import { ts } from 'ts-morph';
import { accessPath, unwrapExpression } from '../../engine/ast/call-shape';
import { enclosingFunctionOrFile, resolveName } from '../../engine/ast/scope';

/** Whether an AbortSignal expression ends the call by itself: 'timeout', 'caller' (not ours to judge), or 'never'. */
export type SignalAnswer = 'timeout' | 'caller' | 'never';

export function signalAnswer(expression: ts.Expression, depth = 0): SignalAnswer {
  if (depth > 6) return 'caller';
  const node = unwrapExpression(expression);
  if (ts.isCallExpression(node)) {
    const path = accessPath(node.expression)?.join('.');
    if (path === 'AbortSignal.timeout') return 'timeout';
    if (path === 'AbortSignal.any') {
      const list = node.arguments[0] && unwrapExpression(node.arguments[0]);
      if (!list || !ts.isArrayLiteralExpression(list)) return 'caller';
      const answers = list.elements.map((element) => signalAnswer(element, depth + 1));
      if (answers.includes('timeout')) return 'timeout';
      return answers.includes('caller') ? 'caller' : 'never';
    }
    return 'caller';
  }
  if (ts.isIdentifier(node)) {
    if (node.text === 'undefined') return 'never';
    const binding = resolveName(node.text, node);
    if (binding?.kind === 'variable' && binding.declaration.initializer && ts.isIdentifier(binding.declaration.name)) {
      return signalAnswer(binding.declaration.initializer, depth + 1);
    }
    return 'caller';
  }
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'signal') {
    const owner = unwrapExpression(node.expression);
    if (!ts.isIdentifier(owner)) return 'caller';
    const binding = resolveName(owner.text, owner);
    if (binding?.kind !== 'variable' || !binding.declaration.initializer) return 'caller';
    const init = unwrapExpression(binding.declaration.initializer);
    if (!ts.isNewExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'AbortController') return 'caller';
    return abortedByTimer(owner.text, enclosingFunctionOrFile(binding.declaration)) ? 'timeout' : 'never';
  }
  if (node.kind === ts.SyntaxKind.NullKeyword) return 'never';
  return 'caller';
}

/** `setTimeout(() => controller.abort(), n)` (or `controller.abort.bind(controller)`) within `region`. */
function abortedByTimer(controller: string, region: ts.Node): boolean {
  let found = false;
  const pattern = new RegExp(`\\b${controller}\\.abort\\b`);
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'setTimeout') {
      const callback = node.arguments[0];
      if (callback && pattern.test(callback.getText())) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(region);
  return found;
}
