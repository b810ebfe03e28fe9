import { ts } from 'ts-morph';
import { HandleResolver } from '../../rules/n-plus-one/handles';
import { isSequelizeModule } from '../../rules/n-plus-one/project-db-types';
import { unwrapExpression } from '../ast/call-shape';
import { propertyName, propertyValue } from '../ast/object-literal';
import { classMember, enclosingClass, resolveName } from '../ast/scope';
import { sequelizeModelFacts } from '../schema/sequelize-sources';
import type { ImportTable } from '../source/import-table';
import type { ParsedFile } from '../source/parsed-file';
import type { ProjectView } from '../workspace/project-view';
import { AccessBuilder, constantList, constantOf, displayOf, followArray, followObject, forEachMethodCall, isUndefined, literalValue, spanOf } from './orm-query-parts';
import type { ColumnFilter, ExtractedQuery, SortKey } from './query-model';
import type { QueryExtractor } from './query-sources';
import { addSoftDeleteFilter } from './typeorm-find-queries';

const OPERATIONS: Record<string, ExtractedQuery['operation']> = { findAll: 'select', findOne: 'select', findAndCountAll: 'select', count: 'count', update: 'update', destroy: 'delete' };

/**
 * Sequelize model statics: `Order.findAll({ where: { status: { [Op.in]: [...] } }, order:
 * [['createdAt', 'DESC']], limit, offset })`, `Order.update(values, { where })`,
 * `Order.destroy({ where })`. The model is recognised by the HandleResolver (a class extending
 * Model, `@InjectModel(Order)`, `typeof Order`, `ModelStatic<Order>`) or a local
 * `sequelize.define(…)`; the TableRef names the model class (or the variable holding a defined model).
 */
export const sequelizeQueries: QueryExtractor = {
  id: 'sequelize',
  textHint: /\.(findAll|findOne|findAndCountAll|count|update|destroy)\s*\(/,
  extract(file: ParsedFile, project: ProjectView): ExtractedQuery[] {
    if (!file.ast || ![...file.imports.entries()].some(([, binding]) => isSequelizeModule(binding.module) || binding.module === '@nestjs/sequelize' || !/^[@a-z]/.test(binding.module))) return [];
    const handles = new HandleResolver(file, project);
    const queries: ExtractedQuery[] = [];
    forEachMethodCall(file.ast, (call, callee) => {
      const method = callee.name.text;
      const operation = Object.prototype.hasOwnProperty.call(OPERATIONS, method) ? OPERATIONS[method] : undefined;
      if (!operation) return;
      const receiver = unwrapExpression(callee.expression);
      const model = modelOf(receiver, handles);
      if (!model) return;
      const builder = new AccessBuilder();
      readOptions(method === 'update' ? call.arguments[1] : call.arguments[0], builder, file.imports);
      if (method === 'findOne') builder.limit ??= 'constant';
      const softDelete = operation === 'select' || operation === 'count' ? paranoidColumn(model, project) : undefined;
      if (softDelete && !includesDeleted(call.arguments[0])) addSoftDeleteFilter(builder, softDelete, call);
      queries.push(builder.query({ source: 'sequelize', operation, callee, display: displayOf(callee), table: { kind: 'orm', orm: 'sequelize', name: model }, tableNode: receiver }));
    });
    return queries;
  },
};

/** The model class name behind a receiver the HandleResolver calls a Sequelize model, or a local `sequelize.define(…)`. */
function modelOf(receiver: ts.Expression, handles: HandleResolver): string | undefined {
  if (ts.isIdentifier(receiver)) {
    const binding = resolveName(receiver.text, receiver);
    if (binding?.kind === 'variable' && binding.declaration.initializer) {
      const init = unwrapExpression(binding.declaration.initializer);
      if (ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === 'define' && handles.kindOf(init.expression.expression) === 'sequelize') return receiver.text;
    }
    const defined = binding?.kind === 'import' ? definedElsewhere(receiver.text, handles) : undefined;
    if (defined) return defined;
    if (handles.kindOf(receiver) !== 'sequelize-model') return undefined;
    if (binding?.kind === 'import') {
      const imported = handles.file.imports.get(receiver.text)?.imported;
      return imported && imported !== 'default' && imported !== '*' ? imported : receiver.text;
    }
    return binding?.kind === 'class' ? receiver.text : undefined;
  }
  if (handles.kindOf(receiver) !== 'sequelize-model') return undefined;
  if (receiver.kind === ts.SyntaxKind.ThisKeyword) return enclosingClass(receiver)?.name?.text;
  if (!ts.isPropertyAccessExpression(receiver) || receiver.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const cls = enclosingClass(receiver);
  const member = cls && classMember(cls, receiver.name.text);
  const declaration = member?.parameter ?? member?.property;
  if (!declaration) return undefined;
  for (const decorator of ts.getDecorators(declaration) ?? []) {
    const expression = decorator.expression;
    if (ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === 'InjectModel' && expression.arguments[0] && ts.isIdentifier(expression.arguments[0])) return expression.arguments[0].text;
  }
  const type = declaration.type;
  if (type && ts.isTypeQueryNode(type) && ts.isIdentifier(type.exprName)) return type.exprName.text;
  const argument = type && ts.isTypeReferenceNode(type) ? type.typeArguments?.[0] : undefined;
  return argument && ts.isTypeReferenceNode(argument) && ts.isIdentifier(argument.typeName) ? argument.typeName.text : undefined;
}

/**
 * The `deletedAt` attribute of a paranoid model (`paranoid: true` in `init` / `define` options or
 * `@Table`), as the catalog source read it. Two declarations of one name disagree: none is used.
 */
function paranoidColumn(model: string, project: ProjectView): string | undefined {
  const found = new Set<string | undefined>();
  for (const { facts } of project.allFacts(sequelizeModelFacts)) {
    for (const table of facts.tables) if (table.mapping?.name === model) found.add(table.mapping.softDelete);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** `paranoid: false` (or a value we cannot read) in the options: deleted rows are asked for too. */
function includesDeleted(argument: ts.Expression | undefined): boolean {
  const options = argument && followObject(argument);
  const paranoid = options?.properties.find((property) => propertyName(property) === 'paranoid');
  if (!paranoid) return false;
  const value = propertyValue(paranoid);
  return !value || literalValue(value) !== true;
}

/** `import { Customer } from './models'` where that file holds `export const Customer = sequelize.define(…)`, as the catalog source read it. */
function definedElsewhere(local: string, handles: HandleResolver): string | undefined {
  const binding = handles.file.imports.get(local);
  if (!binding || binding.imported === '*' || binding.imported === 'default') return undefined;
  const target = handles.project.resolveImport(handles.file.filePath, binding.module);
  const facts = target ? handles.project.factsOf(sequelizeModelFacts, target) : undefined;
  return facts?.tables.some((table) => table.mapping?.name === binding.imported) ? binding.imported : undefined;
}

function readOptions(argument: ts.Expression | undefined, builder: AccessBuilder, imports: ImportTable): void {
  if (!argument || isUndefined(argument)) return;
  const options = followObject(argument);
  if (!options) {
    builder.partial = true;
    return;
  }
  const where = new SequelizeWhere(builder, imports);
  for (const property of options.properties) {
    const name = propertyName(property);
    const value = propertyValue(property);
    if (ts.isSpreadAssignment(property) || name === undefined || (!value && /^(where|order)$/.test(name))) {
      builder.partial = true;
      continue;
    }
    if (!value) continue;
    if (name === 'where') where.read(value, builder.filters, builder.disjunctions);
    else if (name === 'order') readOrder(value, builder);
    else if (name === 'limit') builder.setLimit(value);
    else if (name === 'offset') builder.setOffset(value);
    else if (name === 'include') builder.partial = true;
  }
}

/** `order: [['createdAt', 'DESC'], ['id', 'ASC NULLS LAST']]`, `order: ['name']`. */
function readOrder(value: ts.Expression, builder: AccessBuilder): void {
  const list = followArray(value);
  if (!list) {
    builder.partial = true;
    return;
  }
  const keys: SortKey[] = [];
  for (const element of list.elements) {
    const node = unwrapExpression(element);
    const parts = ts.isArrayLiteralExpression(node) ? node.elements : ts.isStringLiteralLike(node) ? [node] : undefined;
    const column = parts?.[0] && literalValue(parts[0]);
    if (!parts || typeof column !== 'string' || parts.length > 2 || column.includes('.')) {
      // An association path, a `sequelize.fn(…)` or `literal(…)`: not a column of this table.
      builder.partial = true;
      continue;
    }
    const key: SortKey = { column, descending: false, span: spanOf(parts[0]!) };
    if (parts[1]) {
      const direction = literalValue(parts[1]);
      if (typeof direction !== 'string') builder.partial = keys.length > 0 || list.elements.length > 1 || builder.partial;
      else {
        key.descending = /^\s*DESC\b/i.test(direction);
        if (/NULLS\s+FIRST/i.test(direction)) key.nullsFirst = true;
        else if (/NULLS\s+LAST/i.test(direction)) key.nullsFirst = false;
      }
    }
    keys.push(key);
  }
  builder.orderBy.push(...keys);
}

class SequelizeWhere {
  constructor(
    private readonly builder: AccessBuilder,
    private readonly imports: ImportTable,
  ) {}

  read(value: ts.Expression, filters: ColumnFilter[], disjunctions: ColumnFilter[][][]): void {
    if (isUndefined(value)) return;
    const object = followObject(value);
    if (!object) {
      this.builder.partial = true;
      return;
    }
    for (const property of object.properties) {
      const inner = propertyValue(property);
      const operator = this.operatorKey(property);
      if (ts.isSpreadAssignment(property) || !inner) {
        this.builder.partial = true;
        continue;
      }
      if (operator === 'and') {
        const list = followArray(inner);
        for (const element of list ? list.elements : [inner]) this.read(element, filters, disjunctions);
        continue;
      }
      if (operator === 'or') {
        this.readOr(inner, disjunctions);
        continue;
      }
      const name = operator === undefined ? propertyName(property) : undefined;
      if (!name || name.startsWith('$')) {
        // `[Op.not]: …`, `$nested.column$`, a computed attribute name.
        this.builder.partial = true;
        continue;
      }
      this.readField(name, inner, property.name ?? property, filters);
    }
  }

  /** `[Op.or]: [{ a: 1 }, { b: 2 }]`, or `[Op.or]: { a: 1, b: 2 }` (each property an alternative). */
  private readOr(value: ts.Expression, disjunctions: ColumnFilter[][][]): void {
    const list = followArray(value);
    const object = list ? undefined : followObject(value);
    if (!list && !object) {
      this.builder.partial = true;
      return;
    }
    const alternatives: ColumnFilter[][] = [];
    for (const element of list ? list.elements : object!.properties) {
      const filters: ColumnFilter[] = [];
      const nested: ColumnFilter[][][] = [];
      if (ts.isObjectLiteralElement(element)) {
        const name = this.operatorKey(element) === undefined ? propertyName(element) : undefined;
        const inner = propertyValue(element);
        if (!name || !inner) this.builder.partial = true;
        else this.readField(name, inner, element.name ?? element, filters);
      } else this.read(element, filters, nested);
      if (nested.length > 0) this.builder.partial = true;
      alternatives.push(filters);
    }
    if (alternatives.length > 0) disjunctions.push(alternatives);
  }

  private readField(name: string, value: ts.Expression, at: ts.Node, filters: ColumnFilter[]): void {
    const node = unwrapExpression(value);
    if (isUndefined(node)) return;
    const literal = constantOf(node);
    if (literal) return void filters.push(this.make(name, 'eq', at, literal));
    // `status: ['a', 'b']` is `IN`.
    if (ts.isArrayLiteralExpression(node)) return void filters.push(this.make(name, 'eq', at, constantList(node)));
    const object = ts.isObjectLiteralExpression(node) ? node : ts.isIdentifier(node) ? followObject(node) : undefined;
    if (object) return this.readOperators(name, object, at, filters);
    if (ts.isCallExpression(node) || ts.isConditionalExpression(node) || ts.isBinaryExpression(node)) {
      this.builder.partial = true;
      return;
    }
    filters.push(this.make(name, 'eq', at));
  }

  /** `{ [Op.gte]: from, [Op.lt]: to }`, `{ [Op.in]: ids }`, `{ [Op.like]: 'abc%' }`. */
  private readOperators(name: string, object: ts.ObjectLiteralExpression, at: ts.Node, filters: ColumnFilter[]): void {
    let range = false;
    for (const property of object.properties) {
      const operator = this.operatorKey(property);
      const value = propertyValue(property);
      if (!operator || !value) {
        // A plain key under an attribute: a JSON path query (`meta: { a: 1 }`).
        this.builder.partial = true;
        continue;
      }
      if (isUndefined(value)) continue;
      if (operator === 'eq') filters.push(this.make(name, 'eq', at, constantOf(value)));
      else if (operator === 'in') filters.push(this.make(name, 'eq', at, constantList(value)));
      else if (operator === 'is') filters.push(this.make(name, literalValue(value) === null ? 'eq' : 'other', at, literalValue(value) === null ? [null] : undefined));
      else if (/^(gt|gte|lt|lte|between)$/.test(operator)) range = true;
      else if (operator === 'startsWith') filters.push(this.make(name, 'range', at, undefined, true));
      else if (operator === 'like') {
        const pattern = literalValue(value);
        if (typeof pattern === 'string' && !/^[%_]/.test(pattern)) filters.push(/[%_]/.test(pattern) ? this.make(name, 'range', at, undefined, true) : this.make(name, 'eq', at, [pattern]));
        else if (typeof pattern === 'string') filters.push(this.make(name, 'like-contains', at));
        else {
          filters.push(this.make(name, 'other', at));
          this.builder.partial = true;
        }
      } else if (/^(iLike|substring|endsWith|regexp|iRegexp|match)$/.test(operator)) filters.push(this.make(name, 'like-contains', at));
      else if (/^(ne|notIn|not|notLike|notILike|notBetween|notRegexp|notIRegexp)$/.test(operator)) filters.push(this.make(name, 'not', at));
      else if (operator === 'or') {
        // `status: { [Op.or]: ['a', 'b'] }` is an IN; anything richer is not followed.
        const values = constantList(value);
        if (values) filters.push(this.make(name, 'eq', at, values));
        else this.builder.partial = true;
      } else {
        filters.push(this.make(name, 'other', at));
        this.builder.partial = true;
      }
    }
    if (range) filters.push(this.make(name, 'range', at));
  }

  /** `[Op.gt]` where `Op` comes from sequelize: 'gt'. Undefined for a plain key. */
  private operatorKey(property: ts.ObjectLiteralElementLike): string | undefined {
    const key = property.name;
    if (!key || !ts.isComputedPropertyName(key)) return undefined;
    const expression = unwrapExpression(key.expression);
    if (!ts.isPropertyAccessExpression(expression)) return '?';
    const owner = unwrapExpression(expression.expression);
    // `Op.gt`, or `Sequelize.Op.gt`
    const root = ts.isPropertyAccessExpression(owner) && owner.name.text === 'Op' ? unwrapExpression(owner.expression) : owner;
    if (!ts.isIdentifier(root)) return '?';
    const binding = this.imports.get(root.text);
    return binding && isSequelizeModule(binding.module) ? expression.name.text : '?';
  }

  private make(column: string, op: ColumnFilter['op'], at: ts.Node, constants?: ColumnFilter['constants'], prefixLike = false): ColumnFilter {
    const filter: ColumnFilter = { column, op, span: spanOf(at) };
    if (constants) filter.constants = constants;
    if (prefixLike) filter.prefixLike = true;
    return filter;
  }
}
