import { ts } from 'ts-morph';
import { isFunctionLike, unwrapExpression } from '../../engine/ast/call-shape';
import type { Span } from '../../engine/model/location';
import type { ParsedFile } from '../../engine/source/parsed-file';

/** A GraphQL field resolver: GraphQL runs it once for every parent object of a list. */
export interface FieldResolver {
  kind: 'nestjs' | 'type-graphql' | 'resolver-map';
  fn: ts.FunctionLikeDeclaration;
  /** `Post` in `Post.author`. */
  typeName: string;
  /** `author` in `Post.author`. */
  fieldName: string;
  /** The parent parameter: `@Parent() post`, `@Root() recipe`, the first parameter of a map field. */
  parent: ts.ParameterDeclaration;
  /** The decorator or the property name, for the related location. */
  header: Span;
}

/** Cheap text test before any walking: files without these words declare no field resolver. */
export const GRAPHQL_HINT = /\b(ResolveField|FieldResolver)\b|[rR]esolvers\b/;

const ROOT_TYPES = /^(Query|Mutation|Subscription)$/;
/** Calls that build a schema or server from a resolver map: `new ApolloServer({ resolvers })`. */
const SCHEMA_BUILDERS: Record<string, RegExp> = {
  ApolloServer: /^(@apollo\/server|apollo-server(-\w+)?|@apollo\/server\/.*)$/,
  makeExecutableSchema: /^(@graphql-tools\/schema|graphql-tools)$/,
  createSchema: /^graphql-yoga$/,
  createYoga: /^graphql-yoga$/,
  buildSubgraphSchema: /^@apollo\/subgraph$/,
  buildFederatedSchema: /^@apollo\/federation$/,
  mercurius: /^mercurius$/,
};
/** Generated or library resolver-map types: `const resolvers: Resolvers = { … }`. */
const RESOLVER_MAP_TYPE = /^(I?Resolvers|IResolvers|ResolverMap|GraphQLResolverMap)$/;
const GRAPHQL_MODULE = /graphql|apollo|mercurius|yoga/i;

/** Every field resolver the file declares. */
export function fieldResolvers(file: ParsedFile): FieldResolver[] {
  const ast = file.ast;
  if (!ast || !GRAPHQL_HINT.test(file.text)) return [];
  const found: FieldResolver[] = [];
  const maps = new Set<ts.ObjectLiteralExpression>();
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node)) classResolvers(node, file, found);
    const map = resolverMapOf(node, file);
    if (map) maps.add(map);
    ts.forEachChild(node, visit);
  };
  visit(ast);
  for (const map of maps) mapResolvers(map, file, found);
  return found;
}

function decoratorFrom(node: ts.Node, file: ParsedFile, names: RegExp, module: RegExp): ts.Decorator | undefined {
  if (!ts.canHaveDecorators(node)) return undefined;
  for (const decorator of ts.getDecorators(node) ?? []) {
    const expression = decorator.expression;
    const callee = ts.isCallExpression(expression) ? expression.expression : expression;
    if (!ts.isIdentifier(callee)) continue;
    const binding = file.imports.get(callee.text);
    if (binding && names.test(binding.imported) && module.test(binding.module)) return decorator;
  }
  return undefined;
}

const NEST = /^@nestjs\/graphql$/;
const TYPE_GRAPHQL = /^type-graphql$/;

/** `@Resolver(() => Post)` classes: their `@ResolveField()` (NestJS) or `@FieldResolver()` (type-graphql) methods. */
function classResolvers(cls: ts.ClassDeclaration, file: ParsedFile, found: FieldResolver[]): void {
  const nest = decoratorFrom(cls, file, /^Resolver$/, NEST);
  const typeGraphql = !nest ? decoratorFrom(cls, file, /^Resolver$/, TYPE_GRAPHQL) : undefined;
  const resolver = nest ?? typeGraphql;
  if (!resolver) return;
  const module = nest ? NEST : TYPE_GRAPHQL;
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member) || !member.body) continue;
    const field = decoratorFrom(member, file, nest ? /^ResolveField$/ : /^FieldResolver$/, module);
    if (!field) continue;
    const parent = member.parameters.find((parameter) => decoratorFrom(parameter, file, nest ? /^Parent$/ : /^Root$/, module));
    if (!parent) continue;
    const fieldArgument = ts.isCallExpression(field.expression) ? field.expression.arguments[0] : undefined;
    const fieldName = fieldArgument && ts.isStringLiteralLike(fieldArgument) ? fieldArgument.text : member.name.getText(file.ast);
    found.push({
      kind: nest ? 'nestjs' : 'type-graphql',
      fn: member,
      typeName: resolvedTypeName(resolver, parent, cls),
      fieldName,
      parent,
      header: { start: field.getStart(file.ast), end: field.end },
    });
  }
}

/** `@Resolver(() => Post)`, `@Resolver(of => Post)`, `@Resolver(Post)`, `@Resolver('Post')`, else the parent's declared type. */
function resolvedTypeName(decorator: ts.Decorator, parent: ts.ParameterDeclaration, cls: ts.ClassDeclaration): string {
  const argument = ts.isCallExpression(decorator.expression) ? decorator.expression.arguments[0] : undefined;
  let target = argument && unwrapExpression(argument);
  if (target && (ts.isArrowFunction(target) || ts.isFunctionExpression(target)) && ts.isExpression(target.body)) target = unwrapExpression(target.body);
  if (target && ts.isIdentifier(target)) return target.text;
  if (target && ts.isStringLiteralLike(target)) return target.text;
  const type = parent.type;
  if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) return type.typeName.text;
  return cls.name?.text.replace(/Resolver$/, '') ?? 'the parent type';
}

/**
 * An object literal that is a resolver map: handed to a schema builder imported from a GraphQL
 * library (`new ApolloServer({ resolvers })`, `makeExecutableSchema`, `createSchema`), typed with
 * a resolver-map type, or exported under a name ending in `resolvers` from a file that imports a
 * GraphQL library.
 */
function resolverMapOf(node: ts.Node, file: ParsedFile): ts.ObjectLiteralExpression | undefined {
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
    const callee = unwrapExpression(node.expression);
    if (!ts.isIdentifier(callee)) return undefined;
    const binding = file.imports.get(callee.text);
    const pattern = binding && SCHEMA_BUILDERS[binding.imported];
    if (!binding || !pattern || !pattern.test(binding.module)) return undefined;
    for (const argument of node.arguments ?? []) {
      const options = unwrapExpression(argument);
      if (!ts.isObjectLiteralExpression(options)) continue;
      for (const property of options.properties) {
        if (!property.name || !ts.isIdentifier(property.name) || property.name.text !== 'resolvers') continue;
        const value = ts.isPropertyAssignment(property) ? unwrapExpression(property.initializer) : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
        const map = value && localObject(value);
        if (map) return map;
      }
    }
    return undefined;
  }
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
    const init = unwrapExpression(node.initializer);
    if (!ts.isObjectLiteralExpression(init)) return undefined;
    const type = node.type;
    if (type && ts.isTypeReferenceNode(type)) {
      const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
      if (RESOLVER_MAP_TYPE.test(name)) return init;
    }
    if (/resolvers$/i.test(node.name.text) && isExported(node) && importsGraphql(file)) return init;
  }
  return undefined;
}

function localObject(value: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (ts.isObjectLiteralExpression(value)) return value;
  if (!ts.isIdentifier(value)) return undefined;
  const source = value.getSourceFile();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === value.text && declaration.initializer) {
        const init = unwrapExpression(declaration.initializer);
        return ts.isObjectLiteralExpression(init) ? init : undefined;
      }
    }
  }
  return undefined;
}

function isExported(declaration: ts.VariableDeclaration): boolean {
  const statement = declaration.parent?.parent;
  if (statement && ts.isVariableStatement(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  const name = (declaration.name as ts.Identifier).text;
  return declaration.getSourceFile().statements.some(
    (statement) =>
      (ts.isExportAssignment(statement) && ts.isIdentifier(statement.expression) && statement.expression.text === name) ||
      (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && !!statement.exportClause && ts.isNamedExports(statement.exportClause) && statement.exportClause.elements.some((element) => (element.propertyName ?? element.name).text === name)),
  );
}

function importsGraphql(file: ParsedFile): boolean {
  for (const [, binding] of file.imports.entries()) if (GRAPHQL_MODULE.test(binding.module)) return true;
  return false;
}

/** `{ Post: { author: (post) => …, comments: { resolve(post) { … } } } }`; root types and `__resolveType`-style keys are skipped. */
function mapResolvers(map: ts.ObjectLiteralExpression, file: ParsedFile, found: FieldResolver[]): void {
  for (const typeProperty of map.properties) {
    if (!ts.isPropertyAssignment(typeProperty)) continue;
    const typeName = propertyName(typeProperty.name);
    if (!typeName || ROOT_TYPES.test(typeName) || typeName.startsWith('__')) continue;
    const fields = unwrapExpression(typeProperty.initializer);
    if (!ts.isObjectLiteralExpression(fields)) continue;
    for (const fieldProperty of fields.properties) {
      const fieldName = fieldProperty.name && propertyName(fieldProperty.name);
      if (!fieldName || fieldName.startsWith('__')) continue;
      const fn = fieldFunction(fieldProperty);
      const parent = fn?.parameters[0];
      if (!fn || !parent || !fn.body) continue;
      found.push({ kind: 'resolver-map', fn, typeName, fieldName, parent, header: { start: fieldProperty.name!.getStart(file.ast), end: fieldProperty.name!.end } });
    }
  }
}

function fieldFunction(property: ts.ObjectLiteralElementLike): ts.FunctionLikeDeclaration | undefined {
  if (ts.isMethodDeclaration(property)) return property;
  if (!ts.isPropertyAssignment(property)) return undefined;
  const value = unwrapExpression(property.initializer);
  if (isFunctionLike(value)) return value;
  // `author: { resolve: (post) => …, description: '…' }`
  if (ts.isObjectLiteralExpression(value)) {
    const resolve = value.properties.find((inner) => inner.name && propertyName(inner.name) === 'resolve');
    return resolve ? fieldFunction(resolve) : undefined;
  }
  return undefined;
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name)) return name.text;
  return undefined;
}

/** Names that carry the parent: the parameter (or its destructured names) and locals computed from them. */
export function parentNames(resolver: FieldResolver): Set<string> {
  const names = new Set<string>();
  collectNames(resolver.parent.name, names);
  const body = resolver.fn.body;
  if (!body) return names;
  for (let pass = 0; pass < 2; pass++) {
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && node.initializer && mentionsAny(node.initializer, names)) collectNames(node.name, names);
      ts.forEachChild(node, visit);
    };
    visit(body);
  }
  return names;
}

function collectNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collectNames(element.name, into);
}

/** Whether `node` reads one of `names` as a value (not as a property name after a dot or a key). */
export function mentionsAny(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (ts.isIdentifier(node)) {
    const parent = node.parent;
    if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
    if (parent && ts.isPropertyAssignment(parent) && parent.name === node) return false;
    return names.has(node.text);
  }
  return ts.forEachChild(node, (child) => mentionsAny(child, names) || undefined) ?? false;
}
