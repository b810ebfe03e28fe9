import { ts } from 'ts-morph';
import { isFunctionLike, unwrapExpression } from '../../engine/ast/call-shape';
import { classMember, enclosingClass, resolveName } from '../../engine/ast/scope';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { ProjectView } from '../../engine/workspace/project-view';
import { dbTypeFacts, factoryKind, type DbTypeFacts, isMikroModule, libraryBaseKind, libraryTypeKind, localFactories, projectClassIndex, projectMikroRelations, type HandleKind, type TypeRef } from './project-db-types';

export type { HandleKind } from './project-db-types';

const MAX_DEPTH = 6;
/** Methods of a handle that give another handle of the same library: `pool.connect()`, `em.fork()`. */
const SAME_KIND_METHODS: Partial<Record<HandleKind, RegExp>> = {
  pg: /^connect$/,
  postgres: /^reserve$/,
  'mikro-em': /^fork$/,
  knex: /^(transaction|transactionProvider)$/,
  kysely: /^(withSchema|withPlugin|withoutPlugins)$/,
};
/** Callbacks whose parameter is a handle of the same library: transactions and tasks. */
const TRANSACTION_METHODS: Partial<Record<HandleKind, RegExp>> = {
  prisma: /^\$transaction$/,
  'typeorm-manager': /^transaction$/,
  drizzle: /^transaction$/,
  knex: /^transaction$/,
  kysely: /^execute$/,
  'pg-promise': /^(tx|task|txIf|taskIf)$/,
  postgres: /^begin$/,
  'mikro-em': /^transactional$/,
};

/**
 * Decides which expressions are database handles, from imports and declared types only:
 * `@InjectRepository(User) private users: Repository<User>`, `private prisma: PrismaService`
 * where a project class `PrismaService extends PrismaClient`, `dataSource.getRepository(X)`,
 * `import { db } from './db'` where db.ts exports `drizzle(pool)`, `private db: Db` where
 * `type Db = Knex | Knex.Transaction`, a Sequelize model class, the `tx` of a transaction
 * callback. Never from a method name alone.
 */
export class HandleResolver {
  private readonly memo = new Map<ts.Node, HandleKind | null>();
  private factories: Map<string, HandleKind> | undefined;

  constructor(
    readonly file: ParsedFile,
    readonly project: ProjectView,
  ) {}

  kindOf(expression: ts.Expression, depth = 0): HandleKind | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrapExpression(expression);
    const cached = this.memo.get(node);
    if (cached !== undefined) return cached ?? undefined;
    this.memo.set(node, null);
    const kind = this.compute(node, depth);
    this.memo.set(node, kind ?? null);
    return kind;
  }

  private compute(node: ts.Expression, depth: number): HandleKind | undefined {
    if (ts.isAwaitExpression(node) || ts.isNonNullExpression(node)) return this.kindOf(node.expression, depth + 1);
    if (ts.isPropertyAccessExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ThisKeyword) return this.memberKind(node, node.name.text, depth);
      const owner = this.kindOf(node.expression, depth + 1);
      if (node.name.text === 'manager' && (owner === 'typeorm-repository' || owner === 'typeorm-manager')) return 'typeorm-manager';
      if (node.name.text === 'em' && owner === 'mikro-orm') return 'mikro-em';
      return undefined;
    }
    if (ts.isIdentifier(node)) return this.identifierKind(node, depth);
    if (ts.isCallExpression(node)) {
      const factory = factoryKind(node, this.file.imports, this.localFactories());
      if (factory) return factory;
      if (!ts.isPropertyAccessExpression(node.expression)) return undefined;
      const method = node.expression.name.text;
      const owner = this.kindOf(node.expression.expression, depth + 1);
      if (!owner) {
        // `MikroORM.init(config)`
        if (method === 'init' && ts.isIdentifier(node.expression.expression) && this.file.imports.get(node.expression.expression.text)?.imported === 'MikroORM') return 'mikro-orm';
        return undefined;
      }
      if (owner === 'typeorm-manager' && /^(getRepository|getTreeRepository|getMongoRepository|getCustomRepository|withRepository)$/.test(method)) return 'typeorm-repository';
      if (owner === 'typeorm-repository' && method === 'extend') return 'typeorm-repository';
      if (owner === 'prisma' && method === '$extends') return 'prisma';
      if (owner === 'mikro-em' && method === 'getRepository') return 'mikro-repo';
      if (owner === 'mikro-repo' && method === 'getEntityManager') return 'mikro-em';
      if (SAME_KIND_METHODS[owner]?.test(method)) return owner;
      return undefined;
    }
    if (ts.isNewExpression(node)) {
      const factory = factoryKind(node, this.file.imports);
      if (factory) return factory;
      return ts.isIdentifier(node.expression) ? this.typeRefKind(this.refOf(node.expression.text), this.file.filePath, 0, 'value') : undefined;
    }
    if (node.kind === ts.SyntaxKind.ThisKeyword) return this.thisKind(node);
    return undefined;
  }

  private localFactories(): Map<string, HandleKind> {
    this.factories ??= this.file.ast ? localFactories(this.file.ast.statements, this.file.imports) : new Map();
    return this.factories;
  }

  private refOf(name: string): TypeRef {
    const binding = this.file.imports.get(name);
    return binding ? { name: binding.imported, module: binding.module } : { name };
  }

  /** `this` inside `class UsersRepository extends Repository<User>` or `class Db extends PrismaClient`; in a static method of a Sequelize model, the model. */
  private thisKind(node: ts.Node): HandleKind | undefined {
    const cls = enclosingClass(node);
    const base = cls?.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (!base || !ts.isIdentifier(base)) return undefined;
    const kind = this.typeRefKind(this.refOf(base.text), this.file.filePath, 0, 'type');
    if (kind === 'sequelize-model') {
      let fn: ts.Node | undefined = node.parent;
      while (fn && !ts.isMethodDeclaration(fn) && !ts.isClassLike(fn)) fn = fn.parent;
      return fn && ts.isMethodDeclaration(fn) && ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ? kind : undefined;
    }
    return kind;
  }

  private memberKind(access: ts.PropertyAccessExpression, name: string, depth: number): HandleKind | undefined {
    const cls = enclosingClass(access);
    if (!cls) return undefined;
    const member = classMember(cls, name);
    if (!member) return undefined;
    for (const declaration of [member.parameter, member.property]) {
      if (!declaration) continue;
      const kind = this.declarationKind(declaration);
      if (kind) return kind;
      if (ts.isPropertyDeclaration(declaration) && declaration.initializer) {
        const initial = this.kindOf(declaration.initializer, depth + 1);
        if (initial) return initial;
      }
    }
    for (const assigned of member.assignments) {
      const kind = this.kindOf(assigned, depth + 1);
      if (kind) return kind;
    }
    return undefined;
  }

  private identifierKind(identifier: ts.Identifier, depth: number): HandleKind | undefined {
    const binding = resolveName(identifier.text, identifier);
    if (!binding) return undefined;
    if (binding.kind === 'parameter') {
      return this.declarationKind(binding.declaration) ?? this.transactionParameterKind(binding.declaration, depth);
    }
    if (binding.kind === 'variable') {
      const declaration = binding.declaration;
      const declared = this.declarationKind(declaration);
      if (declared) return declared;
      if (declaration.initializer && ts.isIdentifier(declaration.name)) return this.kindOf(declaration.initializer, depth + 1);
      return undefined;
    }
    if (binding.kind === 'class') return this.typeRefKind({ name: identifier.text }, this.file.filePath, 0, 'value');
    if (binding.kind === 'import') return this.importedKind(identifier.text);
    return undefined;
  }

  /** `import { prisma } from './db'`, `import db from './db'`, `import { Post } from './models'` (a Sequelize model class). */
  private importedKind(name: string): HandleKind | undefined {
    const binding = this.file.imports.get(name);
    if (!binding || binding.imported === '*') return undefined;
    return this.typeRefKind({ name: binding.imported, module: binding.module }, this.file.filePath, 0, 'value');
  }

  /** The `tx` of `prisma.$transaction(async (tx) => …)`, `db.transaction(async (trx) => …)`, `db.tx((t) => …)`. */
  private transactionParameterKind(parameter: ts.ParameterDeclaration, depth: number): HandleKind | undefined {
    const fn = parameter.parent;
    if (!isFunctionLike(fn) || !fn.parent || !ts.isCallExpression(fn.parent)) return undefined;
    const call = fn.parent;
    if (!ts.isPropertyAccessExpression(call.expression)) return undefined;
    const method = call.expression.name.text;
    // Kysely: `db.transaction().execute(async (trx) => …)`
    const receiver = unwrapExpression(call.expression.expression);
    if (method === 'execute' && ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression) && receiver.expression.name.text === 'transaction') {
      return this.kindOf(receiver.expression.expression, depth + 1) === 'kysely' ? 'kysely' : undefined;
    }
    const owner = this.kindOf(receiver, depth + 1);
    if (owner && owner !== 'kysely' && TRANSACTION_METHODS[owner]?.test(method)) return owner;
    return undefined;
  }

  /** A parameter, property or variable by its decorators and written type. */
  declarationKind(declaration: ts.ParameterDeclaration | ts.PropertyDeclaration | ts.VariableDeclaration): HandleKind | undefined {
    if (!ts.isVariableDeclaration(declaration)) {
      for (const decorator of ts.getDecorators(declaration) ?? []) {
        const expression = decorator.expression;
        const callee = ts.isCallExpression(expression) ? expression.expression : expression;
        if (!ts.isIdentifier(callee)) continue;
        const module = this.file.imports.get(callee.text)?.module;
        if (module === '@nestjs/typeorm') {
          if (callee.text === 'InjectRepository') return 'typeorm-repository';
          if (/^Inject(EntityManager|DataSource|Connection)$/.test(callee.text)) return 'typeorm-manager';
        }
        if (module === '@mikro-orm/nestjs' && callee.text === 'InjectRepository') return 'mikro-repo';
        if (module === '@nestjs/sequelize' && callee.text === 'InjectModel') return 'sequelize-model';
      }
    }
    const type = declaration.type;
    if (!type) return undefined;
    // `private readonly posts: typeof Post`
    if (ts.isTypeQueryNode(type) && ts.isIdentifier(type.exprName)) {
      const kind = this.kindOf(type.exprName);
      return kind === 'sequelize-model' ? kind : undefined;
    }
    const ref = this.typeRefOf(type);
    if (!ref) return undefined;
    const kind = this.typeRefKind(ref, this.file.filePath, 0, 'type');
    return kind === 'sequelize-model' && !(ref.module && libraryTypeKind(ref.module, ref.name)) ? undefined : kind;
  }

  private typeRefOf(type: ts.TypeNode): TypeRef | undefined {
    if (!ts.isTypeReferenceNode(type)) return undefined;
    const typeName = type.typeName;
    if (ts.isIdentifier(typeName)) return this.refOf(typeName.text);
    if (!ts.isIdentifier(typeName.left)) return undefined;
    const binding = this.file.imports.get(typeName.left.text);
    if (!binding) return undefined;
    // `Prisma.TransactionClient`, `Knex.Transaction`, `pg.PoolClient`
    if (typeName.right.text === 'TransactionClient') return { name: 'PrismaClient', module: binding.module };
    return { name: binding.imported === '*' || binding.imported === 'default' ? typeName.right.text : binding.imported, module: binding.module };
  }

  /**
   * What a type or class named by `ref` is: a library's own type, or a project class, alias or
   * exported instance followed through the files that declare or re-export it. `use` tells a
   * value (`Post` the model class, `db` the instance) from a type annotation.
   */
  private classIndex: Map<string, string[]> | undefined;
  private readonly refMemo = new Map<string, HandleKind | null>();

  typeRefKind(ref: TypeRef, fromFile: string, depth: number, use: 'type' | 'value'): HandleKind | undefined {
    if (depth > 5) return undefined;
    const key = `${fromFile}\0${ref.module ?? ''}\0${ref.name}\0${use}`;
    const cached = this.refMemo.get(key);
    if (cached !== undefined) return cached ?? undefined;
    this.refMemo.set(key, null);
    const kind = this.computeTypeRefKind(ref, fromFile, depth, use);
    this.refMemo.set(key, kind ?? null);
    return kind;
  }

  private computeTypeRefKind(ref: TypeRef, fromFile: string, depth: number, use: 'type' | 'value'): HandleKind | undefined {
    if (ref.module) {
      const library = use === 'type' ? libraryTypeKind(ref.module, ref.name) : undefined;
      if (library) return library;
      if (!ref.module.startsWith('.') && !ref.module.startsWith('/')) {
        const resolved = this.project.resolveImport(fromFile, ref.module);
        if (!resolved) return this.workspaceClassKind(ref, depth);
        if (resolved.includes('/node_modules/')) return undefined;
        return this.inFile(resolved, ref.name, depth + 1, use);
      }
      const resolved = this.project.resolveImport(fromFile, ref.module);
      return resolved ? this.inFile(resolved, ref.name, depth + 1, use) : undefined;
    }
    return this.inFile(fromFile, ref.name, depth + 1, use);
  }

  /** A workspace package the resolver cannot follow (`@acme/db`): a project class of that name. */
  private workspaceClassKind(ref: TypeRef, depth: number): HandleKind | undefined {
    if (!ref.module || !/prisma|repositor|database|\bdb\b/i.test(`${ref.name} ${ref.module}`)) return undefined;
    this.classIndex ??= projectClassIndex(this.project);
    for (const filePath of this.classIndex.get(ref.name) ?? []) {
      const kind = this.inFile(filePath, ref.name, depth + 1, 'type');
      if (kind) return kind;
    }
    return undefined;
  }

  private inFile(filePath: string, name: string, depth: number, use: 'type' | 'value'): HandleKind | undefined {
    if (depth > 6) return undefined;
    const facts = this.project.factsOf(dbTypeFacts, filePath);
    if (!facts) return undefined;
    const local = name === 'default' ? facts.defaultExport : name;
    if (name === 'default' && facts.instances.default) return facts.instances.default;
    if (local && Object.prototype.hasOwnProperty.call(facts.instances, local)) return facts.instances[local];
    if (local && Object.prototype.hasOwnProperty.call(facts.classes, local)) {
      const base = facts.classes[local];
      if (!base) return undefined;
      if (base.module) {
        const library = libraryBaseKind(base.module, base.name);
        if (library) return library;
      }
      return this.typeRefKind(base, filePath, depth, 'type');
    }
    if (local && use === 'type' && facts.aliases[local]) {
      for (const member of facts.aliases[local]) {
        const kind = this.typeRefKind(member, filePath, depth, 'type');
        if (kind) return kind;
      }
      return undefined;
    }
    const reexport = facts.reexports[name];
    if (reexport) return this.typeRefKind({ name: reexport.name, module: reexport.module }, filePath, depth, use);
    if (name === 'default') return undefined;
    for (const module of facts.starExports) {
      const next = this.project.resolveImport(filePath, module);
      const kind = next && this.inFile(next, name, depth + 1, use);
      if (kind) return kind;
    }
    return undefined;
  }

  /** Methods the Sequelize model class behind `expression`'s declared type writes itself (not association accessors). */
  modelMethods(ref: TypeRef): { kind: HandleKind | undefined; methods: string[] } {
    const kind = this.typeRefKind(ref, this.file.filePath, 0, 'type');
    if (kind !== 'sequelize-model') return { kind, methods: [] };
    const filePath = ref.module ? this.project.resolveImport(this.file.filePath, ref.module) : this.file.filePath;
    return { kind, methods: filePath ? this.classMethods(filePath, ref.name, 0) : [] };
  }

  private classMethods(filePath: string, name: string, depth: number): string[] {
    return this.classFact(filePath, name, depth, (facts, local) => facts.methods[local]) ?? [];
  }

  /** The primary key attribute of the Sequelize model `name` (a model class identifier in this file), when known for sure. */
  sequelizePrimaryKey(name: string): string | undefined {
    const binding = this.file.imports.get(name);
    const ref: TypeRef = binding ? { name: binding.imported, module: binding.module } : { name };
    const filePath = ref.module ? this.project.resolveImport(this.file.filePath, ref.module) : this.file.filePath;
    return (filePath && this.classFact(filePath, ref.name, 0, (facts, local) => facts.sequelizeKeys[local] ?? undefined)) || undefined;
  }

  /** Lazy relation properties of the TypeORM entity named `name` in this file (imported or declared here). */
  lazyRelations(name: string): readonly string[] {
    const binding = this.file.imports.get(name);
    const ref: TypeRef = binding ? { name: binding.imported, module: binding.module } : { name };
    const filePath = ref.module ? this.project.resolveImport(this.file.filePath, ref.module) : this.file.filePath;
    return (filePath && this.classFact(filePath, ref.name, 0, (facts, local) => facts.lazyRelations[local])) || [];
  }

  /** A fact about the class `name` of `filePath`, followed through re-exports and barrels. */
  private classFact<T>(filePath: string, name: string, depth: number, pick: (facts: DbTypeFacts, local: string) => T | undefined): T | undefined {
    const facts = this.project.factsOf(dbTypeFacts, filePath);
    if (!facts || depth > 4) return undefined;
    const local = name === 'default' ? facts.defaultExport : name;
    const found = local ? pick(facts, local) : undefined;
    if (found !== undefined) return found;
    const reexport = facts.reexports[name];
    const next = reexport ? this.project.resolveImport(filePath, reexport.module) : undefined;
    if (reexport && next) return this.classFact(next, reexport.name, depth + 1, pick);
    for (const module of facts.starExports) {
      const target = this.project.resolveImport(filePath, module);
      const inner = target ? this.classFact(target, name, depth + 1, pick) : undefined;
      if (inner !== undefined) return inner;
    }
    return undefined;
  }

  private relations: Set<string> | undefined;
  /** MikroORM relation property names declared in the project. */
  mikroRelations(): ReadonlySet<string> {
    this.relations ??= projectMikroRelations(this.project);
    return this.relations;
  }

  /** Whether the file imports anything from MikroORM. */
  importsMikro(): boolean {
    for (const [, binding] of this.file.imports.entries()) if (isMikroModule(binding.module)) return true;
    return false;
  }
}
