import { ts } from 'ts-morph';
import { unwrapExpression } from '../ast/call-shape';
import { enclosingFunctionOrFile, resolveName } from '../ast/scope';
import { propertyName, propertyValue } from '../ast/object-literal';
import type { Span } from '../model/location';
import type { ColumnFilter, ConstantValue, ExtractedQuery, SortKey, TableAccess, TableRef } from './query-model';

/**
 * Pieces every ORM query extractor shares: spans, literal constants, following an options object
 * held in a `const`, and the filters / sorts / paging being collected for one call.
 */

export function spanOf(node: ts.Node): Span {
  return { start: node.getStart(), end: node.getEnd() };
}

const NOT_LITERAL = Symbol('not a literal');

/** The value of a literal (`'a'`, `1`, `-1`, `true`, `null`), or NOT_LITERAL. */
export function literalValue(expression: ts.Expression): ConstantValue | typeof NOT_LITERAL {
  const node = unwrapExpression(expression);
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) return -Number(node.operand.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  return NOT_LITERAL;
}

export function isLiteral(expression: ts.Expression): boolean {
  return literalValue(expression) !== NOT_LITERAL;
}

/** `[value]` when literal, else undefined. */
export function constantOf(expression: ts.Expression): ConstantValue[] | undefined {
  const value = literalValue(expression);
  return value === NOT_LITERAL ? undefined : [value];
}

/** The values of an array literal whose elements are all literals (`['a', 'b']`), else undefined. */
export function constantList(expression: ts.Expression): ConstantValue[] | undefined {
  const node = unwrapExpression(expression);
  if (!ts.isArrayLiteralExpression(node) || node.elements.length === 0) return undefined;
  const values: ConstantValue[] = [];
  for (const element of node.elements) {
    const value = literalValue(element);
    if (value === NOT_LITERAL) return undefined;
    values.push(value);
  }
  return values;
}

export function isUndefined(expression: ts.Expression): boolean {
  const node = unwrapExpression(expression);
  return ts.isIdentifier(node) && node.text === 'undefined';
}

/**
 * The object literal an options or `where` argument is: written in place, or held in a `const` of
 * the same function that nothing else writes to (`where.status = …`, `Object.assign(where, …)`,
 * passing it to a helper). Undefined when it is built elsewhere: the caller marks the query partial.
 */
export function followObject(expression: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  return followLiteral(expression, ts.isObjectLiteralExpression);
}

export function followArray(expression: ts.Expression | undefined): ts.ArrayLiteralExpression | undefined {
  return followLiteral(expression, ts.isArrayLiteralExpression);
}

function followLiteral<T extends ts.Expression>(expression: ts.Expression | undefined, is: (node: ts.Node) => node is T): T | undefined {
  if (!expression) return undefined;
  const node = unwrapExpression(expression);
  if (is(node)) return node;
  if (!ts.isIdentifier(node)) return undefined;
  const binding = resolveName(node.text, node);
  if (!binding || binding.kind !== 'variable') return undefined;
  const declaration = binding.declaration;
  const list = declaration.parent;
  if (!ts.isIdentifier(declaration.name) || !declaration.initializer || !ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
  const initializer = unwrapExpression(declaration.initializer);
  if (!is(initializer)) return undefined;
  const scope = enclosingFunctionOrFile(declaration);
  if (enclosingFunctionOrFile(node) !== scope) return undefined;
  return writtenElsewhere(scope, declaration, node) ? undefined : initializer;
}

/** Whether the const `declaration` is mutated or handed to other code anywhere in `scope` except at `use`. */
function writtenElsewhere(scope: ts.Node, declaration: ts.VariableDeclaration, use: ts.Identifier): boolean {
  const name = (declaration.name as ts.Identifier).text;
  let written = false;
  const visit = (node: ts.Node): void => {
    if (written) return;
    if (ts.isIdentifier(node) && node.text === name && node !== use && node !== declaration.name) {
      const parent = node.parent;
      if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node) {
        const outer = parent.parent;
        if (ts.isBinaryExpression(outer) && outer.left === parent && outer.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && outer.operatorToken.kind <= ts.SyntaxKind.LastAssignment) written = true;
        if (ts.isDeleteExpression(outer)) written = true;
        // `where.OR.push(…)`, `where.id[Op.in] = …`
        if (((ts.isPropertyAccessExpression(outer) || ts.isElementAccessExpression(outer)) && outer.expression === parent) || (ts.isCallExpression(outer) && outer.expression === parent)) written = writtenThrough(outer);
      } else if (ts.isCallExpression(parent) && parent.arguments.includes(node)) written = true;
      else if (ts.isSpreadAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) written = false;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return written;
}

/** `where.a.b = 1`, `where.OR.push(…)`: a write through a property chain. */
function writtenThrough(node: ts.Expression): boolean {
  if (ts.isCallExpression(node)) return true;
  const outer = node.parent;
  if (ts.isBinaryExpression(outer) && outer.left === node && outer.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && outer.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
  if (((ts.isPropertyAccessExpression(outer) || ts.isElementAccessExpression(outer)) && outer.expression === node) || (ts.isCallExpression(outer) && outer.expression === node)) return writtenThrough(outer);
  return false;
}

/** What one call asks of its main table, being collected. */
export class AccessBuilder {
  readonly filters: ColumnFilter[] = [];
  readonly disjunctions: ColumnFilter[][][] = [];
  readonly orderBy: SortKey[] = [];
  partial = false;
  limit: ExtractedQuery['limit'];
  offset: ExtractedQuery['offset'];
  offsetSpan: Span | undefined;

  filter(column: string, op: ColumnFilter['op'], at: ts.Node, constants?: ConstantValue[], prefixLike = false): void {
    const filter: ColumnFilter = { column, op, span: spanOf(at) };
    if (constants) filter.constants = constants;
    if (prefixLike) filter.prefixLike = true;
    this.filters.push(filter);
  }

  /** `take: 20` / `limit: size`. */
  setLimit(value: ts.Expression): void {
    if (isUndefined(value)) return;
    this.limit = isLiteral(value) ? 'constant' : 'variable';
  }

  setOffset(value: ts.Expression): void {
    if (isUndefined(value)) return;
    this.offset = isLiteral(value) ? 'constant' : 'variable';
    this.offsetSpan = spanOf(value);
  }

  query(base: { source: ExtractedQuery['source']; operation: ExtractedQuery['operation']; callee: ts.Node; display: string; table: TableRef; tableNode: ts.Node }): ExtractedQuery {
    const access: TableAccess = { table: base.table, filters: this.filters, disjunctions: this.disjunctions, joinKeys: [], orderBy: this.orderBy, span: spanOf(base.tableNode) };
    const query: ExtractedQuery = { source: base.source, operation: base.operation, span: spanOf(base.callee), display: base.display, accesses: [access] };
    if (this.limit) query.limit = this.limit;
    if (this.offset) query.offset = this.offset;
    if (this.offsetSpan) query.offsetSpan = this.offsetSpan;
    if (this.partial) query.partial = true;
    return query;
  }
}

/**
 * The sort keys of order objects (Prisma's `orderBy`, TypeORM's `order`): one key per property,
 * its direction a literal (`'desc'`, `'DESC'`, `-1`) or an options object (`{ sort | direction:
 * 'desc', nulls: 'last' }`, `directionOption` names the first). A nested object of anything else
 * sorts on a related table's column, which this table's index cannot serve: the query is then
 * partial, as it is when a direction is unknown and there is more than one key (the order of a
 * composite index would be a guess).
 */
export function readOrderObjects(objects: ReadonlyArray<ts.ObjectLiteralExpression | undefined>, builder: AccessBuilder, syntax: { directionOption: string; notAColumn?: (name: string) => boolean }): void {
  const keys: SortKey[] = [];
  let unknownDirection = false;
  for (const object of objects) {
    if (!object) {
      builder.partial = true;
      continue;
    }
    for (const property of object.properties) {
      const name = propertyName(property);
      const direction = propertyValue(property);
      if (!name || !direction || ts.isSpreadAssignment(property) || syntax.notAColumn?.(name)) {
        builder.partial = true;
        continue;
      }
      const key: SortKey = { column: name, descending: false, span: spanOf(property.name ?? property) };
      const literal = literalValue(direction);
      const node = unwrapExpression(direction);
      if (typeof literal === 'string' || typeof literal === 'number') key.descending = literal === -1 || String(literal).toUpperCase() === 'DESC';
      else if (ts.isObjectLiteralExpression(node) && node.properties.length > 0 && node.properties.every((option) => propertyName(option) === syntax.directionOption || propertyName(option) === 'nulls')) {
        for (const option of node.properties) {
          const text = propertyValue(option) && literalValue(propertyValue(option)!);
          if (typeof text !== 'string') unknownDirection = true;
          else if (propertyName(option) === 'nulls') key.nullsFirst = text.toUpperCase() === 'FIRST';
          else key.descending = text.toUpperCase() === 'DESC';
        }
      } else if (ts.isObjectLiteralExpression(node)) {
        builder.partial = true;
        continue;
      } else unknownDirection = true;
      keys.push(key);
    }
  }
  if (unknownDirection && keys.length > 1) builder.partial = true;
  builder.orderBy.push(...keys);
}

/** `this.orders.find` for messages, with long receivers shortened. */
export function displayOf(callee: ts.Node): string {
  const text = callee.getText().replace(/\s+/g, '');
  return text.length <= 60 ? text : `…${text.slice(-57)}`;
}

/** Calls of a file, in order, whose callee is `receiver.method`. */
export function forEachMethodCall(ast: ts.SourceFile, visit: (call: ts.CallExpression, callee: ts.PropertyAccessExpression) => void): void {
  const walk = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = unwrapExpression(node.expression);
      if (ts.isPropertyAccessExpression(callee)) visit(node, callee);
    }
    ts.forEachChild(node, walk);
  };
  walk(ast);
}
