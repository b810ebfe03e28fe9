import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { findProperty, propertyValue } from '../../engine/ast/object-literal';
import { resolveName } from '../../engine/ast/scope';

export interface ResolvedObject {
  /** The literal a fix edits. */
  object: ts.ObjectLiteralExpression;
  /** It and the literals it spreads in, nearest last. */
  objects: ts.ObjectLiteralExpression[];
  unknownSpread: boolean;
  /** A literal in an untyped variable: string values widen, so the fix writes `'lax' as const`. */
  needsConst: boolean;
}

/** An options object as far as this file shows it: a literal, a `const` holding one, and the literals it spreads in. */
export function resolveObject(expression: ts.Expression, depth = 0): ResolvedObject | undefined {
  if (depth > 3) return undefined;
  const node = unwrapExpression(expression);
  if (ts.isObjectLiteralExpression(node)) {
    const objects: ts.ObjectLiteralExpression[] = [];
    let unknownSpread = false;
    for (const property of node.properties) {
      if (!ts.isSpreadAssignment(property)) continue;
      const inner = resolveObject(property.expression, depth + 1);
      if (!inner) unknownSpread = true;
      else {
        objects.push(...inner.objects);
        unknownSpread ||= inner.unknownSpread;
      }
    }
    objects.push(node);
    const parent = node.parent;
    const needsConst = ts.isVariableDeclaration(parent) && !parent.type;
    return { object: node, objects, unknownSpread, needsConst };
  }
  if (ts.isIdentifier(node)) {
    const binding = resolveName(node.text, node);
    if (binding?.kind === 'variable' && ts.isIdentifier(binding.declaration.name) && binding.declaration.initializer && isConstDeclaration(binding.declaration)) {
      return resolveObject(binding.declaration.initializer, depth + 1);
    }
  }
  return undefined;
}

export function isConstDeclaration(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}


/** The value of `name` in the resolved object (the nearest literal that sets it wins). */
export function resolvedProperty(resolved: ResolvedObject, name: string): ts.Expression | undefined {
  for (let index = resolved.objects.length - 1; index >= 0; index--) {
    const property = findProperty(resolved.objects[index]!, name);
    if (property) return propertyValue(property);
  }
  return undefined;
}

/** The object literal a NestJS `registerAsync({ useFactory })` factory returns, when written inline. */
export function factoryResult(options: ts.ObjectLiteralExpression): ts.ObjectLiteralExpression | undefined {
  const factory = findProperty(options, 'useFactory');
  const value = factory && propertyValue(factory);
  const fn = value && unwrapExpression(value);
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  let body: ts.Node = fn.body;
  if (ts.isBlock(body)) {
    const returned = body.statements.find(ts.isReturnStatement)?.expression;
    if (!returned) return undefined;
    body = returned;
  }
  const result = unwrapExpression(body as ts.Expression);
  return ts.isObjectLiteralExpression(result) ? result : undefined;
}
