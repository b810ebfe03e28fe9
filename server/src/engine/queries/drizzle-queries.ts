import { ts } from 'ts-morph';
import { isFunctionLike, shortText, unwrapExpression } from '../ast/call-shape';
import type { ParsedFile } from '../source/parsed-file';
import type { ProjectView } from '../workspace/project-view';
import { HandleResolver } from '../../rules/n-plus-one/handles';
import {
  AccessSet, andAll, BUILDER_HINT, chainOf, constantList, constantOf, isOutermostCall, likeShape, limitKind, NOT_CONSTANT, objectProperties, orAll,
  sortKey, spanOf, usedAsFinishedQuery, type Condition, type FilterShape, type Term,
} from './builder-chain';
import type { ColumnFilter, ExtractedQuery, TableAccess } from './query-model';
import type { QueryExtractor } from './query-sources';

/** drizzle-orm's condition and sort helpers, by exported name. */
const OPERATORS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'notBetween', 'inArray', 'notInArray', 'isNull', 'isNotNull', 'like', 'ilike', 'notLike', 'notIlike', 'and', 'or', 'not', 'exists', 'notExists', 'arrayContains', 'arrayContained', 'arrayOverlaps', 'asc', 'desc', 'sql']);
const ROOTS = /^(select|selectDistinct|selectDistinctOn|update|delete)$/;
const JOINS = /^(innerJoin|leftJoin|rightJoin|fullJoin|crossJoin|innerJoinLateral|leftJoinLateral)$/;
const NEUTRAL = /^(set|returning|groupBy|having|for|execute|then|catch|finally|prepare|all|get|run|values|onConflictDoNothing|onConflictDoUpdate|setWhere)$/;
/** Keys of the relational `findMany` options that do not filter or sort the main table. */
const FIND_NEUTRAL = /^(columns|with|extras)$/;

/**
 * Drizzle: `db.select().from(orders).where(and(eq(orders.status, 'x'), …)).orderBy(desc(…))`,
 * `db.update(orders).set(…).where(…)`, `db.delete(orders).where(…)` and the relational
 * `db.query.orders.findMany({ where, orderBy, limit, offset })`. The handle is recognised by
 * HandleResolver and the operators by their import from drizzle-orm. Tables are the table
 * variables and columns their properties (`orders.createdAt`); the catalog maps them to SQL.
 */
export const drizzleQueries: QueryExtractor = {
  id: 'drizzle',
  textHint: BUILDER_HINT,
  extract(file: ParsedFile, project: ProjectView): ExtractedQuery[] {
    const ast = file.ast;
    if (!ast) return [];
    const operators = importedOperators(file);
    if (operators.size === 0 && !/\.query\.\w+\.find(Many|First)\s*\(/.test(file.text) && !/\bdrizzle-orm\b/.test(file.text) && !/\.(select|update|delete)\s*\(/.test(file.text)) return [];
    const handles = new HandleResolver(file, project);
    const queries: ExtractedQuery[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isOutermostCall(node)) {
        const query = drizzleQuery(node, handles, ast, operators);
        if (query) queries.push(query);
      }
      ts.forEachChild(node, visit);
    };
    visit(ast);
    return queries;
  },
};

/** Local names of drizzle-orm operators: `import { eq, and as both } from 'drizzle-orm'`, `import * as d from 'drizzle-orm'` (as `d.`). */
function importedOperators(file: ParsedFile): Map<string, string> {
  const found = new Map<string, string>();
  for (const [local, binding] of file.imports.entries()) {
    if (!/^drizzle-orm(\/(sql|sql\/expressions.*|expressions))?$/.test(binding.module)) continue;
    if (binding.imported === '*') found.set(`${local}.`, '*');
    else if (OPERATORS.has(binding.imported)) found.set(local, binding.imported);
  }
  return found;
}

interface Context {
  set: AccessSet;
  ast: ts.SourceFile;
  operators: Map<string, string>;
  /** Table variable name (and callback parameter) -> its access. */
  tables: Map<string, TableAccess>;
}

function operatorOf(expression: ts.Expression, ctx: Context): string | undefined {
  const e = unwrapExpression(expression);
  if (ts.isIdentifier(e)) return ctx.operators.get(e.text);
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
    const namespace = ctx.operators.get(`${e.expression.text}.`);
    if (namespace && OPERATORS.has(e.name.text)) return e.name.text;
  }
  return undefined;
}

/** The table variable an expression names: `orders`, `schema.orders`. */
function tableName(expression: ts.Expression | undefined): string | undefined {
  const e = expression && unwrapExpression(expression);
  if (!e) return undefined;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** `orders.createdAt` -> the access of `orders` and property `createdAt`. */
function columnOf(expression: ts.Expression, ctx: Context): { access: TableAccess; column: string; node: ts.Node } | undefined {
  const e = unwrapExpression(expression);
  if (!ts.isPropertyAccessExpression(e)) return undefined;
  const owner = tableName(e.expression);
  const access = owner ? ctx.tables.get(owner) : undefined;
  return access ? { access, column: e.name.text, node: e } : undefined;
}

function drizzleQuery(outer: ts.CallExpression, handles: HandleResolver, ast: ts.SourceFile, operators: Map<string, string>): ExtractedQuery | undefined {
  const chain = chainOf(outer);
  const first = chain.links[0];
  if (!first?.name || !first.receiver) return undefined;
  const ctx: Context = { set: new AccessSet(), ast, operators, tables: new Map() };
  // `db.query.orders.findMany({ … })`
  const receiver = unwrapExpression(first.receiver);
  if (/^(findMany|findFirst)$/.test(first.name) && chain.links.length === 1 && ts.isPropertyAccessExpression(receiver)) {
    const query = unwrapExpression(receiver.expression);
    if (!ts.isPropertyAccessExpression(query) || query.name.text !== 'query' || handles.kindOf(query.expression) !== 'drizzle') return undefined;
    return relationalQuery(first.call, first.name, receiver.name, ctx);
  }
  if (!ROOTS.test(first.name) || handles.kindOf(first.receiver) !== 'drizzle') return undefined;
  const root = first.name;
  const operation: ExtractedQuery['operation'] = root === 'update' ? 'update' : root === 'delete' ? 'delete' : 'select';
  const result: Omit<ExtractedQuery, 'accesses'> = { source: 'drizzle', operation, span: spanOf(first.callee, ast), display: `${shortText(first.receiver, 24)}.${root}(…)` };
  const addTable = (arg: ts.Expression | undefined): TableAccess | undefined => {
    const name = tableName(arg);
    if (!name || !arg) {
      ctx.set.partial = true;
      return undefined;
    }
    const access = ctx.set.add({ kind: 'orm', orm: 'drizzle', name }, spanOf(arg, ast));
    ctx.tables.set(name, access);
    return access;
  };
  if (root !== 'select' && root !== 'selectDistinct' && root !== 'selectDistinctOn') addTable(first.args[0]);
  const wheres: ts.Expression[] = [];
  for (const link of chain.links.slice(1)) {
    const name = link.name;
    if (!name) return undefined;
    if (name === 'as' || name === 'toSQL' || name === 'getSQL' || name === '$dynamic') return undefined;
    if (name === 'from') addTable(link.args[0]);
    else if (JOINS.test(name)) joinOf(link.args, ctx, addTable);
    else if (name === 'where') {
      if (link.args[0]) wheres.push(link.args[0]);
    } else if (name === 'orderBy') for (const arg of link.args) sortOf(arg, ctx);
    else if (name === 'limit') result.limit = limitKind(link.args[0]);
    else if (name === 'offset') {
      result.offset = limitKind(link.args[0]);
      if (link.args[0]) result.offsetSpan = spanOf(link.args[0], ast);
    } else if (!NEUTRAL.test(name)) ctx.set.partial = true;
  }
  if (!ctx.set.main) return undefined;
  for (const where of wheres) {
    const condition = conditionOf(where, ctx);
    if (condition) ctx.set.apply(condition);
  }
  if (!usedAsFinishedQuery(outer) && !/^(execute|then|all|get|run|values)$/.test(chain.links[chain.links.length - 1]?.name ?? '')) ctx.set.partial = true;
  const query: ExtractedQuery = { ...result, display: `${result.display}${chain.links.length > 1 ? '…' : ''}`, accesses: ctx.set.accesses };
  if (ctx.set.partial) query.partial = true;
  return query;
}

/** `.innerJoin(items, eq(items.orderId, orders.id))`: the joined table's side of each equality is a join key. */
function joinOf(args: readonly ts.Expression[], ctx: Context, addTable: (arg: ts.Expression | undefined) => TableAccess | undefined): void {
  const joined = addTable(args[0]);
  if (!joined || !args[1]) return;
  const on = conditionOf(args[1], ctx, joined);
  if (!on) return;
  if (on.groups.length > 0) ctx.set.partial = true;
  for (const term of on.and) term.access.filters.push(term.filter);
}

function filterTerm(column: { access: TableAccess; column: string; node: ts.Node }, shape: FilterShape, ctx: Context): Term {
  const filter: ColumnFilter = { column: column.column, op: shape.op, span: spanOf(column.node, ctx.ast) };
  if (shape.constants) filter.constants = shape.constants;
  if (shape.prefixLike) filter.prefixLike = true;
  return { access: column.access, filter };
}

/**
 * A drizzle condition as AND-ed terms and OR groups. In a join's ON (`joined` set), a column
 * equated with another table's column is a join key of the joined table.
 */
function conditionOf(expression: ts.Expression, ctx: Context, joined?: TableAccess): Condition | undefined {
  const e = unwrapExpression(expression);
  if (!ts.isCallExpression(e)) {
    ctx.set.partial = true;
    return undefined;
  }
  const op = operatorOf(e.expression, ctx);
  if (!op) {
    ctx.set.partial = true;
    return undefined;
  }
  const args = e.arguments;
  if (op === 'and' || op === 'or') {
    const parts: Condition[] = [];
    for (const arg of args) {
      if (ts.isSpreadElement(arg)) {
        ctx.set.partial = true;
        continue;
      }
      const part = conditionOf(arg, ctx, joined);
      if (part) parts.push(part);
      else if (op === 'or') return undefined;
    }
    return op === 'and' ? andAll(parts) : orAll(parts, () => (ctx.set.partial = true));
  }
  const [a, b, c] = args;
  const left = a && columnOf(a, ctx);
  const right = b && columnOf(b, ctx);
  if (left && right) {
    // A column equated with another table's column: in a join, the joined side is looked up by it.
    if (op === 'eq' && joined && left.access !== right.access) {
      const key = left.access === joined ? left : right.access === joined ? right : undefined;
      if (key) key.access.joinKeys.push({ column: key.column, op: 'eq', span: spanOf(key.node, ctx.ast) });
      else ctx.set.partial = true;
    }
    return { and: [], groups: [] };
  }
  const column = left ?? (op === 'eq' || op === 'ne' || /^[gl]te?$/.test(op) ? right : undefined);
  const value = left ? b : a;
  if (!column) {
    ctx.set.partial = true;
    return undefined;
  }
  const shape = shapeOf(op, value, c);
  if (!shape) {
    ctx.set.partial = true;
    return undefined;
  }
  return { and: [filterTerm(column, shape, ctx)], groups: [] };
}

function shapeOf(op: string, value: ts.Expression | undefined, _high: ts.Expression | undefined): FilterShape | undefined {
  switch (op) {
    case 'eq': {
      const constant = value ? constantOf(value) : NOT_CONSTANT;
      return constant === NOT_CONSTANT ? { op: 'eq' } : { op: 'eq', constants: [constant] };
    }
    case 'inArray': {
      const constants = value ? constantList(value) : undefined;
      return constants ? { op: 'eq', constants } : { op: 'eq' };
    }
    case 'isNull':
      return { op: 'eq', constants: [null] };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
    case 'between':
      return { op: 'range' };
    case 'ne':
    case 'notBetween':
    case 'notInArray':
    case 'isNotNull':
    case 'notLike':
    case 'notIlike':
      return { op: 'not' };
    case 'like':
      return likeShape(value, false);
    case 'ilike':
      return { op: 'like-contains' };
    case 'arrayContains':
    case 'arrayContained':
    case 'arrayOverlaps':
      return { op: 'other' };
    default:
      // not(…), exists(…), sql`…`: not followed.
      return undefined;
  }
}

/** `desc(orders.createdAt)`, `asc(…)`, a bare column (ascending). */
function sortOf(expression: ts.Expression, ctx: Context): void {
  const e = unwrapExpression(expression);
  if (ts.isArrayLiteralExpression(e)) {
    for (const element of e.elements) sortOf(element, ctx);
    return;
  }
  let descending = false;
  let target: ts.Expression = e;
  if (ts.isCallExpression(e)) {
    const op = operatorOf(e.expression, ctx);
    if ((op !== 'asc' && op !== 'desc') || !e.arguments[0]) {
      ctx.set.partial = true;
      return;
    }
    descending = op === 'desc';
    target = e.arguments[0];
  }
  const column = columnOf(target, ctx);
  if (!column) {
    ctx.set.partial = true;
    return;
  }
  column.access.orderBy.push(sortKey(column.column, descending, spanOf(column.node, ctx.ast)));
}

/** Binds a callback's parameters: the first is the table, the second the operators (`(o, { eq, and }) => …`). */
function bindCallback(fn: ts.SignatureDeclaration, main: TableAccess, ctx: Context): Context {
  const inner: Context = { ...ctx, operators: new Map(ctx.operators), tables: new Map(ctx.tables) };
  const [table, ops] = fn.parameters;
  if (table && ts.isIdentifier(table.name)) inner.tables.set(table.name.text, main);
  if (ops && ts.isObjectBindingPattern(ops.name)) {
    for (const element of ops.name.elements) {
      const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : ts.isIdentifier(element.name) ? element.name.text : undefined;
      if (imported && OPERATORS.has(imported) && ts.isIdentifier(element.name)) inner.operators.set(element.name.text, imported);
    }
  } else if (ops && ts.isIdentifier(ops.name)) inner.operators.set(`${ops.name.text}.`, '*');
  return inner;
}

/** The value a callback returns: an arrow's expression body or a block's single `return`. */
function returned(fn: ts.FunctionLikeDeclaration): ts.Expression | undefined {
  const body = fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return body;
  const statements = body.statements;
  return statements.length === 1 && ts.isReturnStatement(statements[0]!) ? statements[0].expression : undefined;
}

/** `db.query.orders.findMany({ where, orderBy, limit, offset })` and `findFirst`. */
function relationalQuery(call: ts.CallExpression, method: string, tableNode: ts.Identifier | ts.MemberName, ctx: Context): ExtractedQuery | undefined {
  const name = tableNode.text;
  const main = ctx.set.add({ kind: 'orm', orm: 'drizzle', name }, spanOf(tableNode, ctx.ast));
  ctx.tables.set(name, main);
  const query: ExtractedQuery = { source: 'drizzle', operation: 'select', span: spanOf(call.expression, ctx.ast), display: `${shortText(call.expression, 40)}`, accesses: ctx.set.accesses };
  if (method === 'findFirst') query.limit = 'constant';
  const options = call.arguments[0];
  if (options) {
    const props = objectProperties(options);
    if (!props) ctx.set.partial = true;
    for (const [key, { value }] of props ?? []) {
      if (key === 'where') {
        const v = unwrapExpression(value);
        if (isFunctionLike(v)) {
          const body = returned(v);
          const condition = body ? conditionOf(body, bindCallback(v, main, ctx)) : undefined;
          if (!body) ctx.set.partial = true;
          if (condition) ctx.set.apply(condition);
        } else if (ts.isObjectLiteralExpression(v)) {
          const condition = objectWhere(v, main, ctx);
          if (condition) ctx.set.apply(condition);
        } else {
          const condition = conditionOf(v, ctx);
          if (condition) ctx.set.apply(condition);
        }
      } else if (key === 'orderBy') {
        const v = unwrapExpression(value);
        if (isFunctionLike(v)) {
          const body = returned(v);
          if (body) sortOf(body, bindCallback(v, main, ctx));
          else ctx.set.partial = true;
        } else if (ts.isObjectLiteralExpression(v)) objectOrderBy(v, main, ctx);
        else sortOf(v, ctx);
      } else if (key === 'limit') query.limit = limitKind(value);
      else if (key === 'offset') {
        query.offset = limitKind(value);
        query.offsetSpan = spanOf(value, ctx.ast);
      } else if (!FIND_NEUTRAL.test(key)) ctx.set.partial = true;
    }
  }
  if (ctx.set.partial) query.partial = true;
  return query;
}

const OBJECT_OPERATORS: Record<string, (value: ts.Expression) => FilterShape | undefined> = {
  eq: (v) => shapeOf('eq', v, undefined),
  ne: () => ({ op: 'not' }),
  gt: () => ({ op: 'range' }),
  gte: () => ({ op: 'range' }),
  lt: () => ({ op: 'range' }),
  lte: () => ({ op: 'range' }),
  in: (v) => shapeOf('inArray', v, undefined),
  notIn: () => ({ op: 'not' }),
  like: (v) => likeShape(v, false),
  ilike: () => ({ op: 'like-contains' }),
  notLike: () => ({ op: 'not' }),
  notIlike: () => ({ op: 'not' }),
  isNull: (v) => (unwrapExpression(v).kind === ts.SyntaxKind.TrueKeyword ? { op: 'eq', constants: [null] } : undefined),
  isNotNull: (v) => (unwrapExpression(v).kind === ts.SyntaxKind.TrueKeyword ? { op: 'not' } : undefined),
};

/** Drizzle's object `where` (relational queries v2): `{ status: 'x', createdAt: { gt: d }, OR: [{ … }, { … }] }`. */
function objectWhere(object: ts.ObjectLiteralExpression, main: TableAccess, ctx: Context): Condition | undefined {
  const props = objectProperties(object);
  if (!props) {
    ctx.set.partial = true;
    return undefined;
  }
  const parts: Condition[] = [];
  for (const [key, { name, value }] of props) {
    const v = unwrapExpression(value);
    if (key === 'OR' || key === 'AND') {
      if (!ts.isArrayLiteralExpression(v)) {
        ctx.set.partial = true;
        continue;
      }
      const alternatives = v.elements.map((element) => (ts.isObjectLiteralExpression(element) ? objectWhere(element, main, ctx) : undefined));
      if (alternatives.some((a) => !a)) {
        ctx.set.partial = true;
        continue;
      }
      parts.push(key === 'AND' ? andAll(alternatives as Condition[]) : orAll(alternatives as Condition[], () => (ctx.set.partial = true)));
      continue;
    }
    if (key === 'NOT' || key === 'RAW' || /^[A-Z]/.test(key)) {
      ctx.set.partial = true;
      continue;
    }
    const column = { access: main, column: key, node: name };
    const operators = ts.isObjectLiteralExpression(v) ? objectProperties(v) : undefined;
    if (!operators) {
      parts.push({ and: [filterTerm(column, shapeOf('eq', v, undefined)!, ctx)], groups: [] });
      continue;
    }
    for (const [operator, { value: operand }] of operators) {
      const shape = OBJECT_OPERATORS[operator]?.(operand);
      if (shape) parts.push({ and: [filterTerm(column, shape, ctx)], groups: [] });
      else ctx.set.partial = true;
    }
  }
  return andAll(parts);
}

/** `orderBy: { createdAt: 'desc', id: 'asc' }`. */
function objectOrderBy(object: ts.ObjectLiteralExpression, main: TableAccess, ctx: Context): void {
  const props = objectProperties(object);
  if (!props) {
    ctx.set.partial = true;
    return;
  }
  for (const [key, { name, value }] of props) {
    const direction = constantOf(value);
    if (direction !== 'asc' && direction !== 'desc') {
      ctx.set.partial = true;
      continue;
    }
    main.orderBy.push(sortKey(key, direction === 'desc', spanOf(name, ctx.ast)));
  }
}
