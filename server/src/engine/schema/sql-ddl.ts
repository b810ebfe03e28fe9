import type { PgNode, SqlStatement } from '../sql/sql-gate';
import { blankCommentsAndStrings } from '../sql/sql-lexer';
import type { CatalogColumn, CatalogIndex, ForeignKey, IndexKey, SchemaOrigin, SchemaSourceKind } from './catalog-model';

/**
 * DDL statements (libpg-query's tree) turned into small, serialisable operations that the catalog
 * replays in migration order. Only what bears on indexes is kept: tables, columns, primary keys,
 * unique constraints, indexes, foreign keys, and the renames and drops that change them.
 */

export interface QName {
  schema: string;
  name: string;
}

export type DdlOp =
  | { op: 'create-table'; table: QName; ifNotExists: boolean; columns: CatalogColumn[]; indexes: CatalogIndex[]; foreignKeys: ForeignKey[]; origin: SchemaOrigin }
  | { op: 'create-index'; index: CatalogIndex; ifNotExists: boolean }
  | { op: 'drop-index'; names: QName[] }
  | { op: 'drop-table'; names: QName[] }
  | { op: 'rename-table'; table: QName; to: string }
  | { op: 'rename-column'; table: QName; from: string; to: string }
  | { op: 'rename-index'; index: QName; to: string }
  | { op: 'add-column'; table: QName; column: CatalogColumn; indexes: CatalogIndex[]; foreignKeys: ForeignKey[] }
  | { op: 'drop-column'; table: QName; column: string }
  | { op: 'add-constraint'; table: QName; indexes: CatalogIndex[]; foreignKeys: ForeignKey[] }
  | { op: 'drop-constraint'; table: QName; name: string };

export interface StatementSource {
  kind: SchemaSourceKind;
  filePath: string;
  /** Maps an offset in the parsed SQL text to an offset in the file (identity for .sql files). */
  toFileOffset: (offset: number) => number;
}

const DEFAULT_SCHEMA = 'public';

/** The operations one statement performs on the schema ([] for anything else: DML, functions, enums). */
export function ddlOpsOf(statement: SqlStatement, source: StatementSource): DdlOp[] {
  const origin: SchemaOrigin = { kind: source.kind, filePath: source.filePath, start: source.toFileOffset(statement.start), end: source.toFileOffset(statement.end) };
  const body = statement.node[statement.kind];
  switch (statement.kind) {
    case 'CreateStmt':
      return [createTable(body, origin)];
    case 'IndexStmt':
      return [{ op: 'create-index', index: indexOf(body, statement.text, origin), ifNotExists: body.if_not_exists === true }];
    case 'DropStmt':
      if (body.removeType === 'OBJECT_INDEX') return [{ op: 'drop-index', names: (body.objects ?? []).map(listName) }];
      if (body.removeType === 'OBJECT_TABLE') return [{ op: 'drop-table', names: (body.objects ?? []).map(listName) }];
      return [];
    case 'RenameStmt':
      return renameOps(body);
    case 'AlterTableStmt':
      if (body.objtype !== undefined && body.objtype !== 'OBJECT_TABLE') return [];
      return alterOps(body, origin);
    default:
      return [];
  }
}

function qname(relation: PgNode): QName {
  return { schema: relation?.schemaname ?? DEFAULT_SCHEMA, name: relation?.relname ?? '' };
}

function listName(object: PgNode): QName {
  const items: string[] = (object?.List?.items ?? []).map((item: PgNode) => item?.String?.sval ?? '');
  return items.length > 1 ? { schema: items[items.length - 2]!, name: items[items.length - 1]! } : { schema: DEFAULT_SCHEMA, name: items[0] ?? '' };
}

function strings(list: PgNode[] | undefined): string[] {
  return (list ?? []).map((item) => item?.String?.sval).filter((s): s is string => typeof s === 'string');
}

function typeNameOf(typeName: PgNode): string | undefined {
  const names = strings(typeName?.names).filter((n) => n !== 'pg_catalog');
  return names.length > 0 ? names.join('.') : undefined;
}

function createTable(body: PgNode, origin: SchemaOrigin): DdlOp {
  const table = qname(body.relation);
  const columns: CatalogColumn[] = [];
  const indexes: CatalogIndex[] = [];
  const foreignKeys: ForeignKey[] = [];
  for (const element of body.tableElts ?? []) {
    if (element.ColumnDef) {
      const { column, indexes: own, foreignKeys: fks } = columnDef(element.ColumnDef, table, origin);
      columns.push(column);
      indexes.push(...own);
      foreignKeys.push(...fks);
    } else if (element.Constraint) {
      const result = tableConstraint(element.Constraint, table, origin);
      indexes.push(...result.indexes);
      foreignKeys.push(...result.foreignKeys);
    }
  }
  return { op: 'create-table', table, ifNotExists: body.if_not_exists === true, columns, indexes, foreignKeys, origin };
}

function columnDef(def: PgNode, table: QName, origin: SchemaOrigin): { column: CatalogColumn; indexes: CatalogIndex[]; foreignKeys: ForeignKey[] } {
  const name: string = def.colname;
  const constraints: PgNode[] = (def.constraints ?? []).map((c: PgNode) => c.Constraint).filter(Boolean);
  const column: CatalogColumn = { name, type: typeNameOf(def.typeName), notNull: constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY') };
  const indexes: CatalogIndex[] = [];
  const foreignKeys: ForeignKey[] = [];
  for (const c of constraints) {
    if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') {
      indexes.push(constraintIndex(c, [name], table, origin));
    } else if (c.contype === 'CONSTR_FOREIGN') {
      foreignKeys.push({ name: c.conname, columns: [name], referencedTable: qualified(c.pktable), referencedColumns: strings(c.pk_attrs), origin });
    }
  }
  return { column, indexes, foreignKeys };
}

function qualified(relation: PgNode): string | undefined {
  if (!relation?.relname) return undefined;
  return relation.schemaname ? `${relation.schemaname}.${relation.relname}` : relation.relname;
}

function tableConstraint(c: PgNode, table: QName, origin: SchemaOrigin): { indexes: CatalogIndex[]; foreignKeys: ForeignKey[] } {
  if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') {
    return { indexes: [constraintIndex(c, strings(c.keys), table, origin)], foreignKeys: [] };
  }
  if (c.contype === 'CONSTR_FOREIGN') {
    return { indexes: [], foreignKeys: [{ name: c.conname, columns: strings(c.fk_attrs), referencedTable: qualified(c.pktable), referencedColumns: strings(c.pk_attrs), origin }] };
  }
  return { indexes: [], foreignKeys: [] };
}

function constraintIndex(c: PgNode, columns: string[], table: QName, origin: SchemaOrigin): CatalogIndex {
  const primary = c.contype === 'CONSTR_PRIMARY';
  return {
    name: c.conname ?? (primary ? `${table.name}_pkey` : `${table.name}_${columns.join('_')}_key`),
    table: table.name,
    schema: table.schema,
    keys: columns.map((column) => ({ column, descending: false })),
    unique: true,
    primary,
    method: 'btree',
    include: strings(c.including),
    origin,
  };
}

function indexOf(body: PgNode, statementText: string, origin: SchemaOrigin): CatalogIndex {
  const table = qname(body.relation);
  const keys: IndexKey[] = (body.indexParams ?? []).map((param: PgNode) => indexKey(param.IndexElem ?? {}));
  const include = (body.indexIncludingParams ?? []).map((param: PgNode) => param.IndexElem?.name).filter(Boolean);
  const index: CatalogIndex = {
    name: body.idxname,
    table: table.name,
    schema: table.schema,
    keys,
    unique: body.unique === true,
    primary: false,
    method: body.accessMethod ?? 'btree',
    include,
    origin,
  };
  if (body.whereClause) {
    index.where = whereTextOf(statementText);
    index.whereColumns = [...new Set(columnRefsIn(body.whereClause))];
  }
  return index;
}

function indexKey(elem: PgNode): IndexKey {
  const key: IndexKey = { descending: elem.ordering === 'SORTBY_DESC' };
  if (elem.nulls_ordering === 'SORTBY_NULLS_FIRST') key.nullsFirst = true;
  else if (elem.nulls_ordering === 'SORTBY_NULLS_LAST') key.nullsFirst = false;
  if (elem.name) key.column = elem.name;
  else key.expression = expressionText(elem.expr);
  return key;
}

/** A compact, normalised text of an index expression: `lower(email)`, `(a + b)`, `c::text`. */
export function expressionText(node: PgNode): string {
  if (!node || typeof node !== 'object') return '?';
  if (node.ColumnRef) return strings(node.ColumnRef.fields).join('.');
  if (node.FuncCall) {
    const name = strings(node.FuncCall.funcname).filter((n) => n !== 'pg_catalog').join('.');
    return `${name}(${(node.FuncCall.args ?? []).map(expressionText).join(', ')})`;
  }
  if (node.TypeCast) return `${expressionText(node.TypeCast.arg)}::${typeNameOf(node.TypeCast.typeName) ?? '?'}`;
  if (node.A_Const) {
    const c = node.A_Const;
    if (c.sval) return `'${String(c.sval.sval ?? '').replace(/'/g, "''")}'`;
    if (c.ival) return String(c.ival.ival ?? 0);
    if (c.boolval) return String(c.boolval.boolval ?? false);
    return c.isnull ? 'null' : '?';
  }
  if (node.A_Expr) {
    const op = strings(node.A_Expr.name).join('');
    return `(${expressionText(node.A_Expr.lexpr)} ${op} ${expressionText(node.A_Expr.rexpr)})`;
  }
  if (node.CoalesceExpr) return `coalesce(${(node.CoalesceExpr.args ?? []).map(expressionText).join(', ')})`;
  const kind = Object.keys(node)[0];
  return kind ? `<${kind}>` : '?';
}

function columnRefsIn(node: PgNode, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) columnRefsIn(item, found);
  } else if (node && typeof node === 'object') {
    if (node.ColumnRef) {
      const fields = strings(node.ColumnRef.fields);
      if (fields.length > 0) found.push(fields[fields.length - 1]!);
    }
    for (const value of Object.values(node)) columnRefsIn(value, found);
  }
  return found;
}

/** An index predicate is the last clause of CREATE INDEX: the text after its top-level WHERE. */
function whereTextOf(statementText: string): string | undefined {
  const code = blankCommentsAndStrings(statementText);
  const matches = [...code.matchAll(/\bwhere\b/gi)];
  const last = matches[matches.length - 1];
  if (last?.index === undefined) return undefined;
  return statementText.slice(last.index + last[0].length).trim().replace(/\s+/g, ' ');
}

function renameOps(body: PgNode): DdlOp[] {
  const target = qname(body.relation);
  switch (body.renameType) {
    case 'OBJECT_TABLE':
      return [{ op: 'rename-table', table: target, to: body.newname }];
    case 'OBJECT_COLUMN':
      return body.relationType === 'OBJECT_TABLE' ? [{ op: 'rename-column', table: target, from: body.subname, to: body.newname }] : [];
    case 'OBJECT_INDEX':
      return [{ op: 'rename-index', index: target, to: body.newname }];
    case 'OBJECT_TABCONSTRAINT':
      // A unique or primary-key constraint's index is renamed with it.
      return [{ op: 'rename-index', index: { schema: target.schema, name: body.subname }, to: body.newname }];
    default:
      return [];
  }
}

function alterOps(body: PgNode, origin: SchemaOrigin): DdlOp[] {
  const table = qname(body.relation);
  const ops: DdlOp[] = [];
  for (const raw of body.cmds ?? []) {
    const cmd = raw.AlterTableCmd;
    if (!cmd) continue;
    if (cmd.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) {
      const { column, indexes, foreignKeys } = columnDef(cmd.def.ColumnDef, table, origin);
      ops.push({ op: 'add-column', table, column, indexes, foreignKeys });
    } else if (cmd.subtype === 'AT_DropColumn' && cmd.name) {
      ops.push({ op: 'drop-column', table, column: cmd.name });
    } else if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint) {
      ops.push({ op: 'add-constraint', table, ...tableConstraint(cmd.def.Constraint, table, origin) });
    } else if (cmd.subtype === 'AT_DropConstraint' && cmd.name) {
      ops.push({ op: 'drop-constraint', table, name: cmd.name });
    }
  }
  return ops;
}
