import { ts } from 'ts-morph';
import { isFunctionLike, unwrapExpression } from '../../engine/ast/call-shape';
import type { Span } from '../../engine/model/location';
import type { ParsedFile } from '../../engine/source/parsed-file';

/** A place where code runs once per element of a collection. */
export interface LoopContext {
  kind: 'for-of' | 'for-in' | 'for' | 'while' | 'do' | 'callback' | 'rxjs';
  /** The loop statement, or the iterating call (`orders.map(…)`). */
  node: ts.Node;
  /** The collection iterated, when one can be named. */
  collection?: ts.Expression;
  /** The loop variable or the callback's first parameter. */
  element?: ts.BindingName;
  /** `for…of`, `orders.map(…)`: how messages name the loop. */
  label: string;
  /** Where the related location points: the loop header or the iterating method's name. */
  header: Span;
  /** The `.map(…)` whose promises go straight to `Promise.all` / `allSettled`. */
  inPromiseAll: boolean;
  /** For callbacks: the function run per element. */
  callback?: ts.FunctionLikeDeclaration;
}

const ITERATION_METHODS = new Set(['forEach', 'map', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);
const RXJS_PER_ITEM = new Set(['mergeMap', 'concatMap', 'flatMap', 'exhaustMap']);
const WAIT_CALL = /^(sleep|delay|wait|waitFor|setTimeout|backoff|pause|timeout)$/i;

/**
 * The innermost per-element context `node` runs in, without crossing a function boundary other
 * than an iteration callback. Loops that are not per element are skipped on the way up:
 * small literal arrays, polling and retry loops (their condition reads the query's result, or the
 * body waits between tries), numeric retry counters. A loop body that leaves the loop right
 * after the query runs it once, and is no context at all.
 */
export function perElementContext(node: ts.Node, file: ParsedFile): LoopContext | undefined {
  let previous: ts.Node = node;
  for (let current = node.parent; current && !ts.isSourceFile(current); previous = current, current = current.parent) {
    if (isFunctionLike(current)) {
      const context = callbackContext(current, file);
      if (context === 'stop') return undefined;
      if (context) return context;
      continue;
    }
    if ((ts.isForOfStatement(current) || ts.isForInStatement(current)) && previous === current.statement) {
      if (leavesAfter(current.statement, node) === 'return') return undefined;
      if (leavesAfter(current.statement, node)) continue;
      const collection = unwrapExpression(current.expression);
      if (isSmallLiteralArray(collection) || isChunkList(collection)) continue;
      const element = ts.isVariableDeclarationList(current.initializer) ? current.initializer.declarations[0]?.name : undefined;
      const kind = ts.isForInStatement(current) ? 'for-in' : 'for-of';
      const label = ts.isForInStatement(current) ? '`for…in`' : current.awaitModifier ? '`for await…of`' : '`for…of`';
      return { kind, node: current, collection, element, label, header: headerSpan(current, current.statement, file), inPromiseAll: false };
    }
    if (ts.isForStatement(current) && previous === current.statement) {
      if (leavesAfter(current.statement, node) === 'return') return undefined;
      if (leavesAfter(current.statement, node)) continue;
      const collection = current.condition ? lengthReceiver(current.condition) : undefined;
      if (!collection || isPolling(current, node) || stepsByChunk(current)) continue;
      return { kind: 'for', node: current, collection, label: '`for`', header: headerSpan(current, current.statement, file), inPromiseAll: false };
    }
    if ((ts.isWhileStatement(current) || ts.isDoStatement(current)) && previous === current.statement) {
      if (leavesAfter(current.statement, node) === 'return') return undefined;
      if (leavesAfter(current.statement, node)) continue;
      const collection = lengthReceiver(current.expression);
      if (!collection || isPolling(current, node) || takesWholeBatch(node, collection, current.statement)) continue;
      const kind = ts.isWhileStatement(current) ? 'while' : 'do';
      return { kind, node: current, collection, label: kind === 'while' ? '`while`' : '`do…while`', header: headerSpan(current, current.statement, file), inPromiseAll: false };
    }
  }
  return undefined;
}

function callbackContext(fn: ts.FunctionLikeDeclaration, file: ParsedFile): LoopContext | 'stop' | undefined {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return 'stop';
  const callee = unwrapExpression(call.expression);
  // A transaction callback runs once where it is written: look through it to the loop around it.
  if (ts.isPropertyAccessExpression(callee) && /^\$?transaction$/.test(callee.name.text)) return undefined;
  if (call.arguments[0] !== fn) return 'stop';
  if (ts.isPropertyAccessExpression(callee) && ITERATION_METHODS.has(callee.name.text)) {
    const collection = unwrapExpression(callee.expression);
    if (isSmallLiteralArray(collection) || isChunkList(collection)) return undefined;
    const method = callee.name.text;
    const element = fn.parameters[method === 'reduce' || method === 'reduceRight' ? 1 : 0]?.name;
    const start = callee.name.getStart(file.ast);
    return {
      kind: 'callback',
      node: call,
      collection,
      element,
      label: `\`.${method}(…)\``,
      header: { start, end: callee.name.end },
      inPromiseAll: method === 'map' && isPromiseAllArgument(call),
      callback: fn,
    };
  }
  if (ts.isIdentifier(callee) && RXJS_PER_ITEM.has(callee.text) && /^rxjs(\/operators)?$/.test(file.imports.get(callee.text)?.module ?? '')) {
    const source = pipeSourceCollection(call);
    if (!source) return 'stop';
    return { kind: 'rxjs', node: call, collection: source, element: fn.parameters[0]?.name, label: `\`${callee.text}\``, header: { start: callee.getStart(file.ast), end: callee.end }, inPromiseAll: false, callback: fn };
  }
  return 'stop';
}

/** `from(items).pipe(mergeMap(…))`: `items`. */
function pipeSourceCollection(operator: ts.CallExpression): ts.Expression | undefined {
  const pipe = operator.parent;
  if (!pipe || !ts.isCallExpression(pipe) || !ts.isPropertyAccessExpression(pipe.expression) || pipe.expression.name.text !== 'pipe') return undefined;
  // `bufferCount(100)` before the operator hands it chunks: one query per chunk is batching.
  const earlier = pipe.arguments.slice(0, pipe.arguments.indexOf(operator));
  if (earlier.some((step) => ts.isCallExpression(step) && ts.isIdentifier(step.expression) && /^(buffer\w*|toArray|windowCount|windowTime)$/.test(step.expression.text))) return undefined;
  const source = unwrapExpression(pipe.expression.expression);
  if (ts.isCallExpression(source) && ts.isIdentifier(source.expression) && source.expression.text === 'from' && source.arguments[0]) {
    const collection = unwrapExpression(source.arguments[0]);
    return ts.isArrayLiteralExpression(collection) && isSmallLiteralArray(collection) ? undefined : collection;
  }
  return undefined;
}

function isPromiseAllArgument(call: ts.CallExpression): boolean {
  let current: ts.Node = call;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent))) current = current.parent;
  const parent = current.parent;
  if (!parent || !ts.isCallExpression(parent) || !parent.arguments.includes(current as ts.Expression)) return false;
  const callee = unwrapExpression(parent.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise' && /^(all|allSettled)$/.test(callee.name.text);
}

/** An inline array of at most three items: `for (const kind of ['a', 'b'])` is not an N+1. */
function isSmallLiteralArray(expression: ts.Expression): boolean {
  const node = unwrapExpression(expression);
  if (isConstantList(node)) return true;
  return ts.isArrayLiteralExpression(node) && node.elements.length <= 3 && !node.elements.some((element) => ts.isSpreadElement(element));
}

/**
 * `for (const [start, end] of ranges)`, `for (const batch of chunk(ids, 500))`: one query per
 * page or chunk is how large sets are batched, not an N+1.
 */
const CHUNK_NAME = /(chunk|batch|range|partition)(e?s|List)?$/i;
function isChunkList(expression: ts.Expression): boolean {
  const node = unwrapExpression(expression);
  if (ts.isCallExpression(node)) {
    const callee = unwrapExpression(node.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    return /^(chunk|chunks|chunked|batch|batches|paginate|pages|splitEvery|partition)$/i.test(name);
  }
  const name = ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) ? node.name.text : '';
  return CHUNK_NAME.test(name);
}

/** `DEFAULT_ROLES`, `Object.entries(DEFAULT_TEAMS)`: a fixed list from the code, whose length does not grow with data. */
function isConstantList(node: ts.Expression): boolean {
  const target = ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'Object' && node.arguments[0] ? unwrapExpression(node.arguments[0]) : node;
  return ts.isIdentifier(target) && /^[A-Z][A-Z0-9_]*$/.test(target.text) && target.text.length > 1;
}

/** `while (queue.length) { const batch = queue; queue = []; await load(batch) }`: one query per batch, not per element. */
function takesWholeBatch(node: ts.Node, collection: ts.Expression, body: ts.Statement): boolean {
  if (!ts.isCallExpression(node) || !ts.isIdentifier(collection)) return false;
  const names = new Set([collection.text]);
  ts.forEachChild(body, function visit(child): void {
    if (ts.isVariableDeclaration(child) && ts.isIdentifier(child.name) && child.initializer && ts.isIdentifier(child.initializer) && names.has(child.initializer.text)) names.add(child.name.text);
    ts.forEachChild(child, visit);
  });
  return node.arguments.some((argument) => ts.isIdentifier(argument) && names.has(argument.text));
}

/**
 * Whether the loop body leaves the loop unconditionally at or after the statement holding
 * `node`: `'return'` when it leaves the function, `'break'` when only the loop.
 */
function leavesAfter(body: ts.Statement, node: ts.Node): 'return' | 'break' | undefined {
  if (!ts.isBlock(body)) return ts.isReturnStatement(body) || ts.isThrowStatement(body) ? 'return' : undefined;
  const index = body.statements.findIndex((statement) => statement.pos <= node.pos && node.end <= statement.end);
  if (index < 0) return undefined;
  for (const statement of body.statements.slice(index)) {
    if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return 'return';
    if (ts.isBreakStatement(statement)) return 'break';
  }
  return undefined;
}

/** `for (let i = 0; i < rows.length; i += batchSize)`: one query per chunk, not per element. */
function stepsByChunk(loop: ts.ForStatement): boolean {
  const step = loop.incrementor;
  if (!step || !ts.isBinaryExpression(step) || step.operatorToken.kind !== ts.SyntaxKind.PlusEqualsToken) return false;
  const by = unwrapExpression(step.right);
  return !(ts.isNumericLiteral(by) && by.text === '1');
}

/** `i < orders.length`, `queue.length > 0`, `i < ids.size`: the collection the loop walks. */
function lengthReceiver(condition: ts.Expression): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && /^(length|size)$/.test(node.name.text)) found = node.expression;
    else ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

/** A loop whose condition reads what the query returned, or whose body waits before trying again. */
function isPolling(loop: ts.IterationStatement, query: ts.Node): boolean {
  const condition = ts.isForStatement(loop) ? loop.condition : ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : undefined;
  const fromQuery = namesAssignedFrom(loop.statement, query);
  let polling = false;
  const visitCondition = (node: ts.Node): void => {
    if (polling) return;
    if (ts.isIdentifier(node) && fromQuery.has(node.text)) polling = true;
    else ts.forEachChild(node, visitCondition);
  };
  if (condition) visitCondition(condition);
  const visitBody = (node: ts.Node): void => {
    if (polling) return;
    if (ts.isCallExpression(node)) {
      const callee = unwrapExpression(node.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name && WAIT_CALL.test(name)) polling = true;
    }
    ts.forEachChild(node, visitBody);
  };
  visitBody(loop.statement);
  return polling;
}

function namesAssignedFrom(body: ts.Node, query: ts.Node): Set<string> {
  const names = new Set<string>();
  const contains = (node: ts.Node): boolean => node.pos <= query.pos && query.end <= node.end;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.initializer && contains(node.initializer)) collectNames(node.name, names);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && contains(node.right)) {
      if (ts.isIdentifier(node.left)) names.add(node.left.text);
      else if (ts.isArrayLiteralExpression(node.left) || ts.isObjectLiteralExpression(node.left)) ts.forEachChild(node.left, (child) => ts.isIdentifier(child) && names.add(child.text));
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  // A value derived in a later statement (`hasMore = page.length === size`) counts as the query's result too.
  const visitDerived = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && mentions(node.right, names)) names.add(node.left.text);
    if (ts.isVariableDeclaration(node) && node.initializer && ts.isIdentifier(node.name) && mentions(node.initializer, names)) names.add(node.name.text);
    ts.forEachChild(node, visitDerived);
  };
  visitDerived(body);
  return names;
}

function mentions(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (ts.isIdentifier(node)) return names.has(node.text);
  return ts.forEachChild(node, (child) => mentions(child, names) || undefined) ?? false;
}

function collectNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collectNames(element.name, into);
}

function headerSpan(loop: ts.Node, body: ts.Node, file: ParsedFile): Span {
  const start = loop.getStart(file.ast);
  let end = body.getStart(file.ast);
  while (end > start && /\s/.test(file.text[end - 1]!)) end--;
  return { start, end };
}
