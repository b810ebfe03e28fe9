import { ts } from 'ts-morph';
import type { ColumnFilter, ExtractedQuery } from '../../engine/queries/query-model';
import type { ParsedFile } from '../../engine/source/parsed-file';

/**
 * Whether a `like-contains` filter's pattern is known to start with a wildcard. The query model
 * says only that the filter is a LIKE / ILIKE / regex that no btree serves; whether the pattern
 * starts with `%` is read here, from the text after the column (SQL) or the code around the
 * filter (ORMs): a literal `'%abc'`, `'%' || $1`, a parameter bound to `` `%${q}%` `` or
 * `'%' + q`, Prisma's `contains` / `endsWith`. Anything else (an ILIKE with an unknown pattern,
 * a regex) is not known to be a leading wildcard: no finding.
 */
export function hasLeadingWildcard(file: ParsedFile, query: ExtractedQuery, filter: ColumnFilter): boolean {
  if (query.source === 'sql-file' || query.source === 'sql-string') return sqlPattern(file, filter);
  if (!file.ast) return false;
  const node = nodeAt(file.ast, filter.span.start, filter.span.end);
  if (!node) return false;
  if (query.source === 'prisma') return prismaPattern(node);
  return codePattern(node);
}

const SQL_LIKE = /^\s*\)?\s*(?:not\s+)?(?:i?like|~~\*?)\s+/i;

function sqlPattern(file: ParsedFile, filter: ColumnFilter): boolean {
  const after = file.text.slice(filter.span.end, filter.span.end + 200);
  const like = SQL_LIKE.exec(after);
  if (!like) return false;
  const pattern = after.slice(like[0].length);
  if (/^(?:E)?'[%_]/i.test(pattern) || /^'[%_]*'\s*\|\|/.test(pattern) || /^concat\s*\(\s*'[%_]/i.test(pattern)) return true;
  // A parameter: follow it to the value the code binds, when the SQL is a string in a call.
  if (!file.ast) return false;
  const placeholder = /^(?:\$(\d+)|:{1,3}(\w+)|\?)/.exec(pattern);
  if (!placeholder) return false;
  const literal = nodeAt(file.ast, filter.span.start, filter.span.end);
  const call = literal && enclosingCall(literal);
  if (!call) return false;
  const values = call.arguments.slice(call.arguments.findIndex((argument) => argument.pos <= filter.span.start && filter.span.end <= argument.end) + 1);
  if (placeholder[1]) {
    const list = values.find(ts.isArrayLiteralExpression);
    const value = list?.elements[Number(placeholder[1]) - 1];
    return value !== undefined && startsWithWildcard(value);
  }
  if (placeholder[2]) {
    const object = values.find(ts.isObjectLiteralExpression);
    const property = object?.properties.find((p) => p.name !== undefined && nameOf(p.name) === placeholder[2]);
    if (property && ts.isPropertyAssignment(property)) return startsWithWildcard(property.initializer);
    if (property && ts.isShorthandPropertyAssignment(property)) return startsWithWildcard(property.name);
  }
  return false;
}

/** `name: { contains: q }` and `{ endsWith: q }` are `LIKE '%' || q || '%'` in Prisma, with or without `mode: 'insensitive'`. */
function prismaPattern(node: ts.Node): boolean {
  const property = ancestor(node, ts.isPropertyAssignment, 3);
  const value = property && unwrap(property.initializer);
  if (!value || !ts.isObjectLiteralExpression(value)) return false;
  return value.properties.some((p) => ts.isPropertyAssignment(p) && /^(contains|endsWith)$/.test(nameOf(p.name) ?? '') && !isUndefined(p.initializer));
}

/**
 * ORM and query builder calls: `ILike(pattern)`, `{ [Op.iLike]: pattern }`, `.whereILike('name', pattern)`,
 * `.where('name', 'ilike', pattern)`, `ilike(users.name, pattern)`: the pattern is the last value next to the column.
 */
function codePattern(node: ts.Node): boolean {
  const parent = node.parent;
  if (parent && ts.isCallExpression(parent) && parent.arguments.some((argument) => argument === node)) {
    const last = parent.arguments[parent.arguments.length - 1]!;
    return last !== node && startsWithWildcard(last);
  }
  const property = ancestor(node, ts.isPropertyAssignment, 1);
  if (!property) return false;
  const value = unwrap(property.initializer);
  if (ts.isCallExpression(value)) return value.arguments.length > 0 && startsWithWildcard(value.arguments[0]!);
  if (ts.isObjectLiteralExpression(value)) return value.properties.some((p) => ts.isPropertyAssignment(p) && startsWithWildcard(p.initializer));
  return startsWithWildcard(value);
}

/** A pattern expression that starts with `%` or `_`: a literal, a template, a concatenation, or a const holding one. */
export function startsWithWildcard(expression: ts.Expression | ts.Identifier, depth = 0): boolean {
  const e = unwrap(expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return /^[%_]/.test(e.text);
  if (ts.isTemplateExpression(e)) return /^[%_]/.test(e.head.text);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return startsWithWildcard(e.left, depth);
  if (ts.isIdentifier(e) && depth < 2) {
    const initializer = constInitializer(e);
    return initializer !== undefined && startsWithWildcard(initializer, depth + 1);
  }
  return false;
}

/** The initializer of the `const` an identifier names, declared in the same function or file. */
function constInitializer(identifier: ts.Identifier): ts.Expression | undefined {
  let scope: ts.Node | undefined = identifier.parent;
  while (scope) {
    if (ts.isBlock(scope) || ts.isSourceFile(scope)) {
      for (const statement of scope.statements) {
        if (!ts.isVariableStatement(statement) || (statement.declarationList.flags & ts.NodeFlags.Const) === 0) continue;
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.name.text === identifier.text && declaration.initializer) return declaration.initializer;
        }
      }
    }
    scope = scope.parent;
  }
  return undefined;
}

function nodeAt(ast: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(ast) > start || node.end < end) return;
    found = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(ast, visit);
  return found;
}

function enclosingCall(node: ts.Node): ts.CallExpression | undefined {
  let current: ts.Node | undefined = node.parent;
  for (let depth = 0; current && depth < 4; depth++, current = current.parent) {
    if (ts.isCallExpression(current)) return current;
  }
  return undefined;
}

function ancestor<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T, levels: number): T | undefined {
  let current: ts.Node | undefined = node;
  for (let depth = 0; current && depth <= levels; depth++, current = current.parent) if (test(current)) return current;
  return undefined;
}

function unwrap(expression: ts.Expression): ts.Expression {
  let e = expression;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

function nameOf(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function isUndefined(expression: ts.Expression): boolean {
  return ts.isIdentifier(expression) && expression.text === 'undefined';
}
