import { ts } from 'ts-morph';
import { HandleResolver } from '../../rules/n-plus-one/handles';
import { unwrapExpression } from '../ast/call-shape';
import { propertyName, propertyValue } from '../ast/object-literal';
import { typeormEntityFacts, type EntityDecl } from '../schema/orm-sources';
import type { ImportTable } from '../source/import-table';
import type { ParsedFile } from '../source/parsed-file';
import type { ProjectView } from '../workspace/project-view';
import { AccessBuilder, constantList, constantOf, displayOf, followArray, followObject, forEachMethodCall, isUndefined, literalValue, readOrderObjects } from './orm-query-parts';
import type { ColumnFilter, ExtractedQuery } from './query-model';
import type { QueryExtractor } from './query-sources';
import { repositoryEntity } from './typeorm-entity';

/** Methods whose first argument (after the entity, on a manager) is find options: `{ where, order, take, skip }`. */
const OPTION_METHODS = new Set(['find', 'findOne', 'findOneOrFail', 'findAndCount', 'count', 'exist', 'exists']);
/** Methods whose first argument is the `where` itself. */
const WHERE_METHODS = new Set(['findBy', 'findOneBy', 'findOneByOrFail', 'findAndCountBy', 'countBy', 'existsBy', 'update', 'delete', 'softDelete', 'restore']);
const SINGLE_ROW = /^(findOne|findOneOrFail|findOneBy|findOneByOrFail|exist|exists|existsBy)$/;

/**
 * TypeORM repository and EntityManager finders: `this.orders.find({ where: { status }, order:
 * { createdAt: 'DESC' }, take: 20 })`, `manager.findBy(Order, { customer: { id } })`,
 * `this.orders.update({ status: 'open' }, values)`. The receiver is recognised by the
 * HandleResolver (declared types, decorators, imports), the entity from the repository.
 */
export const typeormFindQueries: QueryExtractor = {
  id: 'typeorm-find',
  textHint: /\b(find|count|exists?|update|delete|softDelete|restore)\w*\s*\(/,
  extract(file: ParsedFile, project: ProjectView): ExtractedQuery[] {
    if (!file.ast || ![...file.imports.entries()].some(([, binding]) => /typeorm/.test(binding.module)) && !/Repository|EntityManager|DataSource/.test(file.text)) return [];
    const handles = new HandleResolver(file, project);
    const queries: ExtractedQuery[] = [];
    let entities: Map<string, EntityDecl | null> | undefined;
    const entityDecl = (name: string): EntityDecl | undefined => {
      if (!entities) {
        entities = new Map();
        for (const { facts } of project.allFacts(typeormEntityFacts)) for (const entity of facts.entities) entities.set(entity.className, entities.has(entity.className) ? null : entity);
      }
      return entities.get(name) ?? undefined;
    };
    forEachMethodCall(file.ast, (call, callee) => {
      const method = callee.name.text;
      if (!OPTION_METHODS.has(method) && !WHERE_METHODS.has(method)) return;
      const receiver = unwrapExpression(callee.expression);
      const kind = handles.kindOf(receiver);
      if (kind !== 'typeorm-repository' && kind !== 'typeorm-manager') return;
      const args = [...call.arguments];
      let entity: string | undefined;
      let tableNode: ts.Node = receiver;
      if (kind === 'typeorm-manager') {
        const target = args.shift();
        const node = target && unwrapExpression(target);
        if (!node || !(ts.isIdentifier(node) || ts.isStringLiteralLike(node))) return;
        entity = node.text;
        tableNode = node;
      } else entity = repositoryEntity(receiver);
      if (!entity) return;
      const builder = new AccessBuilder();
      const where = new WhereReader(builder, (property) => entityDecl(entity)?.joinColumns.some((join) => join.property === property) ?? false, file.imports);
      if (OPTION_METHODS.has(method)) readOptions(args[0], builder, where);
      else where.readCriteria(args[0], method === 'update' || method === 'delete' || method === 'softDelete' || method === 'restore');
      if (SINGLE_ROW.test(method)) builder.limit = 'constant';
      const operation = method === 'update' || method === 'softDelete' || method === 'restore' ? 'update' : method === 'delete' ? 'delete' : /^count/.test(method) ? 'count' : 'select';
      const deleteDate = entityDecl(entity)?.deleteDateColumn;
      if (deleteDate && (operation === 'select' || operation === 'count') && !(OPTION_METHODS.has(method) && includesDeleted(args[0]))) addSoftDeleteFilter(builder, deleteDate, call);
      queries.push(builder.query({ source: 'typeorm', operation, callee, display: displayOf(callee), table: { kind: 'orm', orm: 'typeorm', name: entity }, tableNode }));
    });
    return queries;
  },
};

/**
 * TypeORM's finders on an entity with a `@DeleteDateColumn` add `"<column>" IS NULL` themselves,
 * so a partial index `WHERE deleted_at IS NULL` serves them. The filter is placed at the call's
 * closing parenthesis: it is not written anywhere, and a finding belongs on a written filter.
 */
export function addSoftDeleteFilter(builder: { filters: ColumnFilter[] }, property: string, call: ts.CallExpression): void {
  if (builder.filters.some((filter) => filter.column === property)) return;
  builder.filters.push({ column: property, op: 'eq', constants: [null], span: { start: call.getEnd() - 1, end: call.getEnd() } });
}

/** `withDeleted: true` (or a value we cannot read) in find options: the deleted rows are asked for too. */
function includesDeleted(argument: ts.Expression | undefined): boolean {
  const options = argument && followObject(argument);
  const withDeleted = options?.properties.find((property) => propertyName(property) === 'withDeleted');
  const value = withDeleted && propertyValue(withDeleted);
  if (!withDeleted) return false;
  return !value || literalValue(value) !== false;
}

function readOptions(argument: ts.Expression | undefined, builder: AccessBuilder, where: WhereReader): void {
  if (!argument || isUndefined(argument)) return;
  const options = followObject(argument);
  if (!options) {
    builder.partial = true;
    return;
  }
  for (const property of options.properties) {
    if (ts.isSpreadAssignment(property)) {
      builder.partial = true;
      continue;
    }
    const value = propertyValue(property);
    const name = propertyName(property);
    if (!value) {
      if (name === undefined || /^(where|order)$/.test(name)) builder.partial = true;
      continue;
    }
    if (name === 'where') where.readWhere(value);
    else if (name === 'order') readOrder(value, builder);
    else if (name === 'take') builder.setLimit(value);
    else if (name === 'skip') builder.setOffset(value);
    else if (name === undefined) builder.partial = true;
  }
}

/** `order: { createdAt: 'DESC', id: { direction: 'asc', nulls: 'last' } }`; a relation's column (`customer: { name: 'ASC' }`) makes it partial. */
function readOrder(value: ts.Expression, builder: AccessBuilder): void {
  readOrderObjects([followObject(value)], builder, { directionOption: 'direction' });
}

const RANGE_OPERATORS = /^(MoreThan|MoreThanOrEqual|LessThan|LessThanOrEqual|Between)$/;

/** Reads TypeORM `where` values: objects (AND), arrays (OR), and FindOperators imported from typeorm. */
class WhereReader {
  constructor(
    private readonly builder: AccessBuilder,
    private readonly isJoinColumn: (property: string) => boolean,
    private readonly imports: ImportTable,
  ) {}

  /** `update(criteria, …)` / `delete(criteria)`: a where object, or ids (the primary key, which we do not name here). */
  readCriteria(argument: ts.Expression | undefined, byIdAllowed: boolean): void {
    if (!argument) return;
    const node = unwrapExpression(argument);
    if (followObject(node) || followArray(node)) this.readWhere(node);
    else if (byIdAllowed) this.builder.partial = true;
    else this.readWhere(node);
  }

  readWhere(value: ts.Expression): void {
    const array = followArray(value);
    if (array) {
      const alternatives: ColumnFilter[][] = [];
      for (const element of array.elements) {
        const nested = new AccessBuilder();
        const object = followObject(element);
        if (!object) {
          this.builder.partial = true;
          return;
        }
        new WhereReader(nested, this.isJoinColumn, this.imports).readObject(object);
        if (nested.partial) this.builder.partial = true;
        alternatives.push(nested.filters);
      }
      if (alternatives.length === 1) this.builder.filters.push(...alternatives[0]!);
      else if (alternatives.length > 1) this.builder.disjunctions.push(alternatives);
      return;
    }
    const object = followObject(value);
    if (!object) {
      if (!isUndefined(value)) this.builder.partial = true;
      return;
    }
    this.readObject(object);
  }

  private readObject(object: ts.ObjectLiteralExpression): void {
    for (const property of object.properties) {
      const name = propertyName(property);
      const value = propertyValue(property);
      if (!name || !value) {
        this.builder.partial = true;
        continue;
      }
      this.readValue(name, value, property.name ?? property);
    }
  }

  private readValue(column: string, value: ts.Expression, at: ts.Node): void {
    const node = unwrapExpression(value);
    if (isUndefined(node)) return;
    const literal = constantOf(node);
    if (literal) return this.builder.filter(column, 'eq', at, literal);
    if (ts.isObjectLiteralExpression(node)) return this.readRelation(column, node, at);
    const operator = operatorCall(node, this.imports);
    if (operator) return this.readOperator(column, operator.name, operator.call, at);
    if (ts.isArrayLiteralExpression(node) || ts.isCallExpression(node) || ts.isConditionalExpression(node)) {
      // Not a plain value: a FindOperator built by a helper, a ternary between operators.
      this.builder.partial = true;
      return;
    }
    this.builder.filter(column, 'eq', at);
  }

  /** `customer: { id }` filters the join column of a ManyToOne; any other nested object joins another table. */
  private readRelation(column: string, object: ts.ObjectLiteralExpression, at: ts.Node): void {
    const only = object.properties.length === 1 ? object.properties[0]! : undefined;
    const value = only && propertyValue(only);
    if (only && propertyName(only) === 'id' && value && this.isJoinColumn(column)) {
      const constants = constantOf(value);
      if (constants || !operatorCall(unwrapExpression(value), this.imports)) return this.builder.filter(column, 'eq', at, constants);
      const operator = operatorCall(unwrapExpression(value), this.imports)!;
      return this.readOperator(column, operator.name, operator.call, at);
    }
    this.builder.partial = true;
  }

  private readOperator(column: string, name: string, call: ts.CallExpression, at: ts.Node): void {
    const first = call.arguments[0];
    if (name === 'Equal' && first) return this.builder.filter(column, 'eq', at, constantOf(first));
    if (name === 'In' || name === 'Any') return this.builder.filter(column, 'eq', at, first ? constantList(first) : undefined);
    if (name === 'IsNull') return this.builder.filter(column, 'eq', at, [null]);
    if (RANGE_OPERATORS.test(name)) return this.builder.filter(column, 'range', at);
    if (name === 'Like' && first) {
      const pattern = literalValue(first);
      if (typeof pattern === 'string' && !/^[%_]/.test(pattern)) return this.builder.filter(column, /[%_]/.test(pattern) ? 'range' : 'eq', at, /[%_]/.test(pattern) ? undefined : [pattern], /[%_]/.test(pattern));
      if (typeof pattern === 'string') return this.builder.filter(column, 'like-contains', at);
      // A pattern from a variable: a prefix or a contains search, we cannot tell.
      this.builder.filter(column, 'other', at);
      this.builder.partial = true;
      return;
    }
    if (name === 'ILike') return this.builder.filter(column, 'like-contains', at);
    if (name === 'Not') return this.builder.filter(column, 'not', at);
    if (name === 'And') {
      for (const argument of call.arguments) {
        const inner = operatorCall(unwrapExpression(argument), this.imports);
        if (inner) this.readOperator(column, inner.name, inner.call, at);
        else this.builder.partial = true;
      }
      return;
    }
    // Raw, Or, ArrayContains, JsonContains…: not a shape an index question can be asked of.
    this.builder.filter(column, 'other', at);
    this.builder.partial = true;
  }
}

/** `MoreThan(x)` where `MoreThan` is imported from typeorm. */
function operatorCall(node: ts.Expression, imports: ImportTable): { name: string; call: ts.CallExpression } | undefined {
  if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) return undefined;
  const binding = imports.get(node.expression.text);
  return binding?.module === 'typeorm' ? { name: binding.imported, call: node } : undefined;
}
