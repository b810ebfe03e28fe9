import { ts } from 'ts-morph';
import { unwrapExpression } from '../ast/call-shape';
import type { ParsedFile } from '../source/parsed-file';
import type { FactExtractor } from '../workspace/project-view';
import type { CatalogIndex, CatalogTable, SchemaOrigin } from './catalog-model';
import type { DeclaredTables } from './orm-sources';

/**
 * MikroORM decorated entities: `@Entity({ tableName, schema })`, `@PrimaryKey`, `@Property({ fieldName })`,
 * `@Enum`, `@ManyToOne` / owning `@OneToOne` (a `<prop>_id` column), `@Index` / `@Unique` on the
 * class (`properties`) or a property, and `index: true` / `unique: true` options. Names follow
 * MikroORM's default UnderscoreNamingStrategy (tables and columns snake_case) unless the project
 * configures EntityCaseNamingStrategy. MikroORM's SQL drivers index every ManyToOne column that
 * has no single-column index of its own, so those indexes are recorded too.
 */
export const mikroOrmEntityFacts: FactExtractor<DeclaredTables> = {
  id: 'schema/mikro-orm-entity',
  textHint: /@mikro-orm\//,
  extract(file: ParsedFile): DeclaredTables {
    const ast = file.ast;
    if (!ast) return { tables: [] };
    const decorators = new Map<string, string>();
    for (const [local, binding] of file.imports.entries()) if (/^@mikro-orm\//.test(binding.module)) decorators.set(local, binding.imported);
    if (!decorators.has('Entity') && ![...decorators.values()].includes('Entity')) return { tables: [] };
    const entityCase = /namingStrategy\s*:\s*EntityCaseNamingStrategy/.test(file.text);
    const tables: CatalogTable[] = [];
    for (const statement of ast.statements) {
      if (!ts.isClassDeclaration(statement) || !statement.name) continue;
      const entity = decoratorsOf(statement, decorators).find((d) => d.name === 'Entity');
      if (entity) tables.push(entityTable(statement, entity.args, decorators, file.filePath, ast, entityCase));
    }
    return { tables };
  },
};

/** MikroORM's UnderscoreNamingStrategy: `OrderItem` -> `order_item`, `createdAt` -> `created_at`. */
export function underscore(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

interface Decorator {
  name: string;
  args: readonly ts.Expression[];
  node: ts.Decorator;
}

function decoratorsOf(node: ts.Node, known: Map<string, string>): Decorator[] {
  const found: Decorator[] = [];
  for (const decorator of ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : []) {
    const e = decorator.expression;
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && known.has(e.expression.text)) found.push({ name: known.get(e.expression.text)!, args: e.arguments, node: decorator });
  }
  return found;
}

function options(expression: ts.Expression | undefined): Map<string, ts.Expression> {
  const props = new Map<string, ts.Expression>();
  const e = expression && unwrapExpression(expression);
  if (e && ts.isObjectLiteralExpression(e)) {
    for (const p of e.properties) if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) props.set(p.name.text, p.initializer);
  }
  return props;
}

const text = (e: ts.Expression | undefined): string | undefined => (e && ts.isStringLiteralLike(unwrapExpression(e)) ? (unwrapExpression(e) as ts.StringLiteralLike).text : undefined);
const isTrue = (e: ts.Expression | undefined): boolean => !!e && unwrapExpression(e).kind === ts.SyntaxKind.TrueKeyword;
const COLUMN_DECORATORS = new Set(['PrimaryKey', 'Property', 'Enum', 'SerializedPrimaryKey']);

function entityTable(node: ts.ClassDeclaration, entityArgs: readonly ts.Expression[], known: Map<string, string>, filePath: string, ast: ts.SourceFile, entityCase: boolean): CatalogTable {
  const className = node.name!.text;
  const entityOptions = options(entityArgs[0]);
  const name = text(entityOptions.get('tableName')) ?? text(entityOptions.get('collection')) ?? (entityCase ? className : underscore(className));
  const schema = text(entityOptions.get('schema')) ?? 'public';
  const origin = (n: ts.Node): SchemaOrigin => ({ kind: 'mikro-orm-entity', filePath, start: n.getStart(ast), end: n.getEnd() });
  const table: CatalogTable = { schema, name, columns: [], indexes: [], foreignKeys: [], origin: origin(node) };
  const columnOf = new Map<string, string>();
  const primary: string[] = [];
  const pending: Array<{ properties: string[]; unique: boolean; name?: string; node: ts.Node }> = [];
  const relations: Array<{ column: string; node: ts.Node }> = [];
  const columnName = (property: string): string => (entityCase ? property : underscore(property));
  for (const member of node.members) {
    if (!ts.isPropertyDeclaration(member) || !member.name || !ts.isIdentifier(member.name)) continue;
    const property = member.name.text;
    for (const d of decoratorsOf(member, known)) {
      const opts = options(d.args[0]);
      if (COLUMN_DECORATORS.has(d.name)) {
        if (d.name === 'SerializedPrimaryKey') continue;
        const column = text(opts.get('fieldName')) ?? columnName(property);
        columnOf.set(property, column);
        table.columns.push({ name: column, notNull: d.name === 'PrimaryKey' || !(isTrue(opts.get('nullable')) || !!member.questionToken) });
        if (d.name === 'PrimaryKey') primary.push(column);
        if (isTrue(opts.get('index')) || isTrue(opts.get('unique'))) pending.push({ properties: [property], unique: isTrue(opts.get('unique')), node: d.node });
      } else if (d.name === 'ManyToOne' || (d.name === 'OneToOne' && !opts.has('mappedBy'))) {
        const optionArg = d.args.find((a) => ts.isObjectLiteralExpression(unwrapExpression(a)));
        const relationOptions = options(optionArg);
        if (relationOptions.has('mappedBy')) continue;
        const column = text(relationOptions.get('fieldName')) ?? text(relationOptions.get('joinColumn')) ?? `${columnName(property)}_id`;
        columnOf.set(property, column);
        table.columns.push({ name: column });
        if (relationOptions.get('primary') && isTrue(relationOptions.get('primary'))) primary.push(column);
        // Postgres does not index a foreign key; MikroORM's schema generator does, for ManyToOne.
        table.foreignKeys.push({ columns: [column], origin: origin(d.node) });
        if (d.name === 'ManyToOne' && unwrapExpression(relationOptions.get('index') ?? ts.factory.createTrue()).kind !== ts.SyntaxKind.FalseKeyword) relations.push({ column, node: d.node });
        if (isTrue(relationOptions.get('index')) || isTrue(relationOptions.get('unique')) || d.name === 'OneToOne') pending.push({ properties: [property], unique: isTrue(relationOptions.get('unique')) || d.name === 'OneToOne', node: d.node });
      } else if (d.name === 'Index' || d.name === 'Unique') {
        const indexName = text(opts.get('name'));
        pending.push({ properties: [property], unique: d.name === 'Unique', node: d.node, ...(indexName ? { name: indexName } : {}) });
      }
    }
  }
  for (const d of decoratorsOf(node, known)) {
    if (d.name !== 'Index' && d.name !== 'Unique') continue;
    const opts = options(d.args[0]);
    const list = opts.get('properties');
    const e = list && unwrapExpression(list);
    const properties = e && ts.isArrayLiteralExpression(e) ? e.elements.map((el) => text(el)) : e ? [text(e)] : [];
    // `expression: 'create index …'` or unreadable property lists: left out, never guessed.
    if (properties.length === 0 || properties.some((p) => p === undefined) || opts.has('expression')) continue;
    const indexName = text(opts.get('name'));
    pending.push({ properties: properties as string[], unique: d.name === 'Unique', node: d.node, ...(indexName ? { name: indexName } : {}) });
  }
  const index = (columns: string[], unique: boolean, isPrimary: boolean, indexName: string, n: ts.Node): CatalogIndex => ({
    name: indexName,
    table: name,
    schema,
    keys: columns.map((column) => ({ column, descending: false })),
    unique,
    primary: isPrimary,
    method: 'btree',
    include: [],
    origin: origin(n),
  });
  if (primary.length > 0) table.indexes.push(index(primary, true, true, `${name}_pkey`, node));
  for (const p of pending) {
    const columns = p.properties.map((property) => columnOf.get(property) ?? columnName(property));
    table.indexes.push(index(columns, p.unique, false, p.name ?? `${name}_${columns.join('_')}_${p.unique ? 'unique' : 'index'}`, p.node));
  }
  for (const relation of relations) {
    if (table.indexes.some((i) => i.keys.length === 1 && i.keys[0]!.column === relation.column)) continue;
    table.indexes.push(index([relation.column], false, false, `${name}_${relation.column}_index`, relation.node));
  }
  table.mapping = { orm: 'mikro-orm', name: className, table: name, schema, columns: Object.fromEntries(columnOf), origin: origin(node) };
  return table;
}
