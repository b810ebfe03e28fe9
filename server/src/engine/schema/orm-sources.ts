import { ts } from 'ts-morph';
import type { ParsedFile } from '../source/parsed-file';
import type { FactExtractor } from '../workspace/project-view';
import type { CatalogIndex, CatalogTable, ForeignKey, SchemaOrigin } from './catalog-model';
import { schemaExtractionStats } from './migration-sources';

/** Tables an ORM declares (schema.prisma models, TypeORM entities), with their indexes. */
export interface DeclaredTables {
  tables: CatalogTable[];
}

// ---------------------------------------------------------------- schema.prisma

export const prismaSchemaFacts: FactExtractor<DeclaredTables> = {
  id: 'schema/prisma',
  textHint: /\bmodel\s+\w+\s*\{/,
  extract(file: ParsedFile): DeclaredTables {
    if (!file.filePath.endsWith('.prisma') || !prismaSchemaOfTheProject(file.filePath, file.text)) return { tables: [] };
    schemaExtractionStats.prisma++;
    return { tables: parsePrismaSchema(file.text, file.filePath) };
  },
};

/**
 * Whether a `.prisma` file describes this project's Postgres database. A schema whose datasource
 * is another database (MongoDB, MySQL, SQLite) or a template (`provider = "{{PROVIDER}}"`) is not
 * ours to advise on, and its models would make the real schema's model names ambiguous. A file
 * other than `schema.prisma` counts only inside a `prisma/` or `schema/` folder (Prisma's
 * multi-file layout): elsewhere it is data (sample schemas an app imports or generates from).
 */
export function prismaSchemaOfTheProject(filePath: string, text: string): boolean {
  const provider = /^\s*datasource\s+\w+\s*\{[^}]*?\bprovider\s*=\s*"([^"]*)"/m.exec(text)?.[1];
  if (provider !== undefined && !/^(postgres|postgresql|cockroachdb)$/.test(provider)) return false;
  const parts = filePath.replace(/\\/g, '/').split('/');
  return parts[parts.length - 1] === 'schema.prisma' || parts.slice(0, -1).some((part) => part === 'prisma' || part === 'schema');
}

/** Models of a schema.prisma, with @id/@@id, @unique/@@unique, @@index, @map and @@map applied. */
export function parsePrismaSchema(text: string, filePath: string): CatalogTable[] {
  const tables: CatalogTable[] = [];
  const modelPattern = /^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm;
  for (const model of text.matchAll(modelPattern)) {
    const modelName = model[1]!;
    const bodyStart = model.index! + model[0].indexOf('{') + 1;
    const origin = (start: number, end: number): SchemaOrigin => ({ kind: 'prisma-schema', filePath, start, end });
    const fieldColumn = new Map<string, string>();
    const fields: Array<{ name: string; type: string; attrs: string; start: number; end: number }> = [];
    let tableName = modelName;
    const blockAttrs: Array<{ text: string; start: number; end: number }> = [];
    let offset = bodyStart;
    for (const rawLine of model[2]!.split('\n')) {
      const lineStart = offset;
      offset += rawLine.length + 1;
      const line = rawLine.replace(/\/\/.*$/, '').trim();
      if (!line) continue;
      const start = lineStart + rawLine.indexOf(line);
      if (line.startsWith('@@')) {
        blockAttrs.push({ text: line, start, end: start + line.length });
        const map = /^@@map\(\s*(?:name:\s*)?"([^"]+)"/.exec(line);
        if (map) tableName = map[1]!;
        continue;
      }
      const field = /^(\w+)\s+([\w.]+)(\[\])?(\?)?\s*(.*)$/.exec(line);
      if (!field) continue;
      const attrs = field[5] ?? '';
      const map = /@map\(\s*(?:name:\s*)?"([^"]+)"/.exec(attrs);
      fieldColumn.set(field[1]!, map ? map[1]! : field[1]!);
      fields.push({ name: field[1]!, type: field[2]! + (field[3] ?? ''), attrs, start, end: start + line.length });
    }
    const columnOf = (name: string): string => fieldColumn.get(name) ?? name;
    const tableOrigin = origin(model.index!, model.index! + model[0].length);
    const table: CatalogTable = { schema: 'public', name: tableName, columns: [], indexes: [], foreignKeys: [], origin: tableOrigin };
    table.mapping = { orm: 'prisma', name: modelName, table: tableName, schema: 'public', columns: Object.fromEntries(fieldColumn), origin: tableOrigin };
    const index = (columns: string[], unique: boolean, primary: boolean, name: string | undefined, start: number, end: number, sortDesc: Set<string> = new Set()): CatalogIndex => ({
      name: name ?? (primary ? `${tableName}_pkey` : `${tableName}_${columns.join('_')}_${unique ? 'key' : 'idx'}`),
      table: tableName,
      schema: 'public',
      keys: columns.map((column) => ({ column, descending: sortDesc.has(column) })),
      unique,
      primary,
      method: 'btree',
      include: [],
      origin: origin(start, end),
    });
    for (const field of fields) {
      const relation = /@relation\(([^)]*)\)/.exec(field.attrs);
      if (relation) {
        const fks = /fields:\s*\[([^\]]*)\]/.exec(relation[1]!);
        const refs = /references:\s*\[([^\]]*)\]/.exec(relation[1]!);
        if (fks) {
          const fk: ForeignKey = { columns: splitNames(fks[1]!).map(columnOf), referencedTable: field.type.replace('[]', ''), origin: origin(field.start, field.end) };
          if (refs) fk.referencedColumns = splitNames(refs[1]!);
          table.foreignKeys.push(fk);
          if (refs) (table.mapping!.relations ??= {})[field.name] = { fields: splitNames(fks[1]!), references: splitNames(refs[1]!) };
        }
        continue;
      }
      if (/^[A-Z]/.test(field.type) && !/^(String|Int|BigInt|Float|Decimal|Boolean|DateTime|Json|Bytes)\b/.test(field.type) && !field.attrs.includes('@map') && !field.attrs.includes('@id') && !field.attrs.includes('@unique') && !field.attrs.includes('@default')) {
        // A relation field or an enum; enums are columns, list relations are not. Keep enums (no []).
        if (field.type.endsWith('[]')) continue;
      }
      table.columns.push({ name: columnOf(field.name), type: field.type, notNull: !/\?/.test(field.type) });
      const column = columnOf(field.name);
      if (/@id\b/.test(field.attrs)) table.indexes.push(index([column], true, true, mapName(field.attrs, '@id'), field.start, field.end));
      if (/@unique\b/.test(field.attrs)) table.indexes.push(index([column], true, false, mapName(field.attrs, '@unique'), field.start, field.end));
    }
    for (const attr of blockAttrs) {
      const kind = /^@@(id|unique|index)\s*\(/.exec(attr.text);
      if (!kind) continue;
      const fieldsList = /\[\s*([^\]]*)\]/.exec(attr.text);
      if (!fieldsList) continue;
      const desc = new Set<string>();
      const columns = splitNames(fieldsList[1]!).map((entry) => {
        const name = entry.replace(/\(.*$/, '');
        if (/sort:\s*Desc/.test(entry)) desc.add(columnOf(name));
        return columnOf(name);
      });
      // `map:` names the database index; on @@id / @@unique `name:` names only the client's compound field.
      const name = /\bmap:\s*"([^"]+)"/.exec(attr.text)?.[1] ?? (kind[1] === 'index' ? /\bname:\s*"([^"]+)"/.exec(attr.text)?.[1] : undefined);
      const built = index(columns, kind[1] !== 'index', kind[1] === 'id', name, attr.start, attr.end, desc);
      const type = /type:\s*(\w+)/.exec(attr.text)?.[1];
      if (type) built.method = type.toLowerCase();
      table.indexes.push(built);
    }
    tables.push(table);
  }
  return tables;
}

function splitNames(list: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of list) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      names.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) names.push(current.trim());
  return names;
}

function mapName(attrs: string, attribute: string): string | undefined {
  const match = new RegExp(`${attribute}\\(([^)]*)\\)`).exec(attrs);
  return match ? /map:\s*"([^"]+)"/.exec(match[1]!)?.[1] : undefined;
}

// ---------------------------------------------------------------- TypeORM entities

/** Whether the project configures typeorm-naming-strategies' SnakeNamingStrategy. */
export const typeormNamingFacts: FactExtractor<{ snakeCase: boolean }> = {
  id: 'schema/typeorm-naming',
  textHint: /SnakeNamingStrategy/,
  extract(file: ParsedFile): { snakeCase: boolean } {
    return { snakeCase: /namingStrategy\s*:\s*new\s+SnakeNamingStrategy\s*\(/.test(file.text) };
  },
};

/** Entity facts keep property names; columns are named when the naming strategy is known (in the catalog). */
export interface EntityDecl {
  className: string;
  /** `@Entity('name')` / `@Entity({ name, schema })`. */
  tableName?: string;
  schema?: string;
  columns: Array<{ property: string; name?: string; primary: boolean }>;
  indexes: Array<{ properties: string[]; name?: string; unique: boolean; where?: string; start: number; end: number }>;
  joinColumns: Array<{ property: string; name?: string; start: number; end: number }>;
  /** The `@DeleteDateColumn` property: TypeORM's finders add `<column> IS NULL` unless `withDeleted: true`. */
  deleteDateColumn?: string;
  start: number;
  end: number;
}

export const typeormEntityFacts: FactExtractor<{ filePath: string; entities: EntityDecl[] }> = {
  id: 'schema/typeorm-entity',
  textHint: /@Entity\s*\(/,
  extract(file: ParsedFile): { filePath: string; entities: EntityDecl[] } {
    const ast = file.ast;
    if (!ast || !file.imports) return { filePath: file.filePath, entities: [] };
    schemaExtractionStats.typeormEntity++;
    const entities: EntityDecl[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node) && node.name) {
        const entity = decorators(node).find((d) => d.name === 'Entity');
        if (entity) entities.push(entityOf(node, entity.args, ast));
      }
      ts.forEachChild(node, visit);
    };
    visit(ast);
    return { filePath: file.filePath, entities };
  },
};

function decorators(node: ts.Node): Array<{ name: string; args: readonly ts.Expression[]; node: ts.Decorator }> {
  const found: Array<{ name: string; args: readonly ts.Expression[]; node: ts.Decorator }> = [];
  for (const modifier of ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : []) {
    const expr = modifier.expression;
    if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression)) found.push({ name: expr.expression.text, args: expr.arguments, node: modifier });
  }
  return found;
}

function objectProps(expr: ts.Expression | undefined): Map<string, ts.Expression> {
  const props = new Map<string, ts.Expression>();
  if (expr && ts.isObjectLiteralExpression(expr)) {
    for (const p of expr.properties) if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) props.set(p.name.text, p.initializer);
  }
  return props;
}

function stringOf(expr: ts.Expression | undefined): string | undefined {
  return expr && ts.isStringLiteralLike(expr) ? expr.text : undefined;
}

function namesOf(expr: ts.Expression | undefined): string[] {
  if (!expr) return [];
  if (ts.isArrayLiteralExpression(expr)) return expr.elements.map(stringOf).filter((s): s is string => s !== undefined);
  // `(entity) => [entity.a, entity.b]`
  if (ts.isArrowFunction(expr)) {
    const body = ts.isParenthesizedExpression(expr.body) ? expr.body.expression : expr.body;
    if (ts.isArrayLiteralExpression(body)) return body.elements.filter(ts.isPropertyAccessExpression).map((e) => e.name.text);
    if (ts.isObjectLiteralExpression(body)) return body.properties.map((p) => p.name?.getText() ?? '').filter(Boolean);
  }
  return [];
}

const COLUMN_DECORATORS = new Set(['Column', 'PrimaryColumn', 'PrimaryGeneratedColumn', 'CreateDateColumn', 'UpdateDateColumn', 'DeleteDateColumn', 'VersionColumn']);

function entityOf(node: ts.ClassDeclaration, entityArgs: readonly ts.Expression[], ast: ts.SourceFile): EntityDecl {
  const first = entityArgs[0];
  const options = objectProps(first && ts.isObjectLiteralExpression(first) ? first : entityArgs[1]);
  const decl: EntityDecl = { className: node.name!.text, columns: [], indexes: [], joinColumns: [], start: node.getStart(ast), end: node.getEnd() };
  const tableName = stringOf(first) ?? stringOf(options.get('name'));
  if (tableName) decl.tableName = tableName;
  const schema = stringOf(options.get('schema'));
  if (schema) decl.schema = schema;
  const classIndex = (d: { name: string; args: readonly ts.Expression[]; node: ts.Decorator }, property?: string): void => {
    const args = [...d.args];
    const name = stringOf(args[0]);
    if (name) args.shift();
    const properties = property ? [property] : namesOf(args[0]);
    if (!property) args.shift();
    const opts = objectProps(args[0]);
    if (properties.length === 0) return;
    const index: EntityDecl['indexes'][number] = { properties, unique: d.name === 'Unique' || opts.get('unique')?.kind === ts.SyntaxKind.TrueKeyword, start: d.node.getStart(ast), end: d.node.getEnd() };
    if (name) index.name = name;
    const where = stringOf(opts.get('where'));
    if (where) index.where = where;
    decl.indexes.push(index);
  };
  for (const d of decorators(node)) if (d.name === 'Index' || d.name === 'Unique') classIndex(d);
  for (const member of node.members) {
    if (!ts.isPropertyDeclaration(member) || !member.name || !ts.isIdentifier(member.name)) continue;
    const property = member.name.text;
    const memberDecorators = decorators(member);
    // Only the owning side of a relation has a join column: `@JoinColumn` beside `@OneToMany` is ignored by TypeORM.
    const owningSide = memberDecorators.some((d) => d.name === 'ManyToOne' || d.name === 'OneToOne');
    for (const d of memberDecorators) {
      if (COLUMN_DECORATORS.has(d.name)) {
        const opts = objectProps(d.args.find(ts.isObjectLiteralExpression));
        const column: EntityDecl['columns'][number] = { property, primary: d.name.startsWith('Primary') || opts.get('primary')?.kind === ts.SyntaxKind.TrueKeyword };
        const name = stringOf(opts.get('name'));
        if (name) column.name = name;
        decl.columns.push(column);
        if (d.name === 'DeleteDateColumn') decl.deleteDateColumn = property;
        if (opts.get('unique')?.kind === ts.SyntaxKind.TrueKeyword) decl.indexes.push({ properties: [property], unique: true, start: d.node.getStart(ast), end: d.node.getEnd() });
      } else if (d.name === 'Index' || d.name === 'Unique') classIndex(d, property);
      else if ((d.name === 'JoinColumn' || d.name === 'ManyToOne') && owningSide) {
        const existing = decl.joinColumns.find((j) => j.property === property);
        const name = d.name === 'JoinColumn' ? stringOf(objectProps(d.args[0]).get('name')) : undefined;
        if (existing) {
          if (name) existing.name = name;
        } else decl.joinColumns.push({ property, ...(name ? { name } : {}), start: d.node.getStart(ast), end: d.node.getEnd() });
      }
    }
  }
  return decl;
}

/** TypeORM's snakeCase (typeorm/util/StringUtils). */
export function snakeCase(name: string): string {
  return name
    .replace(/(?:([a-z])([A-Z]))|(?:((?!^)[A-Z])([a-z]))/g, '$1_$3$2$4')
    .toLowerCase();
}

/** Entities as tables, under the default naming strategy or SnakeNamingStrategy. */
export function entityTables(filePath: string, entities: EntityDecl[], snake: boolean): CatalogTable[] {
  return entities.map((entity) => {
    const table = entity.tableName ?? snakeCase(entity.className);
    const schema = entity.schema ?? 'public';
    const columnOf = (property: string): string => {
      const column = entity.columns.find((c) => c.property === property);
      if (column?.name) return column.name;
      const join = entity.joinColumns.find((j) => j.property === property);
      if (join) return join.name ?? (snake ? `${snakeCase(property)}_id` : `${property}Id`);
      return snake ? snakeCase(property) : property;
    };
    const origin = (start: number, end: number): SchemaOrigin => ({ kind: 'typeorm-entity', filePath, start, end });
    const indexes: CatalogIndex[] = [];
    const primary = entity.columns.filter((c) => c.primary).map((c) => columnOf(c.property));
    if (primary.length > 0) {
      indexes.push({ name: `PK_${table}`, table, schema, keys: primary.map((column) => ({ column, descending: false })), unique: true, primary: true, method: 'btree', include: [], origin: origin(entity.start, entity.end) });
    }
    for (const index of entity.indexes) {
      const built: CatalogIndex = { table, schema, keys: index.properties.map((p) => ({ column: columnOf(p), descending: false })), unique: index.unique, primary: false, method: 'btree', include: [], origin: origin(index.start, index.end) };
      if (index.name) built.name = index.name;
      if (index.where) built.where = index.where;
      indexes.push(built);
    }
    const properties = [...entity.columns.map((c) => c.property), ...entity.joinColumns.map((j) => j.property)];
    return {
      schema,
      name: table,
      mapping: { orm: 'typeorm', name: entity.className, table, schema, columns: Object.fromEntries(properties.map((p) => [p, columnOf(p)])), origin: origin(entity.start, entity.end) },
      columns: [...entity.columns.map((c) => ({ name: columnOf(c.property) })), ...entity.joinColumns.map((j) => ({ name: columnOf(j.property) }))],
      indexes,
      // Postgres does not index a foreign key by itself: these are recorded, not turned into indexes.
      foreignKeys: entity.joinColumns.map((j) => ({ columns: [columnOf(j.property)], origin: origin(j.start, j.end) })),
      origin: origin(entity.start, entity.end),
    };
  });
}
