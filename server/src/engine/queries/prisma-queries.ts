import { ts } from 'ts-morph';
import { HandleResolver } from '../../rules/n-plus-one/handles';
import { unwrapExpression } from '../ast/call-shape';
import { propertyName, propertyValue } from '../ast/object-literal';
import { prismaSchemaFacts } from '../schema/orm-sources';
import type { ParsedFile } from '../source/parsed-file';
import type { ProjectView } from '../workspace/project-view';
import { AccessBuilder, constantList, constantOf, displayOf, followArray, followObject, forEachMethodCall, isUndefined, literalValue, readOrderObjects, spanOf } from './orm-query-parts';
import type { OrmMapping } from '../schema/catalog-model';
import type { ColumnFilter, ExtractedQuery } from './query-model';
import type { QueryExtractor } from './query-sources';

const OPERATIONS: Record<string, ExtractedQuery['operation']> = {
  findMany: 'select',
  findFirst: 'select',
  findFirstOrThrow: 'select',
  findUnique: 'select',
  findUniqueOrThrow: 'select',
  count: 'count',
  aggregate: 'select',
  groupBy: 'select',
  update: 'update',
  updateMany: 'update',
  delete: 'delete',
  deleteMany: 'delete',
};
const SINGLE_ROW = /^(findFirst|findFirstOrThrow|findUnique|findUniqueOrThrow)$/;
/** Keys of a Prisma scalar filter object (`{ gte: from, lt: to }`). */
const SCALAR_FILTER_KEYS = /^(equals|in|notIn|lt|lte|gt|gte|contains|startsWith|endsWith|not|mode|search|has|hasSome|hasEvery|isEmpty|isSet)$/;
/** Keys that filter through a relation: another table's rows. */
const RELATION_FILTER_KEYS = /^(some|every|none|is|isNot)$/;

/**
 * Prisma model delegate calls: `prisma.order.findMany({ where: { status: { in: [...] } },
 * orderBy: { createdAt: 'desc' }, take, skip })`. The client is recognised by the HandleResolver
 * (PrismaClient, a class extending it, a transaction client); the model is the delegate name,
 * which the catalog maps to the table (names compare without case).
 */
export const prismaQueries: QueryExtractor = {
  id: 'prisma',
  textHint: /\.(findMany|findFirst|findFirstOrThrow|findUnique|findUniqueOrThrow|count|aggregate|groupBy|update|updateMany|delete|deleteMany)\s*\(/,
  extract(file: ParsedFile, project: ProjectView): ExtractedQuery[] {
    if (!file.ast) return [];
    const handles = new HandleResolver(file, project);
    const queries: ExtractedQuery[] = [];
    forEachMethodCall(file.ast, (call, callee) => {
      const method = callee.name.text;
      const operation = Object.prototype.hasOwnProperty.call(OPERATIONS, method) ? OPERATIONS[method] : undefined;
      if (!operation) return;
      const delegate = unwrapExpression(callee.expression);
      if (!ts.isPropertyAccessExpression(delegate) || delegate.name.text.startsWith('$')) return;
      if (handles.kindOf(delegate.expression) !== 'prisma') return;
      const builder = new AccessBuilder();
      readArgs(call.arguments[0], builder, modelSchema(project, delegate.name.text));
      // `groupBy` sorts the groups after aggregating them: no index delivers that order.
      if (method === 'groupBy') builder.orderBy.length = 0;
      if (SINGLE_ROW.test(method)) builder.limit ??= 'constant';
      queries.push(builder.query({ source: 'prisma', operation, callee, display: displayOf(callee), table: { kind: 'orm', orm: 'prisma', name: delegate.name.text }, tableNode: delegate }));
    });
    return queries;
  },
};

/** What the where reader asks of the model's schema.prisma declaration. */
interface ModelSchema {
  /**
   * `where: { tenantId_number }`: a compound unique input held in a variable. Told from a field
   * whose name has an underscore (`user_id`) by the model's fields in schema.prisma.
   */
  compound(name: string): string[] | undefined;
  /** `user User @relation(fields: [userId], references: [id])`: the relation field's local and referenced fields. */
  relation(name: string): { fields: string[]; references: string[] } | undefined;
}

function modelSchema(project: ProjectView, model: string): ModelSchema {
  let mapping: OrmMapping | undefined | null = null;
  const find = (): OrmMapping | undefined => {
    if (mapping !== null) return mapping;
    mapping = undefined;
    for (const { facts } of project.allFacts(prismaSchemaFacts)) {
      mapping = facts.tables.find((table) => table.mapping?.name.toLowerCase() === model.toLowerCase())?.mapping;
      if (mapping) break;
    }
    return mapping;
  };
  const has = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);
  return {
    compound(name) {
      if (!name.includes('_')) return undefined;
      const columns = find()?.columns;
      const parts = name.split('_');
      return columns && !has(columns, name) && parts.every((part) => has(columns, part)) ? parts : undefined;
    },
    relation(name) {
      const relations = find()?.relations;
      return relations && has(relations, name) ? relations[name] : undefined;
    },
  };
}

function readArgs(argument: ts.Expression | undefined, builder: AccessBuilder, schema: ModelSchema): void {
  if (!argument || isUndefined(argument)) return;
  const args = followObject(argument);
  if (!args) {
    builder.partial = true;
    return;
  }
  for (const property of args.properties) {
    const name = propertyName(property);
    const value = propertyValue(property);
    if (ts.isSpreadAssignment(property) || name === undefined || (!value && /^(where|orderBy|cursor)$/.test(name))) {
      builder.partial = true;
      continue;
    }
    if (!value) continue;
    if (name === 'where') new PrismaWhere(builder, schema).read(value, builder.filters, builder.disjunctions);
    else if (name === 'orderBy') readOrderBy(value, builder);
    else if (name === 'take') builder.setLimit(value);
    else if (name === 'skip') builder.setOffset(value);
    else if (name === 'cursor') readCursor(value, builder);
  }
  // With a cursor, `skip` (usually `1`, or `cursor ? 1 : 0`) steps over the cursor row itself:
  // that is keyset pagination, not an offset that grows with the page number.
  if (args.properties.some((property) => propertyName(property) === 'cursor')) {
    builder.offset = undefined;
    builder.offsetSpan = undefined;
  }
}

/** `cursor: { id: lastId }` pages by the cursor key: a range on it, not an offset. */
function readCursor(value: ts.Expression, builder: AccessBuilder): void {
  const cursor = followObject(value);
  const only = cursor?.properties.length === 1 ? cursor.properties[0]! : undefined;
  const name = only && propertyName(only);
  const inner = only && propertyValue(only);
  if (!name || !inner || ts.isObjectLiteralExpression(unwrapExpression(inner))) {
    builder.partial = true;
    return;
  }
  builder.filter(name, 'range', only.name ?? only);
}

/** `orderBy: { createdAt: 'desc' }`, `[{ status: 'asc' }, { id: { sort: 'desc', nulls: 'last' } }]`; `_count`, `_relevance` are not columns. */
function readOrderBy(value: ts.Expression, builder: AccessBuilder): void {
  const array = followArray(value);
  readOrderObjects(array ? array.elements.map((element) => followObject(element)) : [followObject(value)], builder, { directionOption: 'sort', notAColumn: (name) => name.startsWith('_') });
}

class PrismaWhere {
  constructor(
    private readonly builder: AccessBuilder,
    private readonly schema: ModelSchema,
  ) {}

  /** Reads a where object into `filters` (AND) and `disjunctions` (top-level OR groups). */
  read(value: ts.Expression, filters: ColumnFilter[], disjunctions: ColumnFilter[][][]): void {
    if (isUndefined(value)) return;
    const object = followObject(value);
    if (!object) {
      this.builder.partial = true;
      return;
    }
    for (const property of object.properties) {
      const name = propertyName(property);
      const inner = propertyValue(property);
      if (!name || !inner) {
        this.builder.partial = true;
        continue;
      }
      const at = property.name ?? property;
      if (name === 'AND') {
        const list = followArray(inner);
        for (const element of list ? list.elements : [inner]) this.read(element, filters, disjunctions);
      } else if (name === 'OR') this.readOr(inner, disjunctions);
      else if (name === 'NOT') this.readNot(inner, filters);
      else this.readField(name, inner, at, filters);
    }
  }

  private readOr(value: ts.Expression, disjunctions: ColumnFilter[][][]): void {
    const list = followArray(value);
    if (!list) {
      this.builder.partial = true;
      return;
    }
    const alternatives: ColumnFilter[][] = [];
    for (const element of list.elements) {
      const filters: ColumnFilter[] = [];
      const nested: ColumnFilter[][][] = [];
      this.read(element, filters, nested);
      // An OR inside an OR alternative: more than the one level the model holds.
      if (nested.length > 0) this.builder.partial = true;
      alternatives.push(filters);
    }
    if (alternatives.length > 0) disjunctions.push(alternatives);
  }

  /** `NOT: { status: 'void' }`: one negated scalar is a `not`; anything larger is not an index question. */
  private readNot(value: ts.Expression, filters: ColumnFilter[]): void {
    const object = followObject(value);
    const only = object?.properties.length === 1 ? object.properties[0]! : undefined;
    const name = only && propertyName(only);
    const inner = only && propertyValue(only);
    if (name && inner && !/^(AND|OR|NOT)$/.test(name) && !ts.isObjectLiteralExpression(unwrapExpression(inner))) filters.push(this.make(name, 'not', only.name ?? only));
    else this.builder.partial = true;
  }

  private readField(name: string, value: ts.Expression, at: ts.Node, filters: ColumnFilter[]): void {
    const node = unwrapExpression(value);
    if (isUndefined(node)) return;
    const literal = constantOf(node);
    if (literal) return void filters.push(this.make(name, 'eq', at, literal));
    const object = ts.isObjectLiteralExpression(node) ? node : ts.isIdentifier(node) ? followObject(node) : undefined;
    if (object) return this.readFilterObject(name, object, at, filters);
    const parts = this.schema.compound(name);
    if (parts) {
      for (const part of parts) filters.push(this.make(part, 'eq', at));
      return;
    }
    // `date: resetHours(date)` is far more often a value than a filter object; a ternary between
    // filter objects (`from ? { gte: from } : undefined`) is the common dynamic shape.
    if (ts.isConditionalExpression(node) || ts.isArrayLiteralExpression(node)) {
      this.builder.partial = true;
      return;
    }
    filters.push(this.make(name, 'eq', at));
  }

  private readFilterObject(name: string, object: ts.ObjectLiteralExpression, at: ts.Node, filters: ColumnFilter[]): void {
    const keys = object.properties.map((property) => (ts.isSpreadAssignment(property) ? undefined : propertyName(property)));
    if (keys.some((key) => key === undefined)) {
      this.builder.partial = true;
      return;
    }
    if (keys.length > 0 && keys.every((key) => SCALAR_FILTER_KEYS.test(key!))) return this.readScalarFilter(name, object, at, filters);
    // `tenantId_number: { tenantId, number }`: a compound unique key of findUnique.
    if (keys.length > 1 && keys.join('_') === name) {
      for (const property of object.properties) this.readField(propertyName(property)!, propertyValue(property)!, property.name ?? property, filters);
      return;
    }
    if (this.readRelationKey(name, object, filters)) return;
    // A relation filter (`some`, `is`, a nested relation's fields) reads another table.
    if (keys.some((key) => RELATION_FILTER_KEYS.test(key!)) || keys.length > 0) this.builder.partial = true;
  }

  /**
   * `user: { id: userId }` or `user: { is: { id: userId } }` on `user User @relation(fields:
   * [userId], references: [id])`: equality on exactly the referenced fields is what Prisma sends as
   * `"userId" = $1`, so it reads as equality on the local foreign-key fields. Anything else in a
   * relation filter (another field, a range, `some`/`every`/`none`, `isNot`) reads the other table.
   */
  private readRelationKey(name: string, object: ts.ObjectLiteralExpression, filters: ColumnFilter[]): boolean {
    const relation = this.schema.relation(name);
    if (!relation || relation.fields.length !== relation.references.length || relation.fields.length === 0) return false;
    let inner = object;
    if (object.properties.length === 1 && propertyName(object.properties[0]!) === 'is') {
      const value = propertyValue(object.properties[0]!);
      const nested = value && followObject(value);
      if (!nested) return false;
      inner = nested;
    }
    const values = new Map<string, { value: ts.Expression; at: ts.Node }>();
    for (const property of inner.properties) {
      const key = ts.isSpreadAssignment(property) ? undefined : propertyName(property);
      const value = propertyValue(property);
      if (!key || !value || values.has(key)) return false;
      values.set(key, { value, at: property.name ?? property });
    }
    if (values.size !== relation.references.length || !relation.references.every((reference) => values.has(reference))) return false;
    const read: ColumnFilter[] = [];
    for (const [position, reference] of relation.references.entries()) {
      const { value, at } = values.get(reference)!;
      const equality = this.equalityValue(value);
      if (!equality) return false;
      read.push(this.make(relation.fields[position]!, 'eq', at, equality.constants));
    }
    filters.push(...read);
    return true;
  }

  /** A plain value or `{ equals: value }`; undefined for anything else (a range, `null`, a value that may be undefined). */
  private equalityValue(value: ts.Expression): { constants?: ColumnFilter['constants'] } | undefined {
    const node = unwrapExpression(value);
    if (isUndefined(node) || node.kind === ts.SyntaxKind.NullKeyword || ts.isConditionalExpression(node) || ts.isArrayLiteralExpression(node)) return undefined;
    const literal = constantOf(node);
    if (literal) return { constants: literal };
    const object = ts.isObjectLiteralExpression(node) ? node : ts.isIdentifier(node) ? followObject(node) : undefined;
    if (!object) return {};
    const only = object.properties.length === 1 ? object.properties[0]! : undefined;
    const equals = only && propertyName(only) === 'equals' ? propertyValue(only) : undefined;
    return equals ? this.equalityValue(equals) : undefined;
  }

  private readScalarFilter(name: string, object: ts.ObjectLiteralExpression, at: ts.Node, filters: ColumnFilter[]): void {
    const values = new Map(object.properties.map((property) => [propertyName(property)!, propertyValue(property)!]));
    const insensitive = values.has('mode') && literalValue(values.get('mode')!) === 'insensitive';
    let range = false;
    for (const [key, value] of values) {
      if (key === 'mode') continue;
      if (isUndefined(value)) continue;
      if (insensitive && /^(equals|contains|startsWith|endsWith|in|notIn)$/.test(key)) {
        filters.push(this.make(name, 'like-contains', at));
        continue;
      }
      if (key === 'equals') filters.push(this.make(name, 'eq', at, constantOf(value)));
      else if (key === 'in') filters.push(this.make(name, 'eq', at, constantList(value)));
      else if (key === 'notIn' || key === 'not') filters.push(this.make(name, 'not', at));
      else if (/^(lt|lte|gt|gte)$/.test(key)) range = true;
      else if (key === 'startsWith') filters.push(this.make(name, 'range', at, undefined, true));
      else if (key === 'contains' || key === 'endsWith') filters.push(this.make(name, 'like-contains', at));
      else filters.push(this.make(name, 'other', at));
    }
    if (range) filters.push(this.make(name, 'range', at));
  }

  private make(column: string, op: ColumnFilter['op'], at: ts.Node, constants?: ColumnFilter['constants'], prefixLike = false): ColumnFilter {
    const filter: ColumnFilter = { column, op, span: spanOf(at) };
    if (constants) filter.constants = constants;
    if (prefixLike) filter.prefixLike = true;
    return filter;
  }
}
