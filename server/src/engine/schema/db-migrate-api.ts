import { ts } from 'ts-morph';
import { unwrapExpression } from '../ast/call-shape';
import { propertyName, propertyValue } from '../ast/object-literal';
import type { ParsedFile } from '../source/parsed-file';
import type { CatalogColumn, CatalogIndex, ForeignKey, SchemaOrigin } from './catalog-model';
import { bodyOf, chainOf, columnTypeOf, isTrueLiteral, objectProperties, originOf, parameterName, plainIndex, qualifiedName, sqlStringOps, stringListOf, stringOf } from './js-migration-helpers';
import type { DdlOp, QName } from './sql-ddl';

/**
 * One db-migrate `up(db, callback)`: the SQL strings it passes to `db.runSql(…)` and its schema
 * API calls (`db.createTable(name, { id: { type: 'int', primaryKey: true } })`, `addColumn`,
 * `removeColumn`, `renameColumn`, `addIndex(table, name, columns, unique)`, `removeIndex`,
 * `addForeignKey`, `removeForeignKey`, `renameTable`, `dropTable`), also in their
 * `db.createTable.bind(db, …)` form used with async.series, in source order.
 */
const KIND = 'db-migrate-migration' as const;

export function readDbMigrateUp(up: ts.SignatureDeclaration, file: ParsedFile, ops: DdlOp[], problems: string[]): void {
  const db = parameterName(up, 0);
  const body = bodyOf(up);
  if (!db || !body) return;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const chain = chainOf(node);
      if (chain && chain.root === db) {
        const names = chain.links.map((link) => link.name);
        const args = names.length === 2 && names[1] === 'bind' ? node.arguments.slice(1) : names.length === 1 ? node.arguments : undefined;
        // Callback-style migrations chain the next call inside this one's callback: read it after this one.
        if (args && apiCall(names[0]!, args, file, originOf(KIND, file, node), ops, problems)) {
          for (const arg of node.arguments) visit(arg);
          return;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
}



function apiCall(method: string, args: readonly ts.Expression[], file: ParsedFile, origin: SchemaOrigin, ops: DdlOp[], problems: string[]): boolean {
  const table = stringOf(args[0]) ? qualifiedName(stringOf(args[0])!) : undefined;
  switch (method) {
    case 'runSql':
      ops.push(...sqlStringOps(args[0], file, KIND, problems));
      return true;
    case 'createTable': {
      // `createTable(name, columns)` or `createTable(name, { columns, ifNotExists })`.
      const spec = objectProperties(args[1]);
      const columnsArg = spec.has('columns') ? spec.get('columns') : args[1];
      const columns = columnsArg && unwrapExpression(columnsArg);
      if (table && columns && ts.isObjectLiteralExpression(columns)) ops.push(createTable(table, columns, isTrueLiteral(spec.get('ifNotExists')), origin));
      return true;
    }
    case 'addColumn': {
      const column = stringOf(args[1]);
      if (table && column) {
        const { indexes, foreignKeys, column: declared } = columnConstraints(table, column, args[2], origin);
        ops.push({ op: 'add-column', table, column: declared, indexes, foreignKeys });
      }
      return true;
    }
    case 'removeColumn': {
      const column = stringOf(args[1]);
      if (table && column) ops.push({ op: 'drop-column', table, column });
      return true;
    }
    case 'renameColumn': {
      const from = stringOf(args[1]);
      const to = stringOf(args[2]);
      if (table && from && to) ops.push({ op: 'rename-column', table, from, to });
      return true;
    }
    case 'addIndex': {
      const name = stringOf(args[1]);
      const columns = stringListOf(args[2]);
      if (table && name && columns) ops.push({ op: 'create-index', index: plainIndex(table, columns, { name, unique: isTrueLiteral(args[3]) }, origin), ifNotExists: false });
      return true;
    }
    case 'removeIndex': {
      // `removeIndex(table, name)` or `removeIndex(name)`.
      const name = stringOf(args[1]) ?? stringOf(args[0]);
      if (name) ops.push({ op: 'drop-index', names: [{ schema: table?.schema ?? 'public', name }] });
      return true;
    }
    case 'addForeignKey': {
      const referenced = stringOf(args[1]);
      const name = stringOf(args[2]);
      const mapping = objectProperties(args[3]);
      if (table && mapping.size > 0) {
        const fk: ForeignKey = { columns: [...mapping.keys()], origin };
        if (name) fk.name = name;
        if (referenced) fk.referencedTable = referenced;
        const remote = [...mapping.values()].map((value) => stringOf(value));
        if (remote.every((value): value is string => value !== undefined)) fk.referencedColumns = remote;
        ops.push({ op: 'add-constraint', table, indexes: [], foreignKeys: [fk] });
      }
      return true;
    }
    case 'removeForeignKey': {
      const name = stringOf(args[1]);
      if (table && name) ops.push({ op: 'drop-constraint', table, name });
      return true;
    }
    case 'renameTable': {
      const to = stringOf(args[1]);
      if (table && to) ops.push({ op: 'rename-table', table, to });
      return true;
    }
    case 'dropTable':
      if (table) ops.push({ op: 'drop-table', names: [table] });
      return true;
    default:
      return false;
  }
}

function createTable(table: QName, columnsObject: ts.ObjectLiteralExpression, ifNotExists: boolean, origin: SchemaOrigin): DdlOp {
  const columns: CatalogColumn[] = [];
  const indexes: CatalogIndex[] = [];
  const foreignKeys: ForeignKey[] = [];
  const primary: string[] = [];
  for (const property of columnsObject.properties) {
    const name = propertyName(property);
    if (!name) continue;
    const constraints = columnConstraints(table, name, propertyValue(property), origin);
    columns.push(constraints.column);
    if (constraints.indexes.some((index) => index.primary)) primary.push(name);
    indexes.push(...constraints.indexes.filter((index) => !index.primary));
    foreignKeys.push(...constraints.foreignKeys);
  }
  if (primary.length > 0) indexes.unshift(plainIndex(table, primary, { name: `${table.name}_pkey`, primary: true }, origin));
  return { op: 'create-table', table, ifNotExists, columns, indexes, foreignKeys, origin };
}

/** `{ type, primaryKey, unique, notNull, foreignKey: { name, table, mapping } }`, or a bare type string. */
function columnConstraints(table: QName, column: string, value: ts.Expression | undefined, origin: SchemaOrigin): { indexes: CatalogIndex[]; foreignKeys: ForeignKey[]; column: CatalogColumn } {
  const spec = objectProperties(value);
  const declared: CatalogColumn = { name: column };
  const type = columnTypeOf(spec.has('type') ? spec.get('type') : value);
  if (type) declared.type = type;
  const indexes: CatalogIndex[] = [];
  const foreignKeys: ForeignKey[] = [];
  const primary = isTrueLiteral(spec.get('primaryKey'));
  if (primary) indexes.push(plainIndex(table, [column], { name: `${table.name}_pkey`, primary: true }, origin));
  if (isTrueLiteral(spec.get('unique'))) indexes.push(plainIndex(table, [column], { name: `${table.name}_${column}_key`, unique: true }, origin));
  const foreignKey = objectProperties(spec.get('foreignKey'));
  if (foreignKey.size > 0) {
    const fk: ForeignKey = { columns: [column], origin };
    const name = stringOf(foreignKey.get('name'));
    if (name) fk.name = name;
    const referenced = stringOf(foreignKey.get('table'));
    if (referenced) fk.referencedTable = referenced;
    const mapping = stringOf(foreignKey.get('mapping'));
    if (mapping) fk.referencedColumns = [mapping];
    foreignKeys.push(fk);
  }
  if (primary || isTrueLiteral(spec.get('notNull'))) declared.notNull = true;
  return { indexes, foreignKeys, column: declared };
}
