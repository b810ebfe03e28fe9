import { ts } from 'ts-morph';
import { unwrapExpression } from '../ast/call-shape';
import { propertyName, propertyValue } from '../ast/object-literal';
import type { ParsedFile } from '../source/parsed-file';
import { dbTypeFacts, isSequelizeModule, type TypeRef } from '../../rules/n-plus-one/project-db-types';
import type { FactExtractor, ProjectView } from '../workspace/project-view';
import type { CatalogColumn, CatalogIndex, CatalogTable, ForeignKey, SchemaOrigin } from './catalog-model';
import type { DeclaredTables } from './orm-sources';

/**
 * Sequelize models as tables: `class Order extends Model {}` + `Order.init(attributes, options)`,
 * `sequelize.define('Order', attributes, options)`, and sequelize-typescript `@Table` classes.
 * Column names follow Sequelize's rules (`field`, else the attribute, snake-cased by `underscored`
 * the way `inflection.underscore` does); `id` is the primary key when none is declared; timestamps
 * are columns; `indexes: [{ fields, unique, where, using }]` and `unique` attributes are indexes.
 * The table is known only when `tableName` is written or `freezeTableName` is set: Sequelize
 * otherwise pluralises the model name with `inflection`, which we do not re-implement (never guess).
 */
/** One shared value for files that declare no model, so editing a service file keeps the catalog's inputs identical (no rebuild). */
const NO_TABLES: DeclaredTables = Object.freeze({ tables: [] as CatalogTable[] }) as DeclaredTables;

export const sequelizeModelFacts: FactExtractor<DeclaredTables> = {
  id: 'schema/sequelize-model',
  textHint: /sequelize/,
  extract(file: ParsedFile, project: ProjectView): DeclaredTables {
    const ast = file.ast;
    if (!ast) return NO_TABLES;
    const fromSequelize = new Set<string>();
    for (const [local, binding] of file.imports.entries()) if (/^sequelize(-typescript)?$/.test(binding.module)) fromSequelize.add(local);
    if (fromSequelize.size === 0) return NO_TABLES;
    const origin = (node: ts.Node): SchemaOrigin => ({ kind: 'sequelize-model', filePath: file.filePath, start: node.getStart(ast), end: node.getEnd() });
    const models = new Map<string, ts.ClassDeclaration>();
    const tables: CatalogTable[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node) && node.name) {
        const base = node.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
        if (base && ts.isIdentifier(base) && (fromSequelize.has(base.text) || projectModelBase(base.text, file, project))) {
          models.set(node.name.text, node);
          const table = decoratedModel(node, fromSequelize, origin);
          if (table) tables.push(table);
        }
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const owner = unwrapExpression(node.expression.expression);
        if (method === 'init' && ts.isIdentifier(owner) && models.has(owner.text)) {
          const table = modelTable(owner.text, owner.text, node.arguments[0], node.arguments[1], node, origin);
          if (table) tables.push(table);
        } else if (method === 'define' && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
          const parent = node.parent;
          const variable = ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
          const table = modelTable(node.arguments[0].text, variable ?? node.arguments[0].text, node.arguments[1], node.arguments[2], node, origin);
          if (table) tables.push(table);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(ast);
    return tables.length > 0 ? { tables } : NO_TABLES;
  },
};

/** How many project base classes are followed to find sequelize's `Model` (`Document → ParanoidModel → IdModel → Model → Model`). */
const MAX_BASE_STEPS = 5;

/**
 * Whether `local`, the base class of a class in `file`, is a project class that extends
 * sequelize's `Model` through at most MAX_BASE_STEPS project classes (imported, re-exported or
 * declared in the same file). Its own attributes are not read: migrations usually own the table
 * and the mapping falls back to the column of the same name.
 */
function projectModelBase(local: string, file: ParsedFile, project: ProjectView): boolean {
  const binding = file.imports.get(local);
  let ref: TypeRef = binding ? { name: binding.imported, module: binding.module } : { name: local };
  let from = file.filePath;
  for (let step = 0; step < MAX_BASE_STEPS; step++) {
    if (ref.module && isSequelizeModule(ref.module)) return ref.name === 'Model';
    let target = from;
    if (ref.module) {
      const resolved = project.resolveImport(from, ref.module);
      if (!resolved || resolved.includes('/node_modules/')) return false;
      target = resolved;
    }
    const facts = project.factsOf(dbTypeFacts, target);
    if (!facts) return false;
    const reexport = facts.reexports[ref.name];
    const name = ref.name === 'default' ? facts.defaultExport : ref.name;
    const base = name !== undefined && Object.prototype.hasOwnProperty.call(facts.classes, name) ? facts.classes[name] : undefined;
    if (base) ref = base;
    else if (reexport) ref = { name: reexport.name, module: reexport.module };
    else return false;
    from = target;
  }
  return false;
}

/** Sequelize's `Utils.underscore` (inflection.underscore): `createdAt` -> `created_at`, `userID` -> `user_i_d`. */
export function sequelizeUnderscore(name: string): string {
  return name.replace(/([A-Z])/g, '_$1').replace(/^_/, '').toLowerCase();
}

interface Attribute {
  property: string;
  field?: string;
  primary: boolean;
  unique?: string | true;
  references?: string;
  node: ts.Node;
}

interface ModelOptions {
  tableName?: string;
  freeze: boolean;
  modelName?: string;
  schema?: string;
  underscored: boolean;
  timestamps: boolean;
  paranoid: boolean;
  createdAt?: string | false;
  updatedAt?: string | false;
  deletedAt?: string | false;
  indexes?: ts.ArrayLiteralExpression;
}

function literalObject(expression: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  const node = expression && unwrapExpression(expression);
  return node && ts.isObjectLiteralExpression(node) ? node : undefined;
}

function stringValue(expression: ts.Expression | undefined): string | undefined {
  const node = expression && unwrapExpression(expression);
  return node && ts.isStringLiteralLike(node) ? node.text : undefined;
}

function isTrue(expression: ts.Expression | undefined): boolean {
  return !!expression && unwrapExpression(expression).kind === ts.SyntaxKind.TrueKeyword;
}

function isFalse(expression: ts.Expression | undefined): boolean {
  return !!expression && unwrapExpression(expression).kind === ts.SyntaxKind.FalseKeyword;
}

function props(object: ts.ObjectLiteralExpression | undefined): Map<string, ts.Expression> {
  const map = new Map<string, ts.Expression>();
  for (const property of object?.properties ?? []) {
    const name = propertyName(property);
    const value = propertyValue(property);
    if (name && value) map.set(name, value);
  }
  return map;
}

function readOptions(object: ts.ObjectLiteralExpression | undefined): ModelOptions {
  const options = props(object);
  const timestampName = (key: string): string | false | undefined => (isFalse(options.get(key)) ? false : stringValue(options.get(key)));
  const read: ModelOptions = {
    freeze: isTrue(options.get('freezeTableName')),
    underscored: isTrue(options.get('underscored')),
    timestamps: !isFalse(options.get('timestamps')),
    paranoid: isTrue(options.get('paranoid')),
  };
  const tableName = stringValue(options.get('tableName'));
  if (tableName) read.tableName = tableName;
  const modelName = stringValue(options.get('modelName'));
  if (modelName) read.modelName = modelName;
  const schema = stringValue(options.get('schema'));
  if (schema) read.schema = schema;
  for (const key of ['createdAt', 'updatedAt', 'deletedAt'] as const) {
    const value = timestampName(key);
    if (value !== undefined) read[key] = value;
  }
  const indexes = options.get('indexes') && unwrapExpression(options.get('indexes')!);
  if (indexes && ts.isArrayLiteralExpression(indexes)) read.indexes = indexes;
  return read;
}

/** An attribute definition: `DataTypes.STRING`, or `{ type, field, primaryKey, unique, references }`. */
function readAttribute(property: string, value: ts.Expression | undefined, node: ts.Node): Attribute {
  const definition = props(literalObject(value));
  const attribute: Attribute = { property, primary: isTrue(definition.get('primaryKey')), node };
  const field = stringValue(definition.get('field'));
  if (field) attribute.field = field;
  const unique = definition.get('unique');
  if (isTrue(unique)) attribute.unique = true;
  else if (stringValue(unique)) attribute.unique = stringValue(unique)!;
  else if (literalObject(unique) && stringValue(props(literalObject(unique)).get('name'))) attribute.unique = stringValue(props(literalObject(unique)).get('name'))!;
  const references = props(literalObject(definition.get('references')));
  const model = stringValue(references.get('model'));
  if (model) attribute.references = model;
  return attribute;
}

/** `Model.init(attributes, options)` / `define(name, attributes, options)`. */
function modelTable(modelName: string, mappingName: string, attributesArg: ts.Expression | undefined, optionsArg: ts.Expression | undefined, at: ts.Node, origin: (node: ts.Node) => SchemaOrigin): CatalogTable | undefined {
  const attributes = literalObject(attributesArg);
  if (!attributes) return undefined;
  const list: Attribute[] = [];
  for (const property of attributes.properties) {
    const name = propertyName(property);
    if (!name) return undefined; // a spread or computed attribute: the column list is not known
    list.push(readAttribute(name, propertyValue(property), property));
  }
  return buildTable(modelName, mappingName, list, readOptions(literalObject(optionsArg)), at, origin);
}

/** sequelize-typescript: `@Table({ tableName, indexes })` with `@Column` / `@PrimaryKey` / `@Index` / `@Unique` / `@ForeignKey` properties. */
function decoratedModel(node: ts.ClassDeclaration, fromSequelize: ReadonlySet<string>, origin: (node: ts.Node) => SchemaOrigin): CatalogTable | undefined {
  const decorators = (target: ts.Node): Array<{ name: string; args: readonly ts.Expression[] }> =>
    (ts.canHaveDecorators(target) ? (ts.getDecorators(target) ?? []) : []).flatMap((decorator) => {
      const expression = decorator.expression;
      const callee = ts.isCallExpression(expression) ? expression.expression : expression;
      return ts.isIdentifier(callee) && fromSequelize.has(callee.text) ? [{ name: callee.text, args: ts.isCallExpression(expression) ? expression.arguments : [] }] : [];
    });
  const table = decorators(node).find((d) => d.name === 'Table');
  if (!table) return undefined;
  const options = readOptions(literalObject(table.args[0]));
  const attributes: Attribute[] = [];
  const propertyIndexes = new Map<string, Array<{ property: string; unique: boolean; order?: string }>>();
  for (const member of node.members) {
    if (!ts.isPropertyDeclaration(member) || !member.name || !ts.isIdentifier(member.name)) continue;
    const found = decorators(member);
    const column = found.find((d) => d.name === 'Column');
    const timestamp = found.find((d) => /^(CreatedAt|UpdatedAt|DeletedAt)$/.test(d.name));
    if (!column && !timestamp) continue;
    const attribute = column ? readAttribute(member.name.text, column.args[0], member) : { property: member.name.text, primary: false, node: member };
    if (found.some((d) => d.name === 'PrimaryKey')) attribute.primary = true;
    if (found.some((d) => d.name === 'Unique')) attribute.unique = true;
    if (found.some((d) => d.name === 'ForeignKey')) attribute.references ??= '';
    if (timestamp) {
      // `@CreatedAt createdOn: Date` replaces the default timestamp attribute.
      const key = `${timestamp.name[0]!.toLowerCase()}${timestamp.name.slice(1)}` as 'createdAt' | 'updatedAt' | 'deletedAt';
      options[key] = member.name.text;
      continue;
    }
    attributes.push(attribute);
    for (const index of found.filter((d) => d.name === 'Index')) {
      const arg = index.args[0];
      const settings = props(literalObject(arg));
      const name = stringValue(arg) ?? stringValue(settings.get('name')) ?? '';
      const entry = { property: member.name.text, unique: isTrue(settings.get('unique')) };
      const order = stringValue(settings.get('order'));
      propertyIndexes.set(name, [...(propertyIndexes.get(name) ?? []), order ? { ...entry, order } : entry]);
    }
  }
  const built = buildTable(node.name!.text, node.name!.text, attributes, options, node, origin);
  if (!built) return undefined;
  const columnOf = (property: string): string => built.mapping!.columns[property] ?? property;
  for (const [name, entries] of propertyIndexes) {
    if (name === '') {
      // `@Index` without a name: one index per property.
      for (const entry of entries) built.indexes.push(index(built, [{ column: columnOf(entry.property), descending: entry.order === 'DESC' }], entry.unique, undefined, origin(node)));
    } else built.indexes.push(index(built, entries.map((entry) => ({ column: columnOf(entry.property), descending: entry.order === 'DESC' })), entries.some((entry) => entry.unique), name, origin(node)));
  }
  return built;
}

function index(table: CatalogTable, keys: CatalogIndex['keys'], unique: boolean, name: string | undefined, at: SchemaOrigin): CatalogIndex {
  return {
    name: name ?? sequelizeUnderscore(`${table.name}_${keys.map((k) => k.column).join('_')}`),
    table: table.name,
    schema: table.schema,
    keys,
    unique,
    primary: false,
    method: 'btree',
    include: [],
    origin: at,
  };
}

function buildTable(modelName: string, mappingName: string, attributes: Attribute[], options: ModelOptions, at: ts.Node, origin: (node: ts.Node) => SchemaOrigin): CatalogTable | undefined {
  const name = options.tableName ?? (options.freeze ? (options.modelName ?? modelName) : undefined);
  if (!name) return undefined;
  const schema = options.schema ?? 'public';
  const columnName = (attribute: string, field?: string): string => field ?? (options.underscored ? sequelizeUnderscore(attribute) : attribute);
  const mapping: Record<string, string> = {};
  const columns: CatalogColumn[] = [];
  const add = (property: string, column: string): void => {
    mapping[property] = column;
    if (!columns.some((c) => c.name === column)) columns.push({ name: column });
  };
  const all = [...attributes];
  if (!all.some((attribute) => attribute.primary)) {
    // Sequelize adds `id` as the primary key when no attribute is one.
    const declared = all.find((attribute) => attribute.property === 'id');
    if (declared) declared.primary = true;
    else all.unshift({ property: 'id', primary: true, node: at });
  }
  for (const attribute of all) add(attribute.property, columnName(attribute.property, attribute.field));
  if (options.timestamps) {
    for (const key of ['createdAt', 'updatedAt'] as const) if (options[key] !== false) add(options[key] || key, columnName(options[key] || key));
    if (options.paranoid && options.deletedAt !== false) add(options.deletedAt || 'deletedAt', columnName(options.deletedAt || 'deletedAt'));
  }
  const tableOrigin = origin(at);
  const table: CatalogTable = { schema, name, columns, indexes: [], foreignKeys: [], origin: tableOrigin, mapping: { orm: 'sequelize', name: mappingName, table: name, schema, columns: mapping, origin: tableOrigin } };
  // Sequelize's finders add `deletedAt IS NULL` on a paranoid model (which needs timestamps).
  if (options.timestamps && options.paranoid && options.deletedAt !== false) table.mapping!.softDelete = options.deletedAt || 'deletedAt';
  const primary = all.filter((attribute) => attribute.primary).map((attribute) => mapping[attribute.property]!);
  table.indexes.push({ name: `${name}_pkey`, table: name, schema, keys: primary.map((column) => ({ column, descending: false })), unique: true, primary: true, method: 'btree', include: [], origin: tableOrigin });
  const uniqueGroups = new Map<string, Attribute[]>();
  for (const attribute of all) {
    if (attribute.unique === undefined) continue;
    const key = attribute.unique === true ? `${name}_${attribute.property}_unique` : attribute.unique;
    uniqueGroups.set(key, [...(uniqueGroups.get(key) ?? []), attribute]);
  }
  for (const [key, group] of uniqueGroups) table.indexes.push({ ...index(table, group.map((a) => ({ column: mapping[a.property]!, descending: false })), true, key, origin(group[0]!.node)) });
  for (const attribute of all) {
    if (attribute.references === undefined) continue;
    // Postgres does not index a foreign key by itself: recorded, not turned into an index.
    const fk: ForeignKey = { columns: [mapping[attribute.property]!], origin: origin(attribute.node) };
    if (attribute.references) fk.referencedTable = attribute.references;
    table.foreignKeys.push(fk);
  }
  for (const element of options.indexes?.elements ?? []) {
    const built = optionIndex(table, element, origin);
    if (built) table.indexes.push(built);
  }
  return table;
}

/** `{ name?, unique?, fields: ['a', { name: 'b', order: 'DESC' }], where?, using? }`: fields are column names, as Sequelize writes them into CREATE INDEX. */
function optionIndex(table: CatalogTable, element: ts.Expression, origin: (node: ts.Node) => SchemaOrigin): CatalogIndex | undefined {
  const object = literalObject(element);
  if (!object) return undefined;
  const settings = props(object);
  const fields = settings.get('fields') && unwrapExpression(settings.get('fields')!);
  if (!fields || !ts.isArrayLiteralExpression(fields)) return undefined;
  const keys: CatalogIndex['keys'] = [];
  for (const field of fields.elements) {
    const column = stringValue(field) ?? stringValue(props(literalObject(field)).get('name')) ?? stringValue(props(literalObject(field)).get('attribute'));
    if (!column) return undefined; // `sequelize.fn(…)`: an expression key we do not render
    keys.push({ column, descending: /^DESC$/i.test(stringValue(props(literalObject(field)).get('order')) ?? '') });
  }
  const unique = isTrue(settings.get('unique')) || /^unique$/i.test(stringValue(settings.get('type')) ?? '');
  const built = index(table, keys, unique, stringValue(settings.get('name')), origin(object));
  const using = stringValue(settings.get('using'));
  if (using) built.method = using.toLowerCase();
  const where = literalObject(settings.get('where'));
  const predicate = where && renderWhere(where);
  if (predicate) {
    built.where = predicate.text;
    built.whereColumns = predicate.columns;
  }
  return built;
}

/** `{ status: 'active', deletedAt: null }` -> `status = 'active' AND "deletedAt" IS NULL`; undefined for anything richer. */
export function renderWhere(where: ts.ObjectLiteralExpression): { text: string; columns: string[] } | undefined {
  const parts: string[] = [];
  const columns: string[] = [];
  for (const property of where.properties) {
    const name = propertyName(property);
    const value = propertyValue(property) && unwrapExpression(propertyValue(property)!);
    if (!name || !value || ts.isComputedPropertyName(property.name!)) return undefined;
    const quoted = /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
    if (value.kind === ts.SyntaxKind.NullKeyword) parts.push(`${quoted} IS NULL`);
    else if (ts.isStringLiteralLike(value)) parts.push(`${quoted} = '${value.text.replace(/'/g, "''")}'`);
    else if (ts.isNumericLiteral(value) || value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword) parts.push(`${quoted} = ${value.getText()}`);
    else return undefined;
    columns.push(name);
  }
  return parts.length > 0 ? { text: parts.join(' AND '), columns } : undefined;
}
