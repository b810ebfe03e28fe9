import type { CatalogColumn, CatalogIndex, CatalogTable, IndexKey, SchemaCatalog } from '../schema/catalog-model';

/**
 * The schema catalog as DDL for the embedded planner: schemas, tables with typed columns, then
 * every index. Built from the catalog rather than by replaying the migrations because the catalog
 * is the one thing every source produces (schema.prisma and entities have no SQL to replay), it
 * is already the net result of every ALTER and DROP, and it holds no data statements, functions
 * or extension-specific DDL that an embedded Postgres may reject and take later statements down
 * with it. Each statement runs on its own; one that is rejected is skipped and reported.
 */
export interface CatalogDdl {
  statements: string[];
  /** Contrib extensions the indexes need (trigram operator classes for gin / gist on text). */
  extensions: string[];
}

export function catalogDdl(catalog: SchemaCatalog): CatalogDdl {
  const statements: string[] = [];
  const tables = catalog.tables();
  const schemas = [...new Set(tables.map((table) => table.schema))].filter((schema) => schema !== 'public').sort();
  for (const schema of schemas) statements.push(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
  for (const table of tables) statements.push(createTableSql(table));
  const extensions = new Set<string>();
  for (const table of tables) {
    for (const index of table.indexes) {
      if (index.method === 'gin' || index.method === 'gist') extensions.add('pg_trgm');
      statements.push(createIndexSql(table, index));
    }
  }
  // Extensions first: a trigram index needs its operator class before it is created.
  statements.unshift(...[...extensions].map((name) => `CREATE EXTENSION IF NOT EXISTS ${name}`));
  return { statements, extensions: [...extensions] };
}

export function qualifiedName(table: { schema: string; name: string }): string {
  return table.schema === 'public' ? ident(table.name) : `${ident(table.schema)}.${ident(table.name)}`;
}

function createTableSql(table: CatalogTable): string {
  const seen = new Set<string>();
  const columns: string[] = [];
  for (const column of table.columns) {
    const type = columnType(column);
    if (type === undefined || seen.has(column.name)) continue;
    seen.add(column.name);
    columns.push(`${ident(column.name)} ${type}`);
  }
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(table)} (${columns.join(', ')})`;
}

function createIndexSql(table: CatalogTable, index: CatalogIndex): string {
  const textColumns = new Set(table.columns.filter((column) => /^(text|varchar|char|bpchar)$/.test(columnType(column) ?? '')).map((column) => column.name));
  // A gin / gist index on a text column is a trigram index (Postgres has no default operator class for text there).
  const trigram = (key: IndexKey): string => ((index.method === 'gin' || index.method === 'gist') && key.column && textColumns.has(key.column) ? ` ${index.method}_trgm_ops` : '');
  const keys = index.keys.map((key) => `${key.expression !== undefined ? `(${key.expression})` : ident(key.column ?? '')}${trigram(key)}${key.descending ? ' DESC' : ''}${key.nullsFirst === undefined ? '' : key.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST'}`);
  const name = index.name ? `${ident(index.name)} ` : '';
  const method = index.method && index.method !== 'btree' ? ` USING ${index.method}` : '';
  const include = index.include.length > 0 ? ` INCLUDE (${index.include.map(ident).join(', ')})` : '';
  const where = index.where ? ` WHERE ${index.where}` : '';
  return `CREATE ${index.unique || index.primary ? 'UNIQUE ' : ''}INDEX ${name}ON ${qualifiedName(table)}${method} (${keys.join(', ')})${include}${where}`;
}

/** Postgres type names the planner knows without extensions, from SQL and ORM spellings. */
const SQL_TYPES = new Set([
  'smallint', 'integer', 'int', 'bigint', 'int2', 'int4', 'int8', 'real', 'float4', 'float8', 'numeric', 'decimal', 'money',
  'text', 'varchar', 'char', 'bpchar', 'character', 'name', 'citext',
  'boolean', 'bool', 'date', 'time', 'timetz', 'timestamp', 'timestamptz', 'interval',
  'uuid', 'json', 'jsonb', 'bytea', 'inet', 'cidr', 'macaddr', 'tsvector', 'tsquery', 'xml', 'point', 'oid',
]);

const ORM_TYPES: Record<string, string> = {
  // Prisma scalars.
  string: 'text', int: 'integer', bigint: 'bigint', float: 'double precision', decimal: 'numeric', boolean: 'boolean',
  datetime: 'timestamptz', json: 'jsonb', bytes: 'bytea',
  // TypeORM / Sequelize / Drizzle spellings.
  serial: 'integer', serial4: 'integer', bigserial: 'bigint', serial8: 'bigint', smallserial: 'smallint', 'character varying': 'varchar',
  'double precision': 'double precision', double: 'double precision', number: 'integer', 'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp', 'simple-json': 'text', 'simple-array': 'text', enum: 'text', 'simple-enum': 'text',
};

/**
 * The column's type as Postgres should see it: a built-in type as declared, an ORM scalar mapped,
 * anything else (an enum, a domain, an extension type) as text, which keeps equality, ranges,
 * LIKE and btree indexes working. A Prisma relation list (`Order[]`) is no column at all.
 */
export function columnType(column: CatalogColumn): string | undefined {
  const raw = (column.type ?? '').replace(/\?$/, '').trim();
  const array = raw.endsWith('[]');
  const base = (array ? raw.slice(0, -2) : raw).replace(/\(.*\)$/, '').trim();
  const lower = base.toLowerCase();
  // Prisma scalars are capitalised (`Int`, `Json`); lower-case names are SQL's own (`json` stays json).
  const known = /^[A-Z]/.test(base) && ORM_TYPES[lower] ? ORM_TYPES[lower] : SQL_TYPES.has(lower) ? lower : ORM_TYPES[lower];
  if (array && known === undefined && /^[A-Z]/.test(base)) return undefined;
  const type = known === 'citext' ? 'text' : (known ?? 'text');
  return array ? `${type}[]` : type;
}

/** Quotes an identifier unless Postgres would read it unquoted as the same name. */
export function ident(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

const RESERVED = new Set(['user', 'order', 'group', 'select', 'from', 'where', 'table', 'column', 'index', 'limit', 'offset', 'desc', 'asc', 'default', 'check', 'primary', 'references', 'unique', 'end', 'all', 'and', 'or', 'not', 'to', 'do', 'as', 'on', 'in', 'is', 'user', 'analyse', 'analyze', 'case', 'cast', 'collate', 'constraint', 'create', 'current_user', 'distinct', 'else', 'except', 'false', 'fetch', 'for', 'foreign', 'grant', 'having', 'intersect', 'into', 'leading', 'null', 'only', 'placing', 'returning', 'some', 'symmetric', 'then', 'trailing', 'true', 'union', 'using', 'variadic', 'when', 'window', 'with']);
