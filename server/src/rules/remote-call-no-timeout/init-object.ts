import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { resolveName } from '../../engine/ast/scope';

/**
 * The options object at an argument position, as the analysis can see it: 'missing', a literal
 * (written inline or held by a `const` in scope), or 'opaque' (a parameter, a call, a spread…).
 */
export type OptionsArgument = { kind: 'missing' } | { kind: 'literal'; literal: ts.ObjectLiteralExpression; inline: boolean } | { kind: 'opaque' };

export function optionsAt(call: ts.CallExpression, index: number): OptionsArgument {
  const argument = call.arguments[index];
  if (!argument) return { kind: 'missing' };
  return optionsOf(argument);
}

export function optionsOf(argument: ts.Expression): OptionsArgument {
  const node = unwrapExpression(argument);
  if (ts.isObjectLiteralExpression(node)) return { kind: 'literal', literal: node, inline: true };
  if (ts.isIdentifier(node)) {
    if (node.text === 'undefined') return { kind: 'missing' };
    const binding = resolveName(node.text, node);
    if (binding?.kind === 'variable' && binding.declaration.initializer && ts.isIdentifier(binding.declaration.name)) {
      const init = unwrapExpression(binding.declaration.initializer);
      if (ts.isObjectLiteralExpression(init)) return { kind: 'literal', literal: init, inline: false };
    }
  }
  return { kind: 'opaque' };
}

/**
 * Whether the first argument of `got(x)`, `axios(x)`, `http.get(x)` is an options object rather
 * than a URL. Names that read like a URL and string expressions are URLs; anything else the
 * analysis cannot see through counts as options, so an opaque config is never reported.
 */
export function looksLikeOptions(argument: ts.Expression | undefined): boolean {
  if (!argument) return false;
  const node = unwrapExpression(argument);
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node) || ts.isBinaryExpression(node) || ts.isNewExpression(node)) return false;
  if (ts.isIdentifier(node) && /(url|uri|href|endpoint|address|link|path)$/i.test(node.text)) return false;
  if (ts.isPropertyAccessExpression(node) && /(url|uri|href|endpoint|address|link|path)$/i.test(node.name.text)) return false;
  if (ts.isCallExpression(node)) return false;
  return true;
}
