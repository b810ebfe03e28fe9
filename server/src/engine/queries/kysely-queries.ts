import { ts } from 'ts-morph';
import { isFunctionLike, shortText, unwrapExpression } from '../ast/call-shape';
import type { ParsedFile } from '../source/parsed-file';
import type { ProjectView } from '../workspace/project-view';
import { HandleResolver } from '../../rules/n-plus-one/handles';
import { snakeCase } from '../schema/orm-sources';
import {
  AccessSet, andAll, chainOf, comparisonShape, isOutermostCall, limitKind, orAll, parseColumnRef, parseTableName, sortKey, spanOf, stringValue,
  type ChainLink, type Condition, type Term,
} from './builder-chain';
import { identifierCasingOf } from './identifier-casing';
import type { ColumnFilter, ExtractedQuery, TableAccess } from './query-model';
import type { QueryExtractor } from './query-sources';

const ROOTS = /^(selectFrom|updateTable|deleteFrom)$/;
const JOINS = /^(innerJoin|leftJoin|rightJoin|fullJoin|innerJoinLateral|leftJoinLateral|crossJoin)$/;
const TERMINALS = /^(execute|executeTakeFirst|executeTakeFirstOrThrow|stream)$/;
const NEUTRAL = /^(select|selectAll|distinct|distinctOn|returning|returningAll|set|groupBy|having|forUpdate|forShare|forNoKeyUpdate|forKeyShare|skipLocked|noWait|modifyEnd|clearSelect|\$narrowType|\$castTo|\$assertType|top)$/;

/**
 * Kysely: `db.selectFrom('orders as o').where('o.status', '=', 'x').orderBy('created_at', 'desc')`,
 * `where((eb) => eb.or([…]))`, joins, `updateTable` / `deleteFrom`. The handle is recognised by
 * HandleResolver. Tables and columns are SQL names; with CamelCasePlugin (default options) the
 * code's camelCase names are snake_cased as the plugin does, with custom options the query is partial.
 */
export const kyselyQueries: QueryExtractor = {
  id: 'kysely',
  textHint: /\.(?:selectFrom|updateTable|deleteFrom)\s*\(/,
  extract(file: ParsedFile, project: ProjectView): ExtractedQuery[] {
    const ast = file.ast;
    if (!ast) return [];
    const handles = new HandleResolver(file, project);
    const queries: ExtractedQuery[] = [];
    let casing: ReturnType<typeof identifierCasingOf> | undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isOutermostCall(node)) {
        const chain = chainOf(node);
        const first = chain.links[0];
        if (first?.name && ROOTS.test(first.name) && first.receiver && handles.kindOf(first.receiver) === 'kysely') {
          casing ??= identifierCasingOf(project);
          const query = kyselyQuery(chain.links, ast, casing.kyselyCamelCase ? snakeCase : undefined);
          if (query) {
            if (casing.kyselyCamelCaseCustom) query.partial = true;
            queries.push(query);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(ast);
    return queries;
  },
};

interface Context {
  set: AccessSet;
  ast: ts.SourceFile;
  rename: (name: string) => string;
}

function kyselyQuery(links: ChainLink[], ast: ts.SourceFile, rename: ((name: string) => string) | undefined): ExtractedQuery | undefined {
  const first = links[0]!;
  const ctx: Context = { set: new AccessSet(), ast, rename: rename ?? ((name) => name) };
  const root = first.name!;
  const main = tableAccess(first.args[0], ctx);
  if (!main) return undefined;
  const operation: ExtractedQuery['operation'] = root === 'updateTable' ? 'update' : root === 'deleteFrom' ? 'delete' : 'select';
  const query: ExtractedQuery = { source: 'kysely', operation, span: spanOf(first.callee, ast), display: `${shortText(first.receiver!, 24)}.${root}(${main.table.name})${links.length > 1 ? '…' : ''}`, accesses: ctx.set.accesses };
  const wheres: Array<{ or: boolean; link: ChainLink }> = [];
  for (const link of links.slice(1)) {
    const name = link.name;
    if (!name) return undefined;
    if (name === 'as' || name === 'compile' || name === '$call') return undefined;
    if (JOINS.test(name)) joinOf(link, ctx);
    else if (/^(where|orWhere)$/.test(name)) wheres.push({ or: name === 'orWhere', link });
    else if (name === 'orderBy') orderByOf(link, ctx);
    else if (name === 'limit') query.limit = limitKind(link.args[0]);
    else if (name === 'offset') {
      query.offset = limitKind(link.args[0]);
      if (link.args[0]) query.offsetSpan = spanOf(link.args[0], ast);
    } else if (TERMINALS.test(name) || NEUTRAL.test(name)) continue;
    else ctx.set.partial = true;
  }
  // `.where(a).orWhere(b)` (Kysely before 0.24) is `a OR b`, as in Knex.
  const alternatives: Condition[][] = [[]];
  for (const { or, link } of wheres) {
    const condition = whereOf(link, ctx);
    if (!condition) continue;
    if (or && alternatives[alternatives.length - 1]!.length > 0) alternatives.push([]);
    alternatives[alternatives.length - 1]!.push(condition);
  }
  ctx.set.apply(orAll(alternatives.map(andAll), () => (ctx.set.partial = true)));
  // Kysely builders are not thenables: a chain that does not end in `execute…` is a builder that other code extends and runs.
  if (!TERMINALS.test(links[links.length - 1]?.name ?? '')) ctx.set.partial = true;
  if (ctx.set.partial) query.partial = true;
  return query;
}

function tableAccess(arg: ts.Expression | undefined, ctx: Context): TableAccess | undefined {
  const text = stringValue(arg);
  const parsed = text ? parseTableName(text) : undefined;
  if (!parsed || !arg) return undefined;
  return ctx.set.add({ kind: 'table', name: ctx.rename(parsed.name), ...(parsed.schema ? { schema: parsed.schema } : {}) }, spanOf(arg, ctx.ast), parsed.alias);
}

/** `.innerJoin('items as i', 'i.order_id', 'o.id')`; a callback join (`(join) => join.onRef(…)`) is partial. */
function joinOf(link: ChainLink, ctx: Context): void {
  const joined = tableAccess(link.args[0], ctx);
  if (!joined) {
    ctx.set.partial = true;
    return;
  }
  if (link.name === 'crossJoin') return;
  if (link.args.length !== 3) {
    ctx.set.partial = true;
    return;
  }
  let found = false;
  for (const side of [link.args[1]!, link.args[2]!]) {
    const text = stringValue(side);
    const ref = text ? parseColumnRef(text) : undefined;
    if (ref?.qualifier !== undefined && ctx.set.lookup(ref.qualifier) === joined) {
      joined.joinKeys.push({ column: ctx.rename(ref.column), op: 'eq', span: spanOf(side, ctx.ast) });
      found = true;
    }
  }
  if (!found) ctx.set.partial = true;
}

function term(columnArg: ts.Expression | undefined, operator: string | undefined, value: ts.Expression | undefined, ctx: Context): Term | undefined {
  const text = stringValue(columnArg);
  const ref = text ? parseColumnRef(text) : undefined;
  if (!ref || !columnArg || operator === undefined) {
    ctx.set.partial = true;
    return undefined;
  }
  const access = ctx.set.lookup(ref.qualifier);
  if (!access) return undefined;
  const shape = comparisonShape(operator, value);
  const filter: ColumnFilter = { column: ctx.rename(ref.column), op: shape.op, span: spanOf(columnArg, ctx.ast) };
  if (shape.constants) filter.constants = shape.constants;
  if (shape.prefixLike) filter.prefixLike = true;
  return { access, filter };
}

/** `.where('col', op, value)` or `.where((eb) => …)`. */
function whereOf(link: ChainLink, ctx: Context): Condition | undefined {
  const [a, b, c] = link.args;
  if (link.args.length === 3) {
    const found = term(a, stringValue(b), c, ctx);
    return found ? { and: [found], groups: [] } : undefined;
  }
  const fn = a && unwrapExpression(a);
  if (fn && isFunctionLike(fn) && fn.body) {
    const body = ts.isBlock(fn.body) ? (fn.body.statements.length === 1 && ts.isReturnStatement(fn.body.statements[0]!) ? fn.body.statements[0].expression : undefined) : fn.body;
    const names = builderNames(fn);
    if (body && names) return expressionOf(body, names, ctx);
  }
  ctx.set.partial = true;
  return undefined;
}

/** The names a where-callback gives the expression builder: `(eb) =>` or `({ eb, or, and }) =>`. */
function builderNames(fn: ts.FunctionLikeDeclaration): { eb: Set<string>; functions: Map<string, string> } | undefined {
  const parameter = fn.parameters[0];
  if (!parameter) return undefined;
  const names = { eb: new Set<string>(), functions: new Map<string, string>() };
  if (ts.isIdentifier(parameter.name)) names.eb.add(parameter.name.text);
  else if (ts.isObjectBindingPattern(parameter.name)) {
    for (const element of parameter.name.elements) {
      if (!ts.isIdentifier(element.name)) continue;
      const property = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
      if (property === 'eb') names.eb.add(element.name.text);
      else names.functions.set(element.name.text, property);
    }
  } else return undefined;
  return names;
}

/** `eb('a', '=', 1)`, `eb.or([…])`, `eb.and([…])`, `or([…])`, `cmpr('a', '=', 1)` (older Kysely). */
function expressionOf(expression: ts.Expression, names: { eb: Set<string>; functions: Map<string, string> }, ctx: Context): Condition | undefined {
  const e = unwrapExpression(expression);
  if (!ts.isCallExpression(e)) {
    ctx.set.partial = true;
    return undefined;
  }
  const callee = unwrapExpression(e.expression);
  let fn: string | undefined;
  if (ts.isIdentifier(callee)) fn = names.eb.has(callee.text) ? 'eb' : names.functions.get(callee.text);
  else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && names.eb.has(callee.expression.text)) fn = callee.name.text;
  if (fn === 'eb' || fn === 'cmpr') {
    const [a, b, c] = e.arguments;
    const found = term(a, stringValue(b), c, ctx);
    return found ? { and: [found], groups: [] } : undefined;
  }
  if (fn === 'and' || fn === 'or') {
    const list = e.arguments[0] && unwrapExpression(e.arguments[0]);
    if (!list || !ts.isArrayLiteralExpression(list)) {
      ctx.set.partial = true;
      return undefined;
    }
    const parts: Condition[] = [];
    for (const element of list.elements) {
      const part = ts.isSpreadElement(element) ? undefined : expressionOf(element, names, ctx);
      if (!part) {
        ctx.set.partial = true;
        if (fn === 'or') return undefined;
        continue;
      }
      parts.push(part);
    }
    return fn === 'and' ? andAll(parts) : orAll(parts, () => (ctx.set.partial = true));
  }
  ctx.set.partial = true;
  return undefined;
}

/** `.orderBy('created_at', 'desc')`, `.orderBy('created_at desc')`, `.orderBy(['a', 'b'])`. */
function orderByOf(link: ChainLink, ctx: Context): void {
  const [first, direction] = link.args;
  const push = (node: ts.Expression, dir: ts.Expression | undefined): void => {
    const text = stringValue(node);
    const match = text ? /^\s*(.+?)(?:\s+(asc|desc))?\s*$/i.exec(text) : undefined;
    const ref = match ? parseColumnRef(match[1]!) : undefined;
    const dirText = (dir === undefined ? match?.[2] ?? 'asc' : stringValue(dir))?.toLowerCase();
    if (!ref || (dirText !== 'asc' && dirText !== 'desc')) {
      ctx.set.partial = true;
      return;
    }
    const access = ctx.set.lookup(ref.qualifier);
    if (access) access.orderBy.push(sortKey(ctx.rename(ref.column), dirText === 'desc', spanOf(node, ctx.ast)));
  };
  const list = first && unwrapExpression(first);
  if (list && ts.isArrayLiteralExpression(list)) for (const element of list.elements) push(element, undefined);
  else if (first) push(first, direction);
}
