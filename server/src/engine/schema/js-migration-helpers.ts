import { ts } from 'ts-morph';
import { unwrapExpression } from '../ast/call-shape';
import { propertyName, propertyValue } from '../ast/object-literal';
import type { ParsedFile } from '../source/parsed-file';
import { parseSql } from '../sql/sql-gate';
import type { CatalogIndex, SchemaOrigin, SchemaSourceKind } from './catalog-model';
import { ddlOpsOf, type DdlOp, type QName } from './sql-ddl';

/**
 * What the JavaScript migration sources (Knex schema builder, Sequelize queryInterface) share:
 * finding `up`, walking call chains, and reading the SQL strings a migration runs itself.
 */

/** A migrations folder: schema-builder calls elsewhere (seeds, tests, tools) are not the schema's history. */
export function inMigrationsFolder(filePath: string): boolean {
  return /[\\/]migrations?[\\/]/i.test(filePath);
}

/**
 * The `up` functions of a migration module: `exports.up = …`, `module.exports.up = …`,
 * `module.exports = { up … }`, `export default { up … }`, `export [async] function up`,
 * `export const up = …`, and a top-level `function up` exported by name.
 */
export function upFunctions(ast: ts.SourceFile): ts.SignatureDeclaration[] {
  const found: ts.SignatureDeclaration[] = [];
  const take = (value: ts.Expression | undefined): void => {
    const node = value && unwrapExpression(value);
    if (node && (ts.isFunctionExpression(node) || ts.isArrowFunction(node))) found.push(node);
  };
  const fromObject = (value: ts.Expression): void => {
    const node = unwrapExpression(value);
    if (!ts.isObjectLiteralExpression(node)) return;
    for (const property of node.properties) {
      if (propertyName(property) !== 'up') continue;
      if (ts.isMethodDeclaration(property)) found.push(property);
      else if (ts.isPropertyAssignment(property)) take(property.initializer);
    }
  };
  for (const statement of ast.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === 'up' && statement.body) found.push(statement);
    else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && declaration.name.text === 'up') take(declaration.initializer);
    } else if (ts.isExportAssignment(statement)) fromObject(statement.expression);
    else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = statement.expression.left;
      const targetText = target.getText(ast);
      if (/^(module\.)?exports\.up$/.test(targetText)) take(statement.expression.right);
      else if (targetText === 'module.exports') fromObject(statement.expression.right);
    }
  }
  return found;
}

/** The name of a function's `index`-th parameter, when it is a plain identifier. */
export function parameterName(fn: ts.SignatureDeclaration, index: number): string | undefined {
  const parameter = fn.parameters[index];
  return parameter && ts.isIdentifier(parameter.name) ? parameter.name.text : undefined;
}

export function bodyOf(fn: ts.SignatureDeclaration): ts.Node | undefined {
  return (fn as ts.FunctionLikeDeclaration).body;
}

/**
 * A call chain from its root: `knex.schema.withSchema('s').createTable(…)` -> root `knex`, links
 * `schema`, `withSchema(…)`, `createTable(…)`. Undefined when the root is not an identifier.
 */
export interface ChainLink {
  name: string;
  call?: ts.CallExpression;
}

export function chainOf(expression: ts.Expression): { root: string; links: ChainLink[] } | undefined {
  const links: ChainLink[] = [];
  let current = unwrapExpression(expression);
  for (;;) {
    if (ts.isCallExpression(current)) {
      const callee = unwrapExpression(current.expression);
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      links.push({ name: callee.name.text, call: current });
      current = unwrapExpression(callee.expression);
    } else if (ts.isPropertyAccessExpression(current)) {
      links.push({ name: current.name.text });
      current = unwrapExpression(current.expression);
    } else if (ts.isIdentifier(current)) {
      return { root: current.text, links: links.reverse() };
    } else return undefined;
  }
}

export function stringOf(expression: ts.Expression | undefined): string | undefined {
  const node = expression && unwrapExpression(expression);
  return node && ts.isStringLiteralLike(node) ? node.text : undefined;
}

/** `'a'` or `['a', 'b']` -> column names; undefined when any element is not a string literal. */
export function stringListOf(expression: ts.Expression | undefined): string[] | undefined {
  const node = expression && unwrapExpression(expression);
  if (!node) return undefined;
  if (ts.isStringLiteralLike(node)) return [node.text];
  if (!ts.isArrayLiteralExpression(node)) return undefined;
  const values = node.elements.map((element) => stringOf(element));
  return values.every((value): value is string => value !== undefined) && values.length > 0 ? values : undefined;
}

/** `'orders'` / `'billing.orders'` -> a qualified name (Knex and Sequelize both split on the dot). */
export function qualifiedName(name: string, schema?: string): QName {
  const dot = name.indexOf('.');
  if (dot > 0 && !schema) return { schema: name.slice(0, dot), name: name.slice(dot + 1) };
  return { schema: schema ?? 'public', name };
}

export function originOf(kind: SchemaSourceKind, file: ParsedFile, node: ts.Node): SchemaOrigin {
  return { kind, filePath: file.filePath, start: node.getStart(file.ast), end: node.getEnd() };
}

export function plainIndex(table: QName, columns: string[], options: { name: string; unique?: boolean; primary?: boolean; method?: string; where?: string; whereColumns?: string[] }, origin: SchemaOrigin): CatalogIndex {
  const index: CatalogIndex = {
    name: options.name,
    table: table.name,
    schema: table.schema,
    keys: columns.map((column) => ({ column, descending: false })),
    unique: options.unique === true || options.primary === true,
    primary: options.primary === true,
    method: options.method ?? 'btree',
    include: [],
    origin,
  };
  if (options.where !== undefined) {
    index.where = options.where;
    index.whereColumns = options.whereColumns ?? [];
  }
  return index;
}

/**
 * The DDL of a SQL string the migration runs itself (`knex.raw('CREATE INDEX …')`,
 * `queryInterface.sequelize.query(…)`). A template with substitutions is not read: its text is
 * not known.
 */
export function sqlStringOps(argument: ts.Expression | undefined, file: ParsedFile, kind: SchemaSourceKind, problems: string[], namedPlaceholders = false): DdlOp[] {
  const literal = argument && unwrapExpression(argument);
  if (!literal || !(ts.isStringLiteral(literal) || ts.isNoSubstitutionTemplateLiteral(literal))) return [];
  const ast = file.ast!;
  // Sequelize's `replacements: { teamId }` fill `:teamId`: a `$1` of the same length parses and keeps offsets.
  const text = namedPlaceholders ? literal.text.replace(/(?<![:\w]):([A-Za-z_]\w*)/g, (match) => '$1'.padEnd(match.length, ' ')) : literal.text;
  const result = parseSql(text);
  const base = literal.getStart(ast) + 1;
  const raw = literal.getText(ast).slice(1, -1);
  // Offsets inside the string map to the file one to one when the literal has no escapes.
  const toFileOffset = raw === literal.text ? (offset: number) => base + offset : () => base;
  if (result.kind === 'parsed' || result.kind === 'syntax-error') {
    if (result.kind === 'syntax-error') problems.push(`a SQL string at line ${file.lineMap.positionAt(base).line + 1} does not parse: ${result.message}`);
    return result.statements.flatMap((statement) => ddlOpsOf(statement, { kind, filePath: file.filePath, toFileOffset }));
  }
  problems.push(result.reason);
  return [];
}

/**
 * A column type as a migration writes it: `'boolean'`, `Sequelize.BOOLEAN`, `DataTypes.STRING(40)`,
 * `"TIMESTAMP WITH TIME ZONE"`, lower-cased; undefined when it is not written plainly.
 */
export function columnTypeOf(expression: ts.Expression | undefined): string | undefined {
  let node = expression && unwrapExpression(expression);
  if (node && ts.isCallExpression(node)) node = unwrapExpression(node.expression);
  if (!node) return undefined;
  if (ts.isStringLiteralLike(node)) return node.text.toLowerCase() || undefined;
  if (ts.isPropertyAccessExpression(node)) return node.name.text.toLowerCase();
  return undefined;
}

/** An object literal's `name: value` properties (spreads and computed names left out). */
export function objectProperties(expression: ts.Expression | undefined): Map<string, ts.Expression> {
  const map = new Map<string, ts.Expression>();
  const node = expression && unwrapExpression(expression);
  if (!node || !ts.isObjectLiteralExpression(node)) return map;
  for (const property of node.properties) {
    const name = propertyName(property);
    const value = propertyValue(property);
    if (name && value) map.set(name, value);
  }
  return map;
}

export const isTrueLiteral = (expression: ts.Expression | undefined): boolean => !!expression && unwrapExpression(expression).kind === ts.SyntaxKind.TrueKeyword;
