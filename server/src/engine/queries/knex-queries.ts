import { ts } from 'ts-morph';
import { isFunctionLike, shortText, unwrapExpression } from '../ast/call-shape';
import type { ParsedFile } from '../source/parsed-file';
import type { ProjectView } from '../workspace/project-view';
import { HandleResolver } from '../../rules/n-plus-one/handles';
import {
  AccessSet, BUILDER_HINT, chainOf, comparisonShape, constantList, constantOf, isOutermostCall, likeShape, limitKind, NOT_CONSTANT,
  objectProperties, orAll, parseColumnRef, parseTableName, sortKey, spanOf, stringValue, usedAsFinishedQuery,
  type ChainLink, type Condition, type FilterShape, type Term,
} from './builder-chain';
import { identifierCasingOf } from './identifier-casing';
import type { ColumnFilter, ExtractedQuery, TableAccess } from './query-model';
import type { QueryExtractor } from './query-sources';

/** Methods on a Knex instance that are not queries. */
const NOT_QUERY = /^(transaction|transactionProvider|destroy|initialize|schema|migrate|seed|fn|ref|raw|client|on|once|userParams|withUserParams|queryBuilder|batchInsert)$/;
/** Chain methods that change nothing the index rules read. */
const NEUTRAL = /^(select|column|columns|distinct|distinctOn|returning|transacting|then|catch|finally|forUpdate|forShare|forNoKeyUpdate|forKeyShare|noWait|skipLocked|timeout|debug|as|clone|groupBy|groupByRaw|having|havingRaw|options|connection|pluck|hintComment|comment)$/;
/** The SQL text of a finished builder, typically handed to another client (`prisma.$queryRawUnsafe(q.toQuery())`). */
const TO_SQL = /^(toQuery|toSQL|toString|toNative)$/;
const JOINS = /^(join|innerJoin|leftJoin|leftOuterJoin|rightJoin|rightOuterJoin|fullOuterJoin|crossJoin)$/;

/**
 * Knex builders: `knex('orders as o').where(…).orderBy(…)`, `db.select(…).from('orders')`,
 * `trx('orders').update(…)`, with the handle recognised by HandleResolver (imports and declared
 * types), never by a method name. Tables and columns are SQL names.
 */
export const knexQueries: QueryExtractor = {
  id: 'knex',
  textHint: BUILDER_HINT,
  extract(file: ParsedFile, project: ProjectView): ExtractedQuery[] {
    const ast = file.ast;
    if (!ast) return [];
    const handles = new HandleResolver(file, project);
    const queries: ExtractedQuery[] = [];
    let casingPartial: boolean | undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isOutermostCall(node)) {
        const query = knexQuery(node, handles, ast);
        if (query) {
          casingPartial ??= identifierCasingOf(project).knexWrapIdentifier;
          if (casingPartial) query.partial = true;
          queries.push(query);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(ast);
    return queries;
  },
};

function knexQuery(outer: ts.CallExpression, handles: HandleResolver, ast: ts.SourceFile): ExtractedQuery | undefined {
  const chain = chainOf(outer);
  const first = chain.links[0];
  if (!first) return undefined;
  // `knex('orders')`, `this.knex('orders')`, `trx('orders')` call the handle; `knex.from(…)`, `db.select(…)` start on it.
  const direct = handles.kindOf(first.callee) === 'knex';
  if (!direct && !(first.name !== undefined && first.receiver && handles.kindOf(first.receiver) === 'knex' && !NOT_QUERY.test(first.name))) return undefined;
  const links = chain.links;
  const handle = direct ? first.callee : first.receiver!;

  const set = new AccessSet();
  let schema: string | undefined;
  let operation: ExtractedQuery['operation'] = 'select';
  const query: Omit<ExtractedQuery, 'accesses'> = { source: 'knex', operation, span: spanOf(first.call, ast), display: '' };
  let pendingTable: { arg: ts.Expression; link: ChainLink } | undefined;
  const steps: Array<{ or: boolean; link: ChainLink }> = [];
  const joins: Array<{ link: ChainLink }> = [];
  const orders: ChainLink[] = [];

  const setTable = (arg: ts.Expression | undefined, link: ChainLink): void => {
    if (arg) pendingTable = { arg, link };
    else set.partial = true;
  };
  for (const [i, link] of links.entries()) {
    const name = link.name;
    if (i === 0 && direct) {
      if (link.args[0]) setTable(link.args[0], link);
      continue;
    }
    if (name === undefined) return undefined;
    if (TO_SQL.test(name)) continue;
    if (/^(insert|upsert|onConflict|merge|ignore|truncate)$/.test(name)) return undefined;
    if (/^(from|table|into)$/.test(name)) setTable(link.args[0], link);
    else if (name === 'withSchema') schema = stringValue(link.args[0]) ?? ((set.partial = true), undefined);
    else if (/^(where|andWhere|orWhere|whereNot|andWhereNot|orWhereNot)$/.test(name) || /^(or|and)?[wW]here\w+$/.test(name)) steps.push({ or: /^or/.test(name), link });
    else if (JOINS.test(name)) joins.push({ link });
    else if (name === 'orderBy') orders.push(link);
    else if (name === 'limit') query.limit = limitKind(link.args[0]);
    else if (name === 'offset') {
      query.offset = limitKind(link.args[0]);
      if (link.args[0]) query.offsetSpan = spanOf(link.args[0], ast);
    } else if (name === 'first') query.limit = 'constant';
    else if (/^(count|countDistinct)$/.test(name)) operation = 'count';
    else if (/^(min|max|sum|sumDistinct|avg|avgDistinct)$/.test(name)) operation = 'select';
    else if (/^(update|increment|decrement)$/.test(name)) operation = 'update';
    else if (/^(del|delete)$/.test(name)) operation = 'delete';
    else if (!NEUTRAL.test(name)) set.partial = true;
  }
  if (!pendingTable) return undefined;
  const main = tableAccess(pendingTable.arg, set, ast, schema);
  if (!main) return undefined;

  for (const { link } of joins) joinAccess(link, set, ast);
  const conditions: Array<{ or: boolean; condition: Condition }> = [];
  for (const step of steps) {
    const condition = whereCondition(step.link, set, ast);
    if (condition) conditions.push({ or: step.or, condition });
  }
  settle(conditions, set);
  for (const link of orders) orderByKeys(link, set, ast);

  if (!usedAsFinishedQuery(outer) && !/^(then|first|update|del|delete|count|pluck|toQuery|toSQL|toString|toNative)$/.test(links[links.length - 1]?.name ?? '')) set.partial = true;
  const result: ExtractedQuery = { ...query, operation, display: `${shortText(handle, 24)}(${main.table.name})${links.length > 1 ? '…' : ''}`, accesses: set.accesses };
  if (set.partial) result.partial = true;
  return result;
}

/** `'orders as o'`, `{ o: 'orders' }`, a `const` holding the name. */
function tableAccess(arg: ts.Expression, set: AccessSet, ast: ts.SourceFile, schema?: string): TableAccess | undefined {
  const e = unwrapExpression(arg);
  const aliasObject = objectProperties(e);
  if (aliasObject && aliasObject.size === 1) {
    const [[alias, { value }]] = [...aliasObject.entries()];
    const name = stringValue(value);
    const parsed = name ? parseTableName(name) : undefined;
    if (!parsed) return undefined;
    return set.add({ kind: 'table', name: parsed.name, ...(parsed.schema ?? schema ? { schema: parsed.schema ?? schema } : {}) }, spanOf(e, ast), alias);
  }
  const text = stringValue(e);
  const parsed = text ? parseTableName(text) : undefined;
  if (!parsed) return undefined;
  const table = { kind: 'table' as const, name: parsed.name, ...(parsed.schema ?? schema ? { schema: (parsed.schema ?? schema)! } : {}) };
  const access = set.add(table, spanOf(e, ast), parsed.alias);
  return access;
}

/** `.join('items as i', 'i.order_id', 'o.id')`, `.join('items', 'items.order_id', '=', 'orders.id')`; a callback join is partial. */
function joinAccess(link: ChainLink, set: AccessSet, ast: ts.SourceFile): void {
  const [tableArg, ...rest] = link.args;
  const joined = tableArg ? tableAccess(tableArg, set, ast) : undefined;
  if (!joined) {
    set.partial = true;
    return;
  }
  if (link.name === 'crossJoin') return;
  const sides = rest.length === 3 ? [rest[0], rest[2]] : rest.length === 2 ? [rest[0], rest[1]] : undefined;
  if (!sides || (rest.length === 3 && stringValue(rest[1]) !== '=')) {
    set.partial = true;
    return;
  }
  let found = false;
  for (const side of sides) {
    const text = side && stringValue(side);
    const ref = text ? parseColumnRef(text) : undefined;
    if (!ref || !side) continue;
    const owner = ref.qualifier === undefined ? undefined : set.lookup(ref.qualifier);
    if (owner === joined) {
      joined.joinKeys.push({ column: ref.column, op: 'eq', span: spanOf(side, ast) });
      found = true;
    }
  }
  if (!found) set.partial = true;
}

/** Knex joins its where-calls with AND, or with OR for `or*` calls: `a.where(x).orWhere(y).where(z)` is `x OR (y AND z)`. */
function settle(conditions: Array<{ or: boolean; condition: Condition }>, set: AccessSet): void {
  const alternatives: Condition[][] = [[]];
  for (const { or, condition } of conditions) {
    if (or && alternatives[alternatives.length - 1]!.length > 0) alternatives.push([]);
    alternatives[alternatives.length - 1]!.push(condition);
  }
  const merged = alternatives.map((list) => ({ and: list.flatMap((c) => c.and), groups: list.flatMap((c) => c.groups) }));
  set.apply(orAll(merged, () => (set.partial = true)));
}

function columnTerm(columnArg: ts.Expression | undefined, shape: FilterShape | undefined, set: AccessSet, ast: ts.SourceFile): Term | undefined {
  const text = stringValue(columnArg);
  const ref = text ? parseColumnRef(text) : undefined;
  if (!ref || !columnArg || !shape) {
    set.partial = true;
    return undefined;
  }
  const access = set.lookup(ref.qualifier);
  if (!access) return undefined;
  const filter: ColumnFilter = { column: ref.column, op: shape.op, span: spanOf(columnArg, ast) };
  if (shape.constants) filter.constants = shape.constants;
  if (shape.prefixLike) filter.prefixLike = true;
  return { access, filter };
}

const single = (term: Term | undefined): Condition => ({ and: term ? [term] : [], groups: [] });

/** One where-call as a condition. */
function whereCondition(link: ChainLink, set: AccessSet, ast: ts.SourceFile): Condition | undefined {
  const name = link.name!.replace(/^(or|and)(?=W)/, '').replace(/^W/, 'w');
  const [a, b, c] = link.args;
  const negated = /^whereNot/.test(name) && name !== 'whereNotIn' && name !== 'whereNotNull' && name !== 'whereNotBetween' && name !== 'whereNotExists';
  switch (name) {
    case 'where':
    case 'whereNot': {
      if (!a) return undefined;
      const props = objectProperties(a);
      if (props) {
        if (negated && props.size > 1) {
          set.partial = true;
          return undefined;
        }
        const terms: Term[] = [];
        for (const [key, { name: keyNode, value }] of props) {
          const constant = constantOf(value);
          const shape: FilterShape = negated ? { op: 'not' } : constant === NOT_CONSTANT ? { op: 'eq' } : { op: 'eq', constants: [constant] };
          const ref = parseColumnRef(key);
          const access = ref ? set.lookup(ref.qualifier) : undefined;
          if (!ref || !access) continue;
          const filter: ColumnFilter = { column: ref.column, op: shape.op, span: spanOf(keyNode, ast) };
          if (shape.constants) filter.constants = shape.constants;
          terms.push({ access, filter });
        }
        return { and: terms, groups: [] };
      }
      if (isFunctionLike(unwrapExpression(a)) || link.args.length === 1) {
        // A grouped callback (`where((qb) => …)`) or a raw fragment: not followed.
        set.partial = true;
        return undefined;
      }
      let shape: FilterShape | undefined;
      if (link.args.length === 2) {
        const constant = constantOf(b!);
        shape = constant === NOT_CONSTANT ? { op: 'eq' } : { op: 'eq', constants: [constant] };
      } else {
        const operator = stringValue(b);
        shape = operator === undefined ? undefined : comparisonShape(operator, c);
      }
      if (shape && negated) shape = { op: 'not' };
      return single(columnTerm(a, shape, set, ast));
    }
    case 'whereIn':
    case 'whereNotIn': {
      if (a && ts.isArrayLiteralExpression(unwrapExpression(a))) {
        set.partial = true;
        return undefined;
      }
      const constants = b ? constantList(b) : undefined;
      const shape: FilterShape = name === 'whereNotIn' ? { op: 'not' } : constants ? { op: 'eq', constants } : { op: 'eq' };
      return single(columnTerm(a, shape, set, ast));
    }
    case 'whereNull':
      return single(columnTerm(a, { op: 'eq', constants: [null] }, set, ast));
    case 'whereNotNull':
      return single(columnTerm(a, { op: 'not' }, set, ast));
    case 'whereBetween':
      return single(columnTerm(a, { op: 'range' }, set, ast));
    case 'whereNotBetween':
      return single(columnTerm(a, { op: 'not' }, set, ast));
    case 'whereLike':
      return single(columnTerm(a, likeShape(b, false), set, ast));
    case 'whereILike':
      return single(columnTerm(a, likeShape(b, true), set, ast));
    default:
      // whereRaw, whereExists, whereJsonPath, whereColumn…: a condition we do not read.
      set.partial = true;
      return undefined;
  }
}

/** `.orderBy('col')`, `.orderBy('col', 'desc', 'first')`, `.orderBy(['a', { column: 'b', order: 'desc' }])`. */
function orderByKeys(link: ChainLink, set: AccessSet, ast: ts.SourceFile): void {
  const [first, direction, nulls] = link.args;
  if (!first) return;
  const push = (columnNode: ts.Expression, dir: ts.Expression | undefined, nullsArg: ts.Expression | undefined): void => {
    const text = stringValue(columnNode);
    const ref = text ? parseColumnRef(text) : undefined;
    const dirText = dir === undefined ? 'asc' : stringValue(dir)?.toLowerCase();
    if (!ref || (dirText !== 'asc' && dirText !== 'desc')) {
      set.partial = true;
      return;
    }
    const access = set.lookup(ref.qualifier);
    if (!access) return;
    const nullsText = nullsArg === undefined ? undefined : stringValue(nullsArg)?.toLowerCase();
    access.orderBy.push(sortKey(ref.column, dirText === 'desc', spanOf(columnNode, ast), nullsText === 'first' ? true : nullsText === 'last' ? false : undefined));
  };
  const list = unwrapExpression(first);
  if (ts.isArrayLiteralExpression(list)) {
    for (const element of list.elements) {
      const props = objectProperties(element);
      if (props) {
        const column = props.get('column')?.value;
        if (column) push(column, props.get('order')?.value, props.get('nulls')?.value);
        else set.partial = true;
      } else push(element, undefined, undefined);
    }
    return;
  }
  push(first, direction, nulls);
}
