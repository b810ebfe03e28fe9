import { ts } from 'ts-morph';
import { unwrapExpression } from '../ast/call-shape';
import { propertyName, propertyValue } from '../ast/object-literal';
import type { ParsedFile } from '../source/parsed-file';
import { sqlParserReady } from '../sql/sql-gate';
import type { FactExtractor } from '../workspace/project-view';
import type { CatalogColumn, CatalogIndex, ForeignKey, SchemaOrigin } from './catalog-model';
import { bodyOf, chainOf, columnTypeOf, inMigrationsFolder, isTrueLiteral, objectProperties, originOf, parameterName, plainIndex, qualifiedName, sqlStringOps, stringListOf, stringOf, upFunctions } from './js-migration-helpers';
import { migrationOrderKey, type MigrationFacts } from './migration-sources';
import { renderWhere, sequelizeUnderscore } from './sequelize-sources';
import type { DdlOp, QName } from './sql-ddl';

/**
 * Sequelize migrations (`module.exports = { up: async (queryInterface, Sequelize) => { … } }`), the
 * calls `up` makes on its `queryInterface` replayed in file-name order: createTable (attributes
 * with `primaryKey`, `unique`, `references`), addIndex / removeIndex, addColumn / removeColumn /
 * renameColumn / changeColumn, addConstraint / removeConstraint, renameTable / dropTable, and the
 * SQL strings passed to `queryInterface.sequelize.query(…)`. Names follow Sequelize's rules for
 * Postgres (`addIndex` names `<table>_<fields>` underscored, so `removeIndex(table, fields)` finds
 * it again). Only files in a migrations folder whose `up` takes a Sequelize queryInterface are read.
 */
const KIND = 'sequelize-migration' as const;
const NONE: MigrationFacts = Object.freeze({ ops: [], orderKey: '' }) as MigrationFacts;

const METHODS = /\b(?:createTable|addIndex|addColumn|addConstraint|removeIndex|removeColumn|renameColumn|sequelize\s*\.\s*query)\s*\(/;

export const sequelizeMigrationFacts: FactExtractor<MigrationFacts> = {
  id: 'schema/sequelize-migration',
  textHint: METHODS,
  extract(file: ParsedFile): MigrationFacts {
    const ast = file.ast;
    if (!ast || !inMigrationsFolder(file.filePath) || file.language === 'sql') return NONE;
    const ops: DdlOp[] = [];
    const problems: string[] = [];
    for (const up of upFunctions(ast)) {
      const queryInterface = parameterName(up, 0);
      const body = bodyOf(up);
      if (!queryInterface || !body || !looksLikeQueryInterface(up, file)) continue;
      if (!sqlParserReady()) throw new Error('the SQL parser is not loaded yet');
      new QueryInterfaceReader(file, queryInterface, ops, problems).visit(body);
    }
    if (ops.length === 0 && problems.length === 0) return NONE;
    const facts: MigrationFacts = { ops, orderKey: migrationOrderKey(file.filePath) };
    if (problems.length > 0) facts.skipped = problems.join('; ');
    return facts;
  },
};

/**
 * `up(queryInterface, Sequelize)`: db-migrate's `up(db)` has a `createTable` and an `addIndex` of
 * its own with other arguments, so the first parameter must be Sequelize's by name, type or use.
 */
export function looksLikeQueryInterface(up: ts.SignatureDeclaration, file: ParsedFile): boolean {
  const ast = file.ast!;
  const name = parameterName(up, 0);
  if (!name) return false;
  if (/QueryInterface/.test(up.parameters[0]?.type?.getText(ast) ?? '')) return true;
  if (/^(queryInterface|qi)$/i.test(name)) return true;
  if (/^(Sequelize|DataTypes)$/.test(parameterName(up, 1) ?? '')) return true;
  if (file.imports.importsModule(['sequelize', 'sequelize-typescript'])) return true;
  return new RegExp(`\\b${name}\\s*\\.\\s*sequelize\\b`).test(bodyOf(up)!.getText(ast));
}



/** `'orders'` or `{ tableName: 'orders', schema: 'billing' }`. */
function tableArg(expression: ts.Expression | undefined): QName | undefined {
  const name = stringOf(expression);
  if (name) return qualifiedName(name);
  const object = objectProperties(expression);
  const tableName = stringOf(object.get('tableName'));
  return tableName ? qualifiedName(tableName, stringOf(object.get('schema'))) : undefined;
}

function columnOf(name: string, notNull: boolean, type: string | undefined): CatalogColumn {
  const column: CatalogColumn = { name };
  if (type) column.type = type;
  if (notNull) column.notNull = true;
  return column;
}

/** Sequelize's default index name (`Utils.nameIndex`): `<table>_<fields>`, underscored. */
function indexName(table: QName, fields: string[]): string {
  return sequelizeUnderscore(`${table.name}_${fields.join('_')}`);
}

class QueryInterfaceReader {
  constructor(
    private readonly file: ParsedFile,
    private readonly queryInterface: string,
    private readonly ops: DdlOp[],
    private readonly problems: string[],
  ) {}

  visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const chain = chainOf(node);
      if (chain && chain.root === this.queryInterface) {
        const names = chain.links.map((link) => link.name).join('.');
        if (names === 'sequelize.query') {
          this.ops.push(...sqlStringOps(node.arguments[0], this.file, KIND, this.problems, objectProperties(node.arguments[1]).has('replacements')));
          return;
        }
        if (chain.links.length === 1 && this.call(chain.links[0]!.name, node)) return;
      }
    }
    ts.forEachChild(node, this.visit);
  };

  private origin(node: ts.Node): SchemaOrigin {
    return originOf(KIND, this.file, node);
  }

  /** One queryInterface call; false when it is none of the schema changes read here. */
  private call(method: string, call: ts.CallExpression): boolean {
    const args = call.arguments;
    const origin = this.origin(call);
    switch (method) {
      case 'createTable': {
        const table = tableArg(args[0]);
        const attributes = args[1] && unwrapExpression(args[1]);
        if (!table || !attributes || !ts.isObjectLiteralExpression(attributes)) return true;
        this.ops.push(createTable(table, attributes, objectProperties(args[2]), origin, (node) => this.origin(node)));
        return true;
      }
      case 'dropTable': {
        const table = tableArg(args[0]);
        if (table) this.ops.push({ op: 'drop-table', names: [table] });
        return true;
      }
      case 'renameTable': {
        const table = tableArg(args[0]);
        const to = tableArg(args[1]);
        if (table && to) this.ops.push({ op: 'rename-table', table, to: to.name });
        return true;
      }
      case 'addColumn':
      case 'changeColumn': {
        const table = tableArg(args[0]);
        const column = stringOf(args[1]);
        if (!table || !column) return true;
        const { indexes, foreignKeys, notNull, type } = attributeConstraints(table, column, args[2], origin);
        if (method === 'addColumn') this.ops.push({ op: 'add-column', table, column: columnOf(column, notNull, type), indexes, foreignKeys });
        else if (indexes.length > 0 || foreignKeys.length > 0) this.ops.push({ op: 'add-constraint', table, indexes: indexes.filter((index) => !index.primary), foreignKeys });
        return true;
      }
      case 'removeColumn': {
        const table = tableArg(args[0]);
        const column = stringOf(args[1]);
        if (table && column) this.ops.push({ op: 'drop-column', table, column });
        return true;
      }
      case 'renameColumn': {
        const table = tableArg(args[0]);
        const from = stringOf(args[1]);
        const to = stringOf(args[2]);
        if (table && from && to) this.ops.push({ op: 'rename-column', table, from, to });
        return true;
      }
      case 'addIndex': {
        const table = tableArg(args[0]);
        const index = table && addIndexOf(table, args[1], args[2], origin);
        if (index) this.ops.push({ op: 'create-index', index, ifNotExists: false });
        return true;
      }
      case 'removeIndex': {
        // `removeIndex(table, 'name')` names the index; `removeIndex(table, ['a', 'b'])` its fields.
        const table = tableArg(args[0]);
        const target = args[1] && unwrapExpression(args[1]);
        const fields = stringListOf(target);
        const name = target && ts.isArrayLiteralExpression(target) ? (fields ? indexName(table!, fields) : undefined) : stringOf(target);
        if (table && name) this.ops.push({ op: 'drop-index', names: [{ schema: table.schema, name }] });
        return true;
      }
      case 'addConstraint': {
        const table = tableArg(args[0]);
        if (table) this.ops.push(...addConstraintOps(table, args[1], args[2], origin));
        return true;
      }
      case 'removeConstraint': {
        const table = tableArg(args[0]);
        const name = stringOf(args[1]);
        if (table && name) this.ops.push({ op: 'drop-constraint', table, name });
        return true;
      }
      default:
        return false;
    }
  }
}

/** `createTable(name, { id: { type, primaryKey: true }, email: { type, unique: true }, userId: { references: { model: 'users' } } }, { uniqueKeys })`. */
function createTable(table: QName, attributes: ts.ObjectLiteralExpression, options: Map<string, ts.Expression>, origin: SchemaOrigin, originOfNode: (node: ts.Node) => SchemaOrigin): DdlOp {
  const columns: CatalogColumn[] = [];
  const indexes: CatalogIndex[] = [];
  const foreignKeys: ForeignKey[] = [];
  const primary: string[] = [];
  const groups = new Map<string, string[]>();
  for (const property of attributes.properties) {
    const name = propertyName(property);
    if (!name) continue; // a spread: its columns are not known, and queries naming them resolve to nothing
    const definition = objectProperties(propertyValue(property));
    const constraints = attributeConstraints(table, name, propertyValue(property), originOfNode(property));
    columns.push(columnOf(name, constraints.notNull, constraints.type));
    if (isTrueLiteral(definition.get('primaryKey'))) primary.push(name);
    indexes.push(...constraints.indexes.filter((index) => !index.primary));
    foreignKeys.push(...constraints.foreignKeys);
    const group = stringOf(definition.get('unique')) ?? stringOf(objectProperties(definition.get('unique')).get('name'));
    if (group) groups.set(group, [...(groups.get(group) ?? []), name]);
  }
  if (primary.length > 0) indexes.unshift(plainIndex(table, primary, { name: `${table.name}_pkey`, primary: true }, origin));
  for (const [name, fields] of groups) indexes.push(plainIndex(table, fields, { name, unique: true }, origin));
  for (const [key, value] of objectProperties(options.get('uniqueKeys'))) {
    const fields = stringListOf(objectProperties(value).get('fields'));
    if (fields) indexes.push(plainIndex(table, fields, { name: key, unique: true }, origin));
  }
  return { op: 'create-table', table, ifNotExists: false, columns, indexes, foreignKeys, origin };
}

/** What one attribute definition declares: `primaryKey`, `unique: true` (Postgres names it `<table>_<column>_key`), `references`. */
function attributeConstraints(table: QName, column: string, value: ts.Expression | undefined, origin: SchemaOrigin): { indexes: CatalogIndex[]; foreignKeys: ForeignKey[]; notNull: boolean; type?: string } {
  const definition = objectProperties(value);
  const type = columnTypeOf(definition.has('type') ? definition.get('type') : value);
  const indexes: CatalogIndex[] = [];
  const foreignKeys: ForeignKey[] = [];
  const primary = isTrueLiteral(definition.get('primaryKey'));
  if (primary) indexes.push(plainIndex(table, [column], { name: `${table.name}_pkey`, primary: true }, origin));
  if (isTrueLiteral(definition.get('unique'))) indexes.push(plainIndex(table, [column], { name: `${table.name}_${column}_key`, unique: true }, origin));
  const references = definition.get('references');
  if (references) {
    const target = objectProperties(references);
    const model = target.get('model');
    const referenced = stringOf(model) ?? stringOf(objectProperties(model).get('tableName'));
    const fk: ForeignKey = { columns: [column], origin };
    if (referenced) fk.referencedTable = referenced;
    const key = stringOf(target.get('key'));
    if (key) fk.referencedColumns = [key];
    foreignKeys.push(fk);
  }
  const allowNull = definition.get('allowNull');
  const notNull = primary || (!!allowNull && unwrapExpression(allowNull).kind === ts.SyntaxKind.FalseKeyword);
  return type ? { indexes, foreignKeys, notNull, type } : { indexes, foreignKeys, notNull };
}

/** `addIndex(table, ['a', { name: 'b', order: 'DESC' }], { name, unique, where, using })` or `addIndex(table, { fields, … })`. */
function addIndexOf(table: QName, second: ts.Expression | undefined, third: ts.Expression | undefined, origin: SchemaOrigin): CatalogIndex | undefined {
  const secondNode = second && unwrapExpression(second);
  const options = secondNode && ts.isObjectLiteralExpression(secondNode) ? objectProperties(secondNode) : objectProperties(third);
  const fieldsExpr = secondNode && ts.isArrayLiteralExpression(secondNode) ? secondNode : options.get('fields') && unwrapExpression(options.get('fields')!);
  if (!fieldsExpr || !ts.isArrayLiteralExpression(fieldsExpr)) return undefined;
  const keys: CatalogIndex['keys'] = [];
  const names: string[] = [];
  for (const element of fieldsExpr.elements) {
    const field = objectProperties(element);
    const column = stringOf(element) ?? stringOf(field.get('name')) ?? stringOf(field.get('attribute'));
    if (!column) return undefined; // `Sequelize.fn('lower', …)`: an expression key not rendered here
    names.push(column);
    keys.push({ column, descending: /^DESC$/i.test(stringOf(field.get('order')) ?? '') });
  }
  if (keys.length === 0) return undefined;
  const type = stringOf(options.get('type')) ?? stringOf(options.get('indicesType'));
  const index = plainIndex(table, names, { name: stringOf(options.get('name')) ?? indexName(table, names), unique: isTrueLiteral(options.get('unique')) || /^unique$/i.test(type ?? '') }, origin);
  index.keys = keys;
  const method = stringOf(options.get('using')) ?? stringOf(options.get('method'));
  if (method) index.method = method.toLowerCase();
  const where = options.get('where') && unwrapExpression(options.get('where')!);
  if (where) {
    const rendered = ts.isObjectLiteralExpression(where) ? renderWhere(where) : undefined;
    // A predicate we cannot render still makes the index partial: it is not assumed to serve every query.
    index.where = rendered?.text ?? where.getText();
    index.whereColumns = rendered?.columns ?? [];
  }
  return index;
}

/** `addConstraint(table, { type: 'unique' | 'primary key' | 'foreign key', fields, name, references: { table, field } })`, or v5's `(table, fields, options)`. */
function addConstraintOps(table: QName, second: ts.Expression | undefined, third: ts.Expression | undefined, origin: SchemaOrigin): DdlOp[] {
  const secondNode = second && unwrapExpression(second);
  const listed = secondNode && ts.isArrayLiteralExpression(secondNode) ? stringListOf(secondNode) : undefined;
  const options = listed ? objectProperties(third) : objectProperties(second);
  const fields = listed ?? stringListOf(options.get('fields'));
  const type = (stringOf(options.get('type')) ?? '').toLowerCase();
  if (!fields) return [];
  const name = stringOf(options.get('name'));
  if (type === 'unique') return [{ op: 'add-constraint', table, indexes: [plainIndex(table, fields, { name: name ?? `${table.name}_${fields.join('_')}_uk`, unique: true }, origin)], foreignKeys: [] }];
  if (type === 'primary key') return [{ op: 'add-constraint', table, indexes: [plainIndex(table, fields, { name: name ?? `${table.name}_${fields.join('_')}_pk`, primary: true }, origin)], foreignKeys: [] }];
  if (type === 'foreign key') {
    const references = objectProperties(options.get('references'));
    const referenced = stringOf(references.get('table')) ?? stringOf(objectProperties(references.get('table')).get('tableName'));
    const fk: ForeignKey = { name: name ?? `${table.name}_${fields.join('_')}_${referenced ?? 'ref'}_fk`, columns: fields, origin };
    if (referenced) fk.referencedTable = referenced;
    const field = stringOf(references.get('field'));
    if (field) fk.referencedColumns = [field];
    return [{ op: 'add-constraint', table, indexes: [], foreignKeys: [fk] }];
  }
  return [];
}
