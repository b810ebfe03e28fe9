import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { propertyName, propertyValue } from '../../engine/ast/object-literal';
import { resolveName } from '../../engine/ast/scope';
import { entityOfType, repositoryEntity } from '../../engine/queries/typeorm-entity';
import type { FixReport, SpanEdit } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { HandleResolver } from './handles';
import type { LoopContext } from './loop-context';

/** `await order.customer` on a TypeORM lazy relation, per element of a collection. */
export interface LazyRelationAccess {
  awaited: ts.AwaitExpression;
  access: ts.PropertyAccessExpression;
  relation: string;
  entity: string;
  /** The `find` / `findBy` call in this function that loaded the collection, when there is one. */
  load?: ts.CallExpression;
}

const FINDERS = /^(find|findBy)$/;

/**
 * `for (const order of orders) { const customer = await order.customer; }` where `Order`
 * declares `customer` as a lazy relation (`Promise<Customer>` or `{ lazy: true }`): one query per
 * element. The entity comes from declared types (`orders: Order[]`, `order: Order`) or from the
 * repository that loaded the collection (`Repository<Order>`, `@InjectRepository(Order)`), never
 * from the property name alone. Silent when that load already asks for the relation.
 */
export function recogniseLazyRelation(awaited: ts.AwaitExpression, loop: LoopContext, handles: HandleResolver): LazyRelationAccess | undefined {
  const access = unwrapExpression(awaited.expression);
  if (!ts.isPropertyAccessExpression(access) || !ts.isIdentifier(access.expression) || !loop.element || !ts.isIdentifier(loop.element)) return undefined;
  if (access.expression.text !== loop.element.text) return undefined;
  const relation = access.name.text;
  const elementBinding = resolveName(access.expression.text, access.expression);
  const elementType = elementBinding && (elementBinding.kind === 'parameter' || elementBinding.kind === 'variable') ? elementBinding.declaration.type : undefined;
  let entity = entityOfType(elementType, false);
  const load = loop.collection ? loadingCall(loop.collection, handles) : undefined;
  if (!entity && loop.collection) entity = collectionEntity(loop.collection, load);
  if (!entity || !handles.lazyRelations(entity).includes(relation)) return undefined;
  if (load && loadsRelation(load, relation)) return undefined;
  return { awaited, access, relation, entity, ...(load ? { load } : {}) };
}

/** `const orders = await this.orders.find(…)` in scope: the finder call. */
function loadingCall(collection: ts.Expression, handles: HandleResolver): ts.CallExpression | undefined {
  const node = unwrapExpression(collection);
  if (!ts.isIdentifier(node)) return undefined;
  const binding = resolveName(node.text, node);
  if (!binding || binding.kind !== 'variable' || !binding.declaration.initializer) return undefined;
  let init = unwrapExpression(binding.declaration.initializer);
  if (ts.isAwaitExpression(init)) init = unwrapExpression(init.expression);
  if (!ts.isCallExpression(init) || !ts.isPropertyAccessExpression(init.expression) || !FINDERS.test(init.expression.name.text)) return undefined;
  return handles.kindOf(init.expression.expression) === 'typeorm-repository' ? init : undefined;
}

function collectionEntity(collection: ts.Expression, load: ts.CallExpression | undefined): string | undefined {
  const node = unwrapExpression(collection);
  if (!ts.isIdentifier(node)) return undefined;
  const binding = resolveName(node.text, node);
  const declared = binding && (binding.kind === 'parameter' || binding.kind === 'variable') ? entityOfType(binding.declaration.type, true) : undefined;
  if (declared) return declared;
  return load && ts.isPropertyAccessExpression(load.expression) ? repositoryEntity(load.expression.expression) : undefined;
}

/** `find({ relations: { customer: true } })`, `find({ relations: ['customer'] })`. */
function loadsRelation(load: ts.CallExpression, relation: string): boolean {
  const options = load.arguments[0] && unwrapExpression(load.arguments[0]);
  if (!options || !ts.isObjectLiteralExpression(options) || !ts.isPropertyAccessExpression(load.expression) || load.expression.name.text !== 'find') return false;
  const relations = options.properties.find((property) => propertyName(property) === 'relations');
  const value = relations && propertyValue(relations);
  if (!value) return false;
  const inner = unwrapExpression(value);
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.some((element) => ts.isStringLiteralLike(element) && element.text.split('.')[0] === relation);
  if (ts.isObjectLiteralExpression(inner)) return inner.properties.some((property) => propertyName(property) === relation);
  return true; // a relations value built elsewhere: assume it may hold the relation
}

/**
 * Adds the relation to the load that produced the collection: `find()` → `find({ relations: {
 * customer: true } })`, `findBy(where)` → `find({ where, relations: … })`, a `relations` object or
 * array gains the name. The `await order.customer` stays: TypeORM resolves a lazy relation loaded
 * with its owner without a query.
 */
export function addRelationFix(lazy: LazyRelationAccess, file: ParsedFile): FixReport | undefined {
  const load = lazy.load;
  if (!load || !ts.isPropertyAccessExpression(load.expression) || load.arguments.length > 1) return undefined;
  const method = load.expression.name;
  const relation = lazy.relation;
  const edits: SpanEdit[] = [];
  const argument = load.arguments[0] && unwrapExpression(load.arguments[0]);
  if (method.text === 'findBy') {
    if (!argument) return undefined;
    edits.push({ span: { start: method.getStart(file.ast), end: method.end }, newText: 'find' });
    edits.push({ span: { start: argument.getStart(file.ast), end: argument.end }, newText: `{ where: ${argument.getText(file.ast)}, relations: { ${relation}: true } }` });
  } else if (!argument) {
    const open = load.arguments.pos;
    edits.push({ span: { start: open, end: open }, newText: `{ relations: { ${relation}: true } }` });
  } else if (ts.isObjectLiteralExpression(argument)) {
    const relations = argument.properties.find((property) => propertyName(property) === 'relations');
    const value = relations && propertyValue(relations) && unwrapExpression(propertyValue(relations)!);
    if (relations && !value) return undefined;
    if (value && ts.isObjectLiteralExpression(value)) {
      const last = value.properties[value.properties.length - 1];
      edits.push(last ? { span: { start: last.end, end: last.end }, newText: `, ${relation}: true` } : { span: { start: value.getStart(file.ast), end: value.end }, newText: `{ ${relation}: true }` });
    } else if (value && ts.isArrayLiteralExpression(value)) {
      const last = value.elements[value.elements.length - 1];
      edits.push(last ? { span: { start: last.end, end: last.end }, newText: `, '${relation}'` } : { span: { start: value.getStart(file.ast), end: value.end }, newText: `['${relation}']` });
    } else if (value) return undefined;
    else {
      const last = argument.properties[argument.properties.length - 1];
      if (!last) edits.push({ span: { start: argument.getStart(file.ast), end: argument.end }, newText: `{ relations: { ${relation}: true } }` });
      else edits.push({ span: { start: last.end, end: last.end }, newText: `, relations: { ${relation}: true }` });
    }
  } else return undefined;
  return { title: `Load \`${relation}\` with the query that loaded the rows (relations: { ${relation}: true })`, isPreferred: true, edits };
}
