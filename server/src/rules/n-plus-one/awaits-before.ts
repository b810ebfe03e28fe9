import { ts } from 'ts-morph';

/**
 * Whether the function awaits anything before `position`. Prisma batches `findUnique` calls issued
 * in the same tick, so a call that comes before the first `await` of a per-element callback or a
 * field resolver is merged with its siblings and is not an N+1.
 */
export function awaitsBefore(fn: ts.FunctionLikeDeclaration, position: number): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || node.pos >= position) return;
    if (ts.isAwaitExpression(node) && node.end <= position) found = true;
    else ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}
