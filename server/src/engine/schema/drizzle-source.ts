import { ts } from 'ts-morph';
import { unwrapExpression } from '../ast/call-shape';
import type { ParsedFile } from '../source/parsed-file';
import type { FactExtractor } from '../workspace/project-view';
import type { CatalogIndex, CatalogTable, ForeignKey, IndexKey, SchemaOrigin } from './catalog-model';
import type { DeclaredTables } from './orm-sources';
import { parseSql, sqlParserReady } from '../sql/sql-gate';
import { expressionText } from './sql-ddl';

const PG_CORE = /^drizzle-orm\/pg-core$/;

/**
 * Drizzle table declarations: `export const orders = pgTable('orders', { id: serial('id').primaryKey(),
 * customerId: integer('customer_id').references(() => customers.id) }, (t) => [index('…').on(t.customerId)])`,
 * the older object-returning callback, `pgSchema('billing').table(…)`, column-callback tables
 * (`pgTable('x', (t) => ({ id: t.integer() }))`) and `casing: 'snake_case'` for unnamed columns.
 * The mapping is named by the exported variable, which is what queries write (`from(orders)`).
 */
export const drizzleSchemaFacts: FactExtractor<DeclaredTables> = {
  id: 'schema/drizzle',
  textHint: /drizzle-orm\/pg-core/,
  extract(file: ParsedFile): DeclaredTables {
    const ast = file.ast;
    if (!ast) return { tables: [] };
    const locals = new Map<string, string>();
    for (const [local, binding] of file.imports.entries()) if (PG_CORE.test(binding.module)) locals.set(local, binding.imported);
    if (locals.size === 0) return { tables: [] };
    const snake = /casing\s*:\s*['"]snake_case['"]/.test(file.text);
    const schemas = new Map<string, string>();
    const declared: Array<{ variable: string; call: ts.CallExpression; schema: string }> = [];
    for (const statement of ast.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer && unwrapExpression(declaration.initializer);
        if (!ts.isIdentifier(declaration.name) || !init || !ts.isCallExpression(init)) continue;
        const callee = unwrapExpression(init.expression);
        if (ts.isIdentifier(callee) && locals.get(callee.text) === 'pgSchema' && init.arguments[0] && ts.isStringLiteralLike(init.arguments[0])) schemas.set(declaration.name.text, init.arguments[0].text);
        else if (ts.isIdentifier(callee) && locals.get(callee.text) === 'pgTable') declared.push({ variable: declaration.name.text, call: init, schema: 'public' });
        else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'table' && ts.isIdentifier(callee.expression) && schemas.has(callee.expression.text)) {
          declared.push({ variable: declaration.name.text, call: init, schema: schemas.get(callee.expression.text)! });
        }
      }
    }
    const tableNames = new Map(declared.map((d) => [d.variable, d.call.arguments[0] && ts.isStringLiteralLike(d.call.arguments[0]) ? d.call.arguments[0].text : undefined]));
    const tables: CatalogTable[] = [];
    for (const d of declared) {
      const table = tableOf(d, file, ast, locals, snake, tableNames);
      if (table) tables.push(table);
    }
    return { tables };
  },
};

function tableOf(
  d: { variable: string; call: ts.CallExpression; schema: string },
  file: ParsedFile,
  ast: ts.SourceFile,
  locals: Map<string, string>,
  snake: boolean,
  tableNames: Map<string, string | undefined>,
): CatalogTable | undefined {
  const [nameArg, columnsArg, extraArg] = d.call.arguments;
  if (!nameArg || !ts.isStringLiteralLike(nameArg) || !columnsArg) return undefined;
  const name = nameArg.text;
  const origin = (node: ts.Node): SchemaOrigin => ({ kind: 'drizzle-schema', filePath: file.filePath, start: node.getStart(ast), end: node.getEnd() });
  const columnsObject = objectOf(columnsArg);
  if (!columnsObject) return undefined;
  const table: CatalogTable = { schema: d.schema, name, columns: [], indexes: [], foreignKeys: [], origin: origin(d.call) };
  const columnOf = new Map<string, string>();
  const index = (keys: IndexKey[], unique: boolean, primary: boolean, indexName: string | undefined, node: ts.Node): CatalogIndex => {
    const built: CatalogIndex = { table: name, schema: d.schema, keys, unique, primary, method: 'btree', include: [], origin: origin(node) };
    if (indexName) built.name = indexName;
    return built;
  };
  for (const property of columnsObject.properties) {
    if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) continue;
    const chain = callChain(property.initializer);
    if (!chain) continue;
    const prop = property.name.text;
    const explicit = chain.root.arguments[0] && ts.isStringLiteralLike(chain.root.arguments[0]) ? chain.root.arguments[0].text : undefined;
    const column = explicit ?? (snake ? snakeCase(prop) : prop);
    columnOf.set(prop, column);
    table.columns.push({ name: column, type: chain.rootName, notNull: chain.calls.some((c) => c.name === 'notNull' || c.name === 'primaryKey') });
    for (const call of chain.calls) {
      if (call.name === 'primaryKey') table.indexes.push(index([{ column, descending: false }], true, true, `${name}_pkey`, property));
      else if (call.name === 'unique') {
        const uniqueName = call.args[0] && ts.isStringLiteralLike(call.args[0]) ? call.args[0].text : `${name}_${column}_unique`;
        table.indexes.push(index([{ column, descending: false }], true, false, uniqueName, property));
      } else if (call.name === 'references') {
        // Postgres does not index a foreign key by itself: recorded, not turned into an index.
        const fk: ForeignKey = { columns: [column], origin: origin(property) };
        const target = referenceTarget(call.args[0]);
        if (target) {
          const referenced = tableNames.get(target.table);
          if (referenced) fk.referencedTable = referenced;
        }
        table.foreignKeys.push(fk);
      }
    }
  }
  table.mapping = { orm: 'drizzle', name: d.variable, table: name, schema: d.schema, columns: Object.fromEntries(columnOf), origin: origin(d.call) };
  if (extraArg) extraConfig(extraArg, table, columnOf, locals, origin, tableNames);
  return table;
}

/** The object a columns argument declares: `{ … }` or `(t) => ({ … })`. */
function objectOf(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const e = unwrapExpression(expression);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    const body = returnedExpression(e);
    return body && ts.isObjectLiteralExpression(body) ? body : undefined;
  }
  return undefined;
}

function returnedExpression(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression | undefined {
  if (!ts.isBlock(fn.body)) return unwrapExpression(fn.body);
  for (const statement of fn.body.statements) if (ts.isReturnStatement(statement) && statement.expression) return unwrapExpression(statement.expression);
  return undefined;
}

interface CallChain {
  root: ts.CallExpression;
  rootName: string;
  calls: Array<{ name: string; args: readonly ts.Expression[] }>;
}

/** `integer('customer_id').notNull().references(() => customers.id)` -> root `integer(…)` and the calls after it, in order. */
function callChain(expression: ts.Expression): CallChain | undefined {
  const calls: CallChain['calls'] = [];
  let current = unwrapExpression(expression);
  for (let steps = 0; steps < 40 && ts.isCallExpression(current); steps++) {
    const callee = unwrapExpression(current.expression);
    if (ts.isPropertyAccessExpression(callee) && ts.isCallExpression(unwrapExpression(callee.expression))) {
      calls.unshift({ name: callee.name.text, args: current.arguments });
      current = unwrapExpression(callee.expression);
      continue;
    }
    const rootName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '?';
    return { root: current, rootName, calls };
  }
  return undefined;
}

/** `() => customers.id` -> table variable `customers`, property `id`. */
function referenceTarget(expression: ts.Expression | undefined): { table: string; property: string } | undefined {
  const e = expression && unwrapExpression(expression);
  if (!e || !(ts.isArrowFunction(e) || ts.isFunctionExpression(e))) return undefined;
  const body = returnedExpression(e);
  if (!body || !ts.isPropertyAccessExpression(body)) return undefined;
  const owner = unwrapExpression(body.expression);
  const table = ts.isIdentifier(owner) ? owner.text : ts.isPropertyAccessExpression(owner) ? owner.name.text : undefined;
  return table ? { table, property: body.name.text } : undefined;
}

/** The third argument: `(t) => [index(…).on(…), …]`, `(t) => ({ k: index(…).on(…) })`, or a block returning either. */
function extraConfig(
  expression: ts.Expression,
  table: CatalogTable,
  columnOf: Map<string, string>,
  locals: Map<string, string>,
  origin: (node: ts.Node) => SchemaOrigin,
  tableNames: Map<string, string | undefined>,
): void {
  const e = unwrapExpression(expression);
  if (!ts.isArrowFunction(e) && !ts.isFunctionExpression(e)) return;
  const param = e.parameters[0] && ts.isIdentifier(e.parameters[0].name) ? e.parameters[0].name.text : undefined;
  const body = returnedExpression(e);
  if (!body) return;
  const items = ts.isArrayLiteralExpression(body) ? [...body.elements] : ts.isObjectLiteralExpression(body) ? body.properties.flatMap((p) => (ts.isPropertyAssignment(p) ? [p.initializer] : [])) : [];
  /** `t.customerId` (or `orders.customerId`), possibly `.desc()` / `.asc()` / `.nullsFirst()`. */
  const keyOf = (arg: ts.Expression): IndexKey | undefined => {
    let current = unwrapExpression(arg);
    let descending = false;
    let nullsFirst: boolean | undefined;
    while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
      const name = current.expression.name.text;
      if (name === 'desc') descending = true;
      else if (name === 'nullsFirst') nullsFirst = true;
      else if (name === 'nullsLast') nullsFirst = false;
      else if (name !== 'asc' && name !== 'op') return undefined;
      current = unwrapExpression(current.expression.expression);
    }
    if (ts.isTaggedTemplateExpression(current)) {
      const text = sqlText(current, param, columnOf);
      return text ? { expression: keyExpression(text.text), descending } : undefined;
    }
    const column = columnRef(current, param, columnOf);
    if (!column) return undefined;
    const key: IndexKey = { column, descending };
    if (nullsFirst !== undefined) key.nullsFirst = nullsFirst;
    return key;
  };
  for (const item of items) {
    const chain = callChain(item);
    if (!chain) continue;
    const kind = locals.get(chain.rootName);
    const rootName = chain.root.arguments[0] && ts.isStringLiteralLike(chain.root.arguments[0]) ? chain.root.arguments[0].text : undefined;
    if (kind === 'index' || kind === 'uniqueIndex' || kind === 'unique') {
      const built: CatalogIndex = { table: table.name, schema: table.schema, keys: [], unique: kind !== 'index', primary: false, method: 'btree', include: [], origin: origin(item) };
      if (rootName) built.name = rootName;
      let complete = true;
      for (const call of chain.calls) {
        if (call.name === 'on' || call.name === 'onOnly') {
          for (const arg of call.args) {
            const key = keyOf(arg);
            if (key) built.keys.push(key);
            else complete = false;
          }
        } else if (call.name === 'using') {
          const [method, ...columns] = call.args;
          if (method && ts.isStringLiteralLike(method)) built.method = method.text.toLowerCase();
          for (const arg of columns) {
            const key = keyOf(arg);
            if (key) built.keys.push(key);
            else complete = false;
          }
        } else if (call.name === 'where') {
          const where = call.args[0] && unwrapExpression(call.args[0]);
          const text = where && ts.isTaggedTemplateExpression(where) ? sqlText(where, param, columnOf) : undefined;
          if (text) {
            built.where = text.text;
            built.whereColumns = text.columns;
          } else complete = false;
        } else if (call.name === 'nullsNotDistinct' || call.name === 'concurrently' || call.name === 'with' || call.name === 'op') continue;
      }
      // An index whose keys we could not all read is left out rather than recorded wrong.
      if (complete && built.keys.length > 0) {
        built.name ??= `${table.name}_${built.keys.map((k) => k.column ?? 'expr').join('_')}_${built.unique ? 'unique' : 'index'}`;
        table.indexes.push(built);
      }
    } else if (kind === 'primaryKey') {
      const options = chain.root.arguments[0] && unwrapExpression(chain.root.arguments[0]);
      const columnArgs = options && ts.isObjectLiteralExpression(options)
        ? options.properties.flatMap((p) => (ts.isPropertyAssignment(p) && p.name.getText() === 'columns' && ts.isArrayLiteralExpression(p.initializer) ? [...p.initializer.elements] : []))
        : [...chain.root.arguments];
      const name = options && ts.isObjectLiteralExpression(options) ? options.properties.flatMap((p) => (ts.isPropertyAssignment(p) && p.name.getText() === 'name' && ts.isStringLiteralLike(p.initializer) ? [p.initializer.text] : []))[0] : undefined;
      const keys = columnArgs.map((arg) => columnRef(unwrapExpression(arg), param, columnOf));
      if (keys.length > 0 && keys.every((k) => k !== undefined)) {
        table.indexes = table.indexes.filter((i) => !i.primary);
        table.indexes.push({ name: name ?? `${table.name}_pkey`, table: table.name, schema: table.schema, keys: keys.map((column) => ({ column: column!, descending: false })), unique: true, primary: true, method: 'btree', include: [], origin: origin(item) });
      }
    } else if (kind === 'foreignKey') {
      const options = chain.root.arguments[0] && unwrapExpression(chain.root.arguments[0]);
      if (!options || !ts.isObjectLiteralExpression(options)) continue;
      const list = (key: string): ts.Expression[] => options.properties.flatMap((p) => (ts.isPropertyAssignment(p) && p.name.getText() === key && ts.isArrayLiteralExpression(p.initializer) ? [...p.initializer.elements] : []));
      const columns = list('columns').map((arg) => columnRef(unwrapExpression(arg), param, columnOf));
      if (columns.length === 0 || columns.some((c) => c === undefined)) continue;
      const fk: ForeignKey = { columns: columns as string[], origin: origin(item) };
      const foreign = list('foreignColumns')[0];
      const owner = foreign && ts.isPropertyAccessExpression(foreign) && ts.isIdentifier(foreign.expression) ? tableNames.get(foreign.expression.text) : undefined;
      if (owner) fk.referencedTable = owner;
      table.foreignKeys.push(fk);
    }
  }
}

/** `t.customerId` where `t` is the callback's parameter or the table variable: the column name. */
function columnRef(expression: ts.Expression, param: string | undefined, columnOf: Map<string, string>): string | undefined {
  if (!ts.isPropertyAccessExpression(expression)) return undefined;
  const owner = unwrapExpression(expression.expression);
  if (!ts.isIdentifier(owner) || (param !== undefined && owner.text !== param && !columnOf.has(expression.name.text))) return undefined;
  return columnOf.get(expression.name.text);
}

/** sql`lower(${t.email})` -> `lower(email)`, with the columns it mentions; undefined when an interpolation is not a column. */
function sqlText(template: ts.TaggedTemplateExpression, param: string | undefined, columnOf: Map<string, string>): { text: string; columns: string[] } | undefined {
  const t = template.template;
  if (ts.isNoSubstitutionTemplateLiteral(t)) return { text: normalise(t.text), columns: [] };
  let text = t.head.text;
  const columns: string[] = [];
  for (const span of t.templateSpans) {
    const column = columnRef(unwrapExpression(span.expression), param, columnOf);
    if (!column) return undefined;
    columns.push(column);
    text += column + span.literal.text;
  }
  return { text: normalise(text), columns };
}

function normalise(text: string): string {
  return text.replace(/"/g, '').replace(/\s+/g, ' ').trim();
}

/** An index key expression written the way SQL migrations' keys are (`lower(email)`), through the same parser. */
function keyExpression(text: string): string {
  if (sqlParserReady()) {
    const parsed = parseSql(`SELECT ${text}`);
    const value = parsed.kind === 'parsed' && parsed.statements.length === 1 ? parsed.statements[0]!.node?.SelectStmt?.targetList?.[0]?.ResTarget?.val : undefined;
    if (value) return expressionText(value);
  }
  return normalise(text);
}

/** Drizzle's `casing: 'snake_case'` conversion (`createdAt` -> `created_at`). */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}
