import { ts } from 'ts-morph';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { FactExtractor, ProjectView } from '../../engine/workspace/project-view';

/** What a receiver expression is, as far as the database is concerned. */
export type HandleKind =
  | 'typeorm-repository'
  | 'typeorm-manager'
  | 'prisma'
  | 'sequelize'
  | 'sequelize-model'
  | 'drizzle'
  | 'knex'
  | 'kysely'
  | 'pg'
  | 'postgres'
  | 'pg-promise'
  | 'mikro-em'
  | 'mikro-repo'
  | 'mikro-orm';

/** A type or class named `name` imported from `module`: a library's, or the project's own (`module` relative or undefined). */
export interface TypeRef {
  name: string;
  module?: string;
}

/**
 * What other files need to know about this one to tell its database handles apart, from its
 * top-level statements only: classes and the class they extend (`class UsersRepository extends
 * Repository<User>`, `class Post extends Model`), exported instances made by a library factory
 * (`export const db = drizzle(pool)`), type aliases (`type Db = Knex | Knex.Transaction`), the
 * names exported by `export { default as Post } from './post'`, and relation properties of
 * MikroORM entities (`Collection<Book>`, `Ref<Author>`).
 */
export interface DbTypeFacts {
  classes: Record<string, TypeRef | null>;
  /** Methods with a body each class declares itself: `getSummary` is not an association accessor. */
  methods: Record<string, string[]>;
  /** Exported variables (and `default`) holding a database handle. */
  instances: Record<string, HandleKind>;
  /** Exported type aliases, by the types they are a union of. */
  aliases: Record<string, TypeRef[]>;
  /** `export { default as Post } from './post'`: exported name -> where it comes from. */
  reexports: Record<string, { module: string; name: string }>;
  /** `export * from './x'`. */
  starExports: string[];
  /** The local name behind `export default X`. */
  defaultExport?: string;
  /** MikroORM entity properties typed `Collection<…>`, `Ref<…>` or `Reference<…>`. */
  mikroRelations: string[];
  /**
   * Sequelize models declared here: the primary key attribute when it is known for sure (one
   * `primaryKey: true` attribute in `Model.init` or a `@PrimaryKey` property; else a declared
   * `id`, Sequelize's default), `null` when it is composite or unknown.
   */
  sequelizeKeys: Record<string, string | null>;
  /** TypeORM entities: relation properties that load lazily (typed `Promise<…>` or `{ lazy: true }`). */
  lazyRelations: Record<string, string[]>;
}

/** Where `PrismaClient` may come from: the package, or a generator `output` folder. */
export function isPrismaModule(specifier: string): boolean {
  return /^@prisma\/client(\/|$)/.test(specifier) || /(^|[/@-])prisma([/-]client)?$/i.test(specifier) || /generated\/(prisma|client)/i.test(specifier) || /prisma.*\/client$/i.test(specifier);
}

export const isSequelizeModule = (module: string): boolean => /^sequelize(-typescript)?$/.test(module);
export const isMikroModule = (module: string): boolean => /^@mikro-orm\//.test(module);

/** The handle a library type stands for: `Repository` from typeorm, `Kysely` from kysely, `Pool` from pg. */
export function libraryTypeKind(module: string, name: string): HandleKind | undefined {
  if (module === 'typeorm') {
    if (/^(Repository|TreeRepository|MongoRepository)$/.test(name)) return 'typeorm-repository';
    if (/^(EntityManager|DataSource|Connection|MongoEntityManager)$/.test(name)) return 'typeorm-manager';
    return undefined;
  }
  if (name === 'PrismaClient' && isPrismaModule(module)) return 'prisma';
  if (isSequelizeModule(module)) {
    if (name === 'Sequelize') return 'sequelize';
    if (/^(ModelStatic|ModelCtor|ModelDefined|ModelType)$/.test(name)) return 'sequelize-model';
    return undefined;
  }
  if (/^drizzle-orm(\/|$)/.test(module)) return /(Database|Transaction)$/.test(name) ? 'drizzle' : undefined;
  if (module === 'knex') return /^(Knex|knex)$/.test(name) ? 'knex' : undefined;
  if (module === 'kysely') return /^(Kysely|Transaction|ControlledTransaction)$/.test(name) ? 'kysely' : undefined;
  if (module === 'pg') return /^(Pool|Client|PoolClient)$/.test(name) ? 'pg' : undefined;
  if (module === 'postgres') return /^(Sql|TransactionSql|ReservedSql)$/.test(name) ? 'postgres' : undefined;
  if (module === 'pg-promise') return /^(IDatabase|ITask|IBaseProtocol|IConnected)$/.test(name) ? 'pg-promise' : undefined;
  if (isMikroModule(module)) {
    if (/^(EntityManager|SqlEntityManager)$/.test(name)) return 'mikro-em';
    if (/^(EntityRepository|SqlEntityRepository)$/.test(name)) return 'mikro-repo';
    if (name === 'MikroORM') return 'mikro-orm';
  }
  return undefined;
}

/** What a class extending a library class is: a TypeORM repository, a Prisma client, a Sequelize model. */
export function libraryBaseKind(module: string, name: string): HandleKind | undefined {
  if (isSequelizeModule(module) && name === 'Model') return 'sequelize-model';
  // TypeORM Active Record: `User.findOneBy(…)`, `user.save()`.
  if (module === 'typeorm' && name === 'BaseEntity') return 'typeorm-repository';
  const kind = libraryTypeKind(module, name);
  return kind === 'typeorm-repository' || kind === 'prisma' || kind === 'mikro-repo' || kind === 'typeorm-manager' ? kind : undefined;
}

type Imports = ParsedFile['imports'];

/** `drizzle(pool)`, `knex(config)`, `new Kysely(…)`, `new Pool()`, `postgres(url)`, `pgp(cn)`, `new PrismaClient()`. */
export function factoryKind(expression: ts.Expression, imports: Imports, localFactories?: ReadonlyMap<string, HandleKind>, depth = 0): HandleKind | undefined {
  let current: ts.Expression = expression;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isAwaitExpression(current) || ts.isNonNullExpression(current)) current = current.expression;
    else if (ts.isBinaryExpression(current) && (current.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || current.operatorToken.kind === ts.SyntaxKind.BarBarToken)) current = current.right;
    else if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && current.expression.name.text === '$extends') current = current.expression.expression;
    else break;
  }
  const origin = (callee: ts.Expression): TypeRef | undefined => {
    if (ts.isIdentifier(callee)) {
      const binding = imports.get(callee.text);
      return binding ? { name: binding.imported, module: binding.module } : undefined;
    }
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
      const binding = imports.get(callee.expression.text);
      if (binding && (binding.imported === '*' || binding.imported === 'default')) return { name: callee.name.text, module: binding.module };
    }
    return undefined;
  };
  if (ts.isNewExpression(current)) {
    const ref = origin(current.expression);
    if (!ref?.module) return undefined;
    if (ref.module === 'pg' && /^(Pool|Client)$/.test(ref.name)) return 'pg';
    if (ref.module === 'kysely' && ref.name === 'Kysely') return 'kysely';
    if (isSequelizeModule(ref.module) && ref.name === 'Sequelize') return 'sequelize';
    if (ref.name === 'PrismaClient' && isPrismaModule(ref.module)) return 'prisma';
    if (ref.module === 'typeorm' && ref.name === 'DataSource') return 'typeorm-manager';
    return undefined;
  }
  if (!ts.isCallExpression(current)) return undefined;
  if (ts.isIdentifier(current.expression) && localFactories?.has(current.expression.text)) return localFactories.get(current.expression.text);
  const ref = origin(current.expression);
  if (ref?.module) {
    if (/^drizzle-orm(\/|$)/.test(ref.module) && ref.name === 'drizzle') return 'drizzle';
    if (ref.module === 'knex' && /^(default|knex|Knex)$/.test(ref.name)) return 'knex';
    if (ref.module === 'postgres' && ref.name === 'default') return 'postgres';
  }
  return singletonKind(current, imports, localFactories, depth);
}

/**
 * `remember('prisma', () => new PrismaClient())`, `singleton(() => drizzle(pool))`: a helper that
 * creates the client once and returns it. The client is what the callback builds.
 */
function singletonKind(call: ts.CallExpression, imports: Imports, localFactories?: ReadonlyMap<string, HandleKind>, depth = 0): HandleKind | undefined {
  const callback = call.arguments.find((argument) => ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) as ts.ArrowFunction | ts.FunctionExpression | undefined;
  if (!callback || depth > 3) return undefined;
  const returned: ts.Expression[] = [];
  if (!ts.isBlock(callback.body)) returned.push(callback.body);
  else {
    // Every return of the callback, its nested functions excepted: `if (!replicas) return prisma; return prisma.$extends(…)`.
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
      if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(callback.body, visit);
  }
  // The client is known only when every return gives the same kind.
  const kinds = new Set(returned.map((expression) => factoryKind(expression, imports, localFactories, depth) ?? localSingletonKind(expression, call, imports, localFactories, depth)));
  const [kind] = kinds;
  return kinds.size === 1 ? kind : undefined;
}

/** A return of a top-level `const` of the same file made by a singleton helper or a factory: `const prisma = remember('p', () => new PrismaClient())`. */
function localSingletonKind(expression: ts.Expression, call: ts.CallExpression, imports: Imports, localFactories: ReadonlyMap<string, HandleKind> | undefined, depth: number): HandleKind | undefined {
  let current = expression;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current)) current = current.expression;
    else if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && current.expression.name.text === '$extends') current = current.expression.expression;
    else break;
  }
  if (!ts.isIdentifier(current)) return undefined;
  const name = current.text;
  for (const statement of call.getSourceFile().statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== name || !declaration.initializer) continue;
      return factoryKind(declaration.initializer, imports, localFactories, depth + 1);
    }
  }
  return undefined;
}

/** `const pgp = pgPromise()`: names whose call makes a pg-promise database. */
export function localFactories(statements: readonly ts.Statement[], imports: Imports): Map<string, HandleKind> {
  const factories = new Map<string, HandleKind>();
  for (const statement of statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (!ts.isIdentifier(declaration.name) || !init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression)) continue;
      const binding = imports.get(init.expression.text);
      if (binding?.module === 'pg-promise') factories.set(declaration.name.text, 'pg-promise');
    }
  }
  return factories;
}

function typeRefOf(node: ts.TypeNode, imports: Imports): TypeRef | undefined {
  if (!ts.isTypeReferenceNode(node)) return undefined;
  const typeName = node.typeName;
  const left = ts.isIdentifier(typeName) ? typeName : ts.isIdentifier(typeName.left) ? typeName.left : undefined;
  if (!left) return undefined;
  const binding = imports.get(left.text);
  if (ts.isIdentifier(typeName)) return binding ? { name: binding.imported, module: binding.module } : { name: typeName.text };
  // `Knex.Transaction`, `Prisma.TransactionClient`
  if (!binding) return undefined;
  if (typeName.right.text === 'TransactionClient' && isPrismaModule(binding.module)) return { name: 'PrismaClient', module: binding.module };
  return { name: binding.imported === '*' ? typeName.right.text : binding.imported, module: binding.module };
}

export const dbTypeFacts: FactExtractor<DbTypeFacts> = {
  id: 'n-plus-one/db-types',
  textHint: /\bextends\b|\bexport\b/,
  extract(file: ParsedFile): DbTypeFacts {
    const facts: DbTypeFacts = { classes: {}, methods: {}, instances: {}, aliases: {}, reexports: {}, starExports: [], mikroRelations: [], sequelizeKeys: {}, lazyRelations: {} };
    const ast = file.ast;
    if (!ast) return facts;
    const imports = file.imports;
    const factories = localFactories(ast.statements, imports);
    const mikro = [...imports.entries()].some(([, binding]) => isMikroModule(binding.module));
    const isExported = (node: ts.Node): boolean => ts.getModifiers(node as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
    const isDefault = (node: ts.Node): boolean => ts.getModifiers(node as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ?? false;
    for (const statement of ast.statements) {
      if (ts.isClassDeclaration(statement) && statement.name) {
        const base = statement.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
        let ref: TypeRef | null = null;
        if (base && ts.isIdentifier(base)) {
          const binding = imports.get(base.text);
          ref = binding ? { name: binding.imported, module: binding.module } : { name: base.text };
        }
        facts.classes[statement.name.text] = ref;
        // Members the class writes itself (methods, getters, arrow properties), not `declare getAuthor: BelongsToGetAssociationMixin<…>`.
        if (ref) {
          facts.methods[statement.name.text] = statement.members
            .filter((member) => (ts.isMethodDeclaration(member) ? !!member.body : ts.isGetAccessorDeclaration(member) || (ts.isPropertyDeclaration(member) && !!member.initializer)) && !!member.name && ts.isIdentifier(member.name))
            .map((member) => (member.name as ts.Identifier).text);
        }
        if (isDefault(statement)) facts.defaultExport = statement.name.text;
        const lazy = lazyRelationsOf(statement, imports);
        if (lazy.length > 0) facts.lazyRelations[statement.name.text] = lazy;
        if (mikro) {
          for (const member of statement.members) {
            if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
            const created = member.initializer && ts.isNewExpression(member.initializer) && ts.isIdentifier(member.initializer.expression) ? member.initializer.expression.text : undefined;
            const type = member.type ? typeRefOf(member.type, imports) : created ? { name: imports.get(created)?.imported ?? created, module: imports.get(created)?.module } : undefined;
            if (type?.module && isMikroModule(type.module) && /^(Collection|Ref|Reference)$/.test(type.name)) facts.mikroRelations.push(member.name.text);
          }
        }
      } else if (ts.isVariableStatement(statement) && isExported(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (!ts.isIdentifier(declaration.name)) continue;
          const declared = declaration.type && typeRefOf(declaration.type, imports);
          const kind = (declared?.module && libraryTypeKind(declared.module, declared.name)) || (declaration.initializer && factoryKind(declaration.initializer, imports, factories));
          if (kind) facts.instances[declaration.name.text] = kind;
        }
      } else if (ts.isTypeAliasDeclaration(statement)) {
        const members = ts.isUnionTypeNode(statement.type) ? statement.type.types : [statement.type];
        const refs = members.map((member) => typeRefOf(member, imports)).filter((ref): ref is TypeRef => !!ref);
        if (refs.length === members.length) facts.aliases[statement.name.text] = refs;
      } else if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
        if (ts.isIdentifier(statement.expression)) facts.defaultExport = statement.expression.text;
        else {
          const kind = factoryKind(statement.expression, imports, factories);
          if (kind) facts.instances.default = kind;
        }
      } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
        const module = statement.moduleSpecifier.text;
        const clause = statement.exportClause;
        if (!clause) facts.starExports.push(module);
        else if (ts.isNamedExports(clause)) {
          for (const element of clause.elements) facts.reexports[element.name.text] = { module, name: (element.propertyName ?? element.name).text };
        }
      } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) {
          if (element.name.text === 'default' && element.propertyName) facts.defaultExport = element.propertyName.text;
        }
      }
    }
    if ([...imports.entries()].some(([, binding]) => isSequelizeModule(binding.module))) sequelizePrimaryKeys(ast, facts);
    // `const db = drizzle(pool); export { db }` / `export default db`
    for (const statement of ast.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || facts.instances[declaration.name.text]) continue;
        const kind = declaration.initializer && factoryKind(declaration.initializer, imports, factories);
        if (!kind) continue;
        if (facts.defaultExport === declaration.name.text) facts.instances.default = kind;
        if (exportsLocally(ast, declaration.name.text)) facts.instances[declaration.name.text] = kind;
      }
    }
    // `export { prismaWithReplicas as prisma }`: the handle under the name other files import.
    for (const statement of ast.statements) {
      if (!ts.isExportDeclaration(statement) || statement.moduleSpecifier || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue;
      for (const element of statement.exportClause.elements) {
        const kind = element.propertyName ? facts.instances[element.propertyName.text] : undefined;
        if (kind && element.name.text !== 'default') facts.instances[element.name.text] = kind;
      }
    }
    return facts;
  },
};

const TYPEORM_RELATIONS = /^(ManyToOne|OneToOne|OneToMany|ManyToMany)$/;

/** `@ManyToOne(() => Customer, { lazy: true }) customer: Promise<Customer>`: relation properties TypeORM loads on `await`. */
function lazyRelationsOf(cls: ts.ClassDeclaration, imports: Imports): string[] {
  const names: string[] = [];
  for (const member of cls.members) {
    if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
    const relation = (ts.getDecorators(member) ?? []).find((decorator) => {
      const expression = decorator.expression;
      return ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && TYPEORM_RELATIONS.test(expression.expression.text) && imports.get(expression.expression.text)?.module === 'typeorm';
    });
    if (!relation || !ts.isCallExpression(relation.expression)) continue;
    const promiseTyped = !!member.type && ts.isTypeReferenceNode(member.type) && ts.isIdentifier(member.type.typeName) && member.type.typeName.text === 'Promise';
    const lazyOption = relation.expression.arguments.some(
      (argument) => ts.isObjectLiteralExpression(argument) && argument.properties.some((property) => ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'lazy' && property.initializer.kind === ts.SyntaxKind.TrueKeyword),
    );
    if (promiseTyped || lazyOption) names.push(member.name.text);
  }
  return names;
}

/** `facts.sequelizeKeys` for the classes of this file that extend something. */
function sequelizePrimaryKeys(ast: ts.SourceFile, facts: DbTypeFacts): void {
  const explicit = new Map<string, string[]>();
  const declared = new Map<string, Set<string>>();
  const isTrue = (node: ts.Node | undefined): boolean => !!node && node.kind === ts.SyntaxKind.TrueKeyword;
  const marksKey = (options: ts.ObjectLiteralExpression): boolean => options.properties.some((inner) => ts.isPropertyAssignment(inner) && inner.name.getText(ast) === 'primaryKey' && isTrue(inner.initializer));
  const keysOf = (attributes: ts.ObjectLiteralExpression): string[] =>
    attributes.properties
      .filter((property): property is ts.PropertyAssignment => ts.isPropertyAssignment(property) && ts.isObjectLiteralExpression(property.initializer) && marksKey(property.initializer))
      .map((property) => property.name.getText(ast).replace(/^['"]|['"]$/g, ''));
  for (const statement of ast.statements) {
    if (ts.isClassDeclaration(statement) && statement.name && facts.classes[statement.name.text]) {
      const names = new Set<string>();
      const keys: string[] = [];
      for (const member of statement.members) {
        if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
        names.add(member.name.text);
        for (const decorator of ts.getDecorators(member) ?? []) {
          const expression = decorator.expression;
          const callee = ts.isCallExpression(expression) ? expression.expression : expression;
          const options = ts.isCallExpression(expression) && expression.arguments[0] && ts.isObjectLiteralExpression(expression.arguments[0]) ? expression.arguments[0] : undefined;
          if (ts.isIdentifier(callee) && (callee.text === 'PrimaryKey' || (callee.text === 'Column' && !!options && marksKey(options)))) keys.push(member.name.text);
        }
      }
      declared.set(statement.name.text, names);
      if (keys.length > 0) explicit.set(statement.name.text, keys);
    }
    if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) continue;
    const call = statement.expression;
    if (!ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'init' || !ts.isIdentifier(call.expression.expression)) continue;
    const attributes = call.arguments[0];
    if (attributes && ts.isObjectLiteralExpression(attributes)) explicit.set(call.expression.expression.text, keysOf(attributes));
  }
  for (const [name, members] of declared) {
    const keys = explicit.get(name) ?? [];
    facts.sequelizeKeys[name] = keys.length === 1 ? keys[0]! : keys.length === 0 && members.has('id') ? 'id' : null;
  }
}

function exportsLocally(ast: ts.SourceFile, name: string): boolean {
  return ast.statements.some(
    (statement) => ts.isExportDeclaration(statement) && !statement.moduleSpecifier && !!statement.exportClause && ts.isNamedExports(statement.exportClause) && statement.exportClause.elements.some((element) => (element.propertyName ?? element.name).text === name),
  );
}

/** MikroORM relation property names across the project, for `book.author.load()` and `author.books.init()`. */
export function projectMikroRelations(project: ProjectView): Set<string> {
  const names = new Set<string>();
  for (const { facts } of project.allFacts(dbTypeFacts)) for (const name of facts.mikroRelations) names.add(name);
  return names;
}

/** Files declaring each class name across the project, for workspace packages the resolver cannot follow. */
/**
 * The classes a file declares with an `extends` clause. Its text hint is narrow on purpose:
 * `projectClassIndex` asks every file of the project, and with `dbTypeFacts` (whose hint matches
 * any file that exports) that meant parsing the whole project a second time on the first lookup.
 */
export const extendingClassFacts: FactExtractor<string[]> = {
  id: 'n-plus-one/extending-classes',
  textHint: /\bclass\s+[\w$]+[^{;]*?\bextends\b/,
  extract(file: ParsedFile): string[] {
    const names: string[] = [];
    for (const statement of file.ast?.statements ?? []) {
      if (ts.isClassDeclaration(statement) && statement.name && statement.heritageClauses?.some((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)) names.push(statement.name.text);
    }
    return names;
  },
};

export function projectClassIndex(project: ProjectView): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const { filePath, facts } of project.allFacts(extendingClassFacts)) {
    for (const name of facts) {
      const files = index.get(name) ?? [];
      files.push(filePath);
      index.set(name, files);
    }
  }
  return index;
}
