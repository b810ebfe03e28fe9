import { ts } from 'ts-morph';

const CHECKPOINT_EVERY = 256;

/**
 * Visits every node under `root` once, depth first, with `ts.forEachChild` on the raw tree.
 * `checkpoint` runs every few hundred nodes so a cancelled or overrunning rule stops promptly.
 */
export function walkTree(root: ts.Node, visit: (node: ts.Node) => void, checkpoint: () => void): void {
  let count = 0;
  const step = (node: ts.Node): void => {
    if (++count % CHECKPOINT_EVERY === 0) checkpoint();
    visit(node);
    ts.forEachChild(node, step);
  };
  step(root);
}

/** Every call and `new` expression of a file, in source order, collected in one pass. */
export function collectCalls(root: ts.Node, checkpoint: () => void): { calls: ts.CallExpression[]; news: ts.NewExpression[] } {
  const calls: ts.CallExpression[] = [];
  const news: ts.NewExpression[] = [];
  walkTree(
    root,
    (node) => {
      if (node.kind === ts.SyntaxKind.CallExpression) calls.push(node as ts.CallExpression);
      else if (node.kind === ts.SyntaxKind.NewExpression) news.push(node as ts.NewExpression);
    },
    checkpoint,
  );
  return { calls, news };
}

/** The first ancestor (not `node` itself) that satisfies `test`, or undefined. */
export function findAncestor<T extends ts.Node>(node: ts.Node, test: (candidate: ts.Node) => candidate is T): T | undefined {
  for (let current = node.parent; current; current = current.parent) if (test(current)) return current;
  return undefined;
}

/** Whether `inner` lies within `outer` (or is it). */
export function isWithin(inner: ts.Node, outer: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end && inner.getSourceFile() === outer.getSourceFile();
}
