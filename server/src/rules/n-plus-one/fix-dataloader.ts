import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { propertyName, propertyValue } from '../../engine/ast/object-literal';
import type { FixReport, SpanEdit } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { DbCall } from './db-call';
import type { FieldResolver } from './graphql-resolvers';

const NEST_GRAPHQL = '@nestjs/graphql';
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * A NestJS `@ResolveField` that looks one row up by a key of its parent, directly with the ORM:
 *
 *   author(@Parent() post: Post) { return this.users.findOneBy({ id: post.authorId }); }
 *
 * becomes `return this.authorLoader(context).load(post.authorId)` with an `@Context() context`
 * parameter, and three private members next to the method: a `WeakMap` from the GraphQL context
 * object (one per request) to its DataLoader, the accessor that creates the request's loader on
 * first use, and the factory whose batch function runs one `findBy({ id: In(keys) })` /
 * `findMany({ where: { id: { in: keys } } })` and returns the rows in key order (null when
 * missing, as the finder did). Everything stays in the resolver's file: the loader lives exactly
 * as long as the request's context object, so its cache never crosses requests or users.
 *
 * Offered only when the rewrite is mechanical: TypeORM `findOneBy({ k: parent.x })` /
 * `findOne({ where: { k: parent.x } })` or Prisma `findUnique` / `findFirst({ where: { k:
 * parent.x } })` (`relations` / `include` kept), awaited or returned, on a repository or client
 * reached through `this` or an import, with a parent parameter declared with a type.
 */
export function dataLoaderFix(resolver: FieldResolver, db: DbCall, file: ParsedFile): FixReport | undefined {
  const ast = file.ast;
  if (!ast || resolver.kind !== 'nestjs' || db.access !== 'read') return undefined;
  const method = resolver.fn;
  const cls = method.parent;
  if (!ts.isMethodDeclaration(method) || !ts.isIdentifier(method.name) || !cls || !ts.isClassDeclaration(cls) || !cls.name) return undefined;
  const parent = resolver.parent;
  if (!ts.isIdentifier(parent.name) || !parent.type || parent.questionToken || parent.dotDotDotToken) return undefined;

  const call = db.node;
  if (!ts.isCallExpression(call) || call.arguments.length !== 1 || (db.whole && db.whole !== call)) return undefined;
  if (!isAwaitedOrReturned(call, method)) return undefined;
  // The receiver of the finder: `this.users`, `this.prisma.user`.
  const callee = unwrapExpression(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.questionDotToken) return undefined;
  const handle = unwrapExpression(callee.expression);
  if (!isStableHandle(handle, file)) return undefined;
  const argument = unwrapExpression(call.arguments[0]!);
  if (!ts.isObjectLiteralExpression(argument)) return undefined;

  let where: ts.ObjectLiteralExpression | undefined;
  const kept: string[] = [];
  if (db.orm === 'typeorm' && db.method === 'findOneBy') where = argument;
  else if ((db.orm === 'typeorm' && db.method === 'findOne') || (db.orm === 'prisma' && /^(findUnique|findFirst)$/.test(db.method))) {
    for (const property of argument.properties) {
      const name = propertyName(property);
      const value = propertyValue(property);
      if (name === 'where' && value && ts.isObjectLiteralExpression(unwrapExpression(value))) where = unwrapExpression(value) as ts.ObjectLiteralExpression;
      else if (name === (db.orm === 'typeorm' ? 'relations' : 'include') && ts.isPropertyAssignment(property) && !mentionsLocal(property.initializer)) kept.push(property.getText(ast));
      else return undefined;
    }
  } else return undefined;
  if (!where || where.properties.length !== 1 || !ts.isPropertyAssignment(where.properties[0]!) && !ts.isShorthandPropertyAssignment(where.properties[0]!)) return undefined;
  const key = propertyName(where.properties[0]!);
  const value = propertyValue(where.properties[0]!);
  const path = value && parentPath(value, parent.name.text);
  if (!key || !IDENTIFIER.test(key) || !path || path.length === 0) return undefined;

  // Names: the request's loader accessor, its map and its factory, free in the class.
  const classText = cls.getText(ast);
  const base = method.name.text;
  const accessor = freeMember(`${base}Loader`, classText);
  const map = freeMember(`${base}Loaders`, classText);
  const factory = freeMember(`create${base[0]!.toUpperCase()}${base.slice(1)}Loader`, classText);

  // Imports: DataLoader (a value import), Context from @nestjs/graphql, In from typeorm.
  const imports = importEdits(file, db.orm === 'typeorm');
  if (!imports) return undefined;
  const { dataLoader, context: contextDecorator, edits } = imports;

  // The GraphQL context parameter: an existing whole `@Context()` parameter, else a new one.
  let contextName = existingContextParameter(method, contextDecorator, file);
  if (!contextName) {
    contextName = freeLocal(['context', 'ctx', 'requestContext'], method.getText(ast));
    const last = method.parameters[method.parameters.length - 1]!;
    edits.push({ span: { start: last.end, end: last.end }, newText: `, @${contextDecorator}() ${contextName}: object` });
  }

  const keyText = value!.getText(ast);
  edits.push({ span: { start: call.getStart(ast), end: call.end }, newText: `this.${accessor}(${contextName}).load(${keyText})` });

  const handleText = handle.getText(ast);
  const extra = kept.length > 0 ? `, ${kept.join(', ')}` : '';
  const batch =
    db.orm === 'typeorm'
      ? kept.length === 0
        ? `${handleText}.findBy({ ${key}: In([...keys]) })`
        : `${handleText}.find({ where: { ${key}: In([...keys]) }${extra} })`
      : `${handleText}.findMany({ where: { ${key}: { in: [...keys] } }${extra} })`;
  const keyType = `NonNullable<${parent.type.getText(ast)}${path.map((name) => `['${name}']`).join('')}>`;
  const indent = indentOf(method, file);
  const loaderType = `ReturnType<${cls.name.text}['${factory}']>`;
  const members = [
    '',
    '',
    `${indent}/** One DataLoader per GraphQL request, keyed by its context object: the \`${resolver.fieldName}\` of every \`${resolver.typeName}\` in a response comes from one query. */`,
    `${indent}private readonly ${map} = new WeakMap<object, ${loaderType}>();`,
    '',
    `${indent}private ${accessor}(${contextName}: object): ${loaderType} {`,
    `${indent}  let loader = this.${map}.get(${contextName});`,
    `${indent}  if (!loader) {`,
    `${indent}    loader = this.${factory}();`,
    `${indent}    this.${map}.set(${contextName}, loader);`,
    `${indent}  }`,
    `${indent}  return loader;`,
    `${indent}}`,
    '',
    `${indent}private ${factory}() {`,
    `${indent}  return new ${dataLoader}(async (keys: readonly ${keyType}[]) => {`,
    `${indent}    const rows = await ${batch};`,
    `${indent}    const byKey = new Map(rows.map((row) => [row.${key}, row]));`,
    `${indent}    // DataLoader needs one result per key, in the order of the keys.`,
    `${indent}    return keys.map((key) => byKey.get(key) ?? null);`,
    `${indent}  });`,
    `${indent}}`,
  ].join('\n');
  edits.push({ span: { start: method.end, end: method.end }, newText: members });
  return { title: `Batch \`${resolver.typeName}.${resolver.fieldName}\` with a request-scoped DataLoader`, isPreferred: false, edits };
}

/** `await <call>`, `return <call>` or an arrow body: a Promise of the row is all the code needs. */
function isAwaitedOrReturned(call: ts.CallExpression, method: ts.MethodDeclaration): boolean {
  let node: ts.Node = call;
  while (node.parent && ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isAwaitExpression(parent)) return true;
  return ts.isReturnStatement(parent) && parent.parent !== undefined && ts.isBlock(parent.parent) && parent.parent.parent === method;
}

/** `this.users`, `this.prisma.user`, `prisma.user` with `prisma` imported: the same value in every method of the class. */
function isStableHandle(handle: ts.Expression, file: ParsedFile): boolean {
  let node = handle;
  while (ts.isPropertyAccessExpression(node) && !node.questionDotToken) node = unwrapExpression(node.expression);
  if (node.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isIdentifier(node) && file.imports.get(node.text) !== undefined;
}

/** `relations: { author: true }`: literals only, nothing that reads the resolver's locals. */
function mentionsLocal(node: ts.Node): boolean {
  if (ts.isIdentifier(node)) {
    const parent = node.parent;
    return !(parent && ((ts.isPropertyAssignment(parent) && parent.name === node) || (ts.isPropertyAccessExpression(parent) && parent.name === node)));
  }
  return ts.forEachChild(node, (child) => mentionsLocal(child) || undefined) ?? false;
}

/** `post.authorId` → `['authorId']`, `post.author.id` → `['author', 'id']`; undefined for anything else. */
function parentPath(expression: ts.Expression, parent: string): string[] | undefined {
  const node = unwrapExpression(expression);
  if (ts.isIdentifier(node)) return node.text === parent ? [] : undefined;
  if (!ts.isPropertyAccessExpression(node) || node.questionDotToken || !ts.isIdentifier(node.name)) return undefined;
  const inner = parentPath(node.expression, parent);
  return inner && [...inner, node.name.text];
}

function freeMember(name: string, classText: string): string {
  for (let suffix = 0; ; suffix++) {
    const candidate = suffix === 0 ? name : `${name}${suffix + 1}`;
    if (!new RegExp(`\\b${candidate.replace(/\$/g, '\\$')}\\b`).test(classText)) return candidate;
  }
}

function freeLocal(names: string[], text: string): string {
  for (const name of names) if (!new RegExp(`\\b${name}\\b`).test(text)) return name;
  return freeMember('graphqlContext', text);
}

function existingContextParameter(method: ts.MethodDeclaration, decoratorName: string, file: ParsedFile): string | undefined {
  for (const parameter of method.parameters) {
    for (const decorator of ts.getDecorators(parameter) ?? []) {
      const expression = decorator.expression;
      if (!ts.isCallExpression(expression) || expression.arguments.length > 0 || !ts.isIdentifier(expression.expression)) continue;
      const binding = file.imports.get(expression.expression.text);
      if (expression.expression.text === decoratorName || (binding?.module === NEST_GRAPHQL && binding.imported === 'Context')) {
        // A whole context, typed as an object: `@Context() ctx: GqlContext`, not `ctx: any`-spread or a primitive.
        if (ts.isIdentifier(parameter.name) && !parameter.questionToken) return parameter.name.text;
      }
    }
  }
  return undefined;
}

function indentOf(node: ts.Node, file: ParsedFile): string {
  const start = node.getStart(file.ast);
  const lineStart = file.text.lastIndexOf('\n', start - 1) + 1;
  return /^[ \t]*/.exec(file.text.slice(lineStart, start))![0];
}

/**
 * The import edits the rewrite needs, and the local names to use. `import type DataLoader`
 * becomes a value import; new imports go in one edit before the first statement.
 */
function importEdits(file: ParsedFile, typeorm: boolean): { dataLoader: string; context: string; edits: SpanEdit[] } | undefined {
  const ast = file.ast!;
  const edits: SpanEdit[] = [];
  const added: string[] = [];

  let dataLoader: string | undefined;
  for (const statement of ast.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== 'dataloader') continue;
    const clause = statement.importClause;
    if (!clause?.name) continue;
    dataLoader = clause.name.text;
    if (clause.isTypeOnly) {
      if (clause.namedBindings) return undefined;
      const typeKeyword = clause.getStart(ast);
      edits.push({ span: { start: typeKeyword, end: clause.name.getStart(ast) }, newText: '' });
    }
    break;
  }
  if (!dataLoader) {
    if (file.imports.get('DataLoader') || declaresName(ast, 'DataLoader')) return undefined;
    dataLoader = 'DataLoader';
    added.push(`import DataLoader from 'dataloader';`);
  }

  const contextEdit = named(file, NEST_GRAPHQL, 'Context', edits, added);
  if (contextEdit === undefined) return undefined;
  if (typeorm && named(file, 'typeorm', 'In', edits, added) === undefined) return undefined;
  if (added.length > 0) {
    const first = ast.statements[0];
    const position = first ? first.getStart(ast) : 0;
    edits.push({ span: { start: position, end: position }, newText: `${added.join('\n')}\n` });
  }
  return { dataLoader, context: contextEdit, edits };
}

/** The local name of `name` from `module`, joining an existing named import or adding one; undefined when the name is taken. */
function named(file: ParsedFile, module: string, name: string, edits: SpanEdit[], added: string[]): string | undefined {
  const ast = file.ast!;
  for (const [local, binding] of file.imports.entries()) {
    if (binding.module === module && binding.imported === name && !isTypeOnlyBinding(binding.node)) return local;
  }
  if (file.imports.get(name)) return undefined;
  for (const statement of ast.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== module) continue;
    const namedBindings = statement.importClause?.namedBindings;
    if (statement.importClause?.isTypeOnly || !namedBindings || !ts.isNamedImports(namedBindings)) continue;
    const last = namedBindings.elements[namedBindings.elements.length - 1];
    if (!last) continue;
    edits.push({ span: { start: last.end, end: last.end }, newText: `, ${name}` });
    return name;
  }
  if (declaresName(ast, name)) return undefined;
  added.push(`import { ${name} } from '${module}';`);
  return name;
}

function isTypeOnlyBinding(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (ts.isImportSpecifier(current) && current.isTypeOnly) return true;
    if (ts.isImportClause(current)) return current.isTypeOnly;
    if (ts.isImportDeclaration(current)) return current.importClause?.isTypeOnly ?? false;
  }
  return false;
}

/** A class, function, variable, or type of the file's top level (or any block) named `name`. */
function declaresName(ast: ts.SourceFile, name: string): boolean {
  const visit = (node: ts.Node): boolean => {
    if ((ts.isClassDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node)) && node.name && ts.isIdentifier(node.name) && node.name.text === name) return true;
    return ts.forEachChild(node, visit) ?? false;
  };
  return visit(ast);
}
