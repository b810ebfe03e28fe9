import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import type { DbCall } from './db-call';
import { resolveName } from '../../engine/ast/scope';
import type { HandleResolver } from './handles';

const TYPEORM_READS = new Set([
  'find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'findAndCountBy', 'findByIds',
  'count', 'countBy', 'exists', 'existsBy', 'exist', 'sum', 'average', 'minimum', 'maximum', 'query', 'preload',
  'findTrees', 'findRoots', 'findDescendants', 'findAncestors', 'findDescendantsTree', 'findAncestorsTree', 'countDescendants',
]);
const TYPEORM_WRITES = new Set(['save', 'insert', 'update', 'upsert', 'delete', 'remove', 'softDelete', 'softRemove', 'restore', 'recover', 'increment', 'decrement']);
const QUERY_BUILDER_TERMINALS = new Set(['getOne', 'getOneOrFail', 'getMany', 'getRawOne', 'getRawMany', 'getCount', 'getManyAndCount', 'getRawAndEntities', 'getExists', 'execute', 'stream']);
const PRISMA_READS = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy']);
const PRISMA_WRITES = new Set(['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'upsert', 'delete', 'deleteMany']);
const PRISMA_RAW = new Set(['$queryRaw', '$queryRawUnsafe', '$executeRaw', '$executeRawUnsafe']);
const SEQUELIZE_READS = new Set(['findAll', 'findOne', 'findByPk', 'findAndCountAll', 'count', 'max', 'min', 'sum', 'aggregate']);
const SEQUELIZE_WRITES = new Set(['create', 'bulkCreate', 'update', 'destroy', 'upsert', 'findOrCreate', 'findCreateFind', 'increment', 'decrement', 'restore']);
const SEQUELIZE_INSTANCE_WRITES = new Set(['save', 'destroy', 'update', 'increment', 'decrement', 'restore']);
/** Association accessors: `post.getAuthor()`, `user.countPosts()`, `post.setTags(…)`. */
const ASSOCIATION_ACCESSOR = /^(get|count|has|set|add|remove|create)([A-Z]\w*)$/;
const SEQUELIZE_INSTANCE_NON_QUERY = /^(getDataValue|setDataValue|getAttributes|getTableName|setAttributes|getChangedAttributes)$/;
const MIKRO_READS = new Set(['find', 'findOne', 'findOneOrFail', 'findAll', 'findAndCount', 'findByCursor', 'count', 'populate', 'refresh', 'refreshOrFail', 'execute', 'getReference' /* placeholder, removed below */]);
MIKRO_READS.delete('getReference');
const MIKRO_WRITES = new Set(['nativeInsert', 'nativeUpdate', 'nativeDelete', 'insert', 'insertMany', 'upsert', 'upsertMany', 'persistAndFlush', 'removeAndFlush', 'flush']);
const MIKRO_RELATION_LOADS = /^(load|loadOrFail|init|loadItems|loadCount|matching)$/;
const DRIZZLE_ROOTS = /^(select|selectDistinct|selectDistinctOn|insert|update|delete|with|\$with|execute|\$count|run|all|get|values)$/;
const DRIZZLE_NOT_RUN = /^(as|toSQL|getSQL|prepare|\$dynamic)$/;
const KNEX_NOT_QUERY = /^(transaction|transactionProvider|destroy|initialize|schema|migrate|seed|fn|ref|client|on|once|userParams|withUserParams|queryBuilder)$/;
const KYSELY_ROOTS = /^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|with|withRecursive|selectNoFrom)$/;
const KYSELY_TERMINALS = new Set(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'stream']);
const PG_PROMISE_METHODS = new Set(['any', 'one', 'oneOrNone', 'many', 'manyOrNone', 'none', 'result', 'query', 'map', 'each', 'multi', 'multiResult', 'func', 'proc', 'stream']);
const WRITE_SQL = /^\s*(insert|update|delete|upsert|merge|replace)\b/i;

/** The database call `node` makes, if it makes one; undefined for everything else. */
export function recogniseDbCall(node: ts.CallExpression | ts.TaggedTemplateExpression, handles: HandleResolver): DbCall | undefined {
  const callee = unwrapExpression(ts.isCallExpression(node) ? node.expression : node.tag);
  if (ts.isTaggedTemplateExpression(node)) {
    if (!ts.isPropertyAccessExpression(callee)) return recogniseTaggedTemplate(node, handles);
    const method = callee.name.text;
    const receiver = unwrapExpression(callee.expression);
    if (PRISMA_RAW.has(method) && handles.kindOf(receiver) === 'prisma') return { node, callee, orm: 'prisma', access: method.startsWith('$execute') ? 'write' : 'read', method, handle: receiver, reportFrom: callee, display: text(callee) };
    return recogniseTaggedTemplate(node, handles);
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver = unwrapExpression(callee.expression);
  return recogniseCall(node, callee, callee.name.text, receiver, handles) ?? recogniseOtherOrms(node, callee, callee.name.text, receiver, handles) ?? recogniseRelationLoad(node, handles, () => handles.mikroRelations());
}

/** postgres.js: sql`select … where id = ${id}`, awaited; fragments nested in another query are not queries. */
function recogniseTaggedTemplate(node: ts.TaggedTemplateExpression, handles: HandleResolver): DbCall | undefined {
  const tag = unwrapExpression(node.tag);
  if (!ts.isIdentifier(tag) && !ts.isPropertyAccessExpression(tag)) return undefined;
  if (handles.kindOf(tag) !== 'postgres' || !isRun(node)) return undefined;
  const sqlText = ts.isNoSubstitutionTemplateLiteral(node.template) ? node.template.text : node.template.head.text;
  return { node, callee: tag, orm: 'pg', access: WRITE_SQL.test(sqlText) ? 'write' : 'read', method: 'sql', handle: tag, reportFrom: tag, display: `${text(tag)} template query`, whole: node };
}

function recogniseCall(node: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string, receiver: ts.Expression, handles: HandleResolver): DbCall | undefined {
  if (TYPEORM_READS.has(method) || TYPEORM_WRITES.has(method)) {
    const kind = handles.kindOf(receiver);
    if (kind === 'typeorm-repository' || kind === 'typeorm-manager') {
      return { node, callee, orm: 'typeorm', access: TYPEORM_WRITES.has(method) ? 'write' : 'read', method, handle: receiver, reportFrom: callee, display: text(callee) };
    }
  }
  if (QUERY_BUILDER_TERMINALS.has(method)) {
    const built = queryBuilderOrigin(receiver);
    if (built) {
      const kind = handles.kindOf(built.handle);
      if (kind === 'typeorm-repository' || kind === 'typeorm-manager') {
        const display = `${text(built.handle)}.createQueryBuilder(…).${method}`;
        return { node, callee, orm: 'typeorm', access: built.writes ? 'write' : 'read', method, handle: built.handle, reportFrom: callee.name, display };
      }
    }
  }
  if (PRISMA_RAW.has(method) && handles.kindOf(receiver) === 'prisma') {
    return { node, callee, orm: 'prisma', access: method.startsWith('$execute') ? 'write' : 'read', method, handle: receiver, reportFrom: callee, display: text(callee) };
  }
  if ((PRISMA_READS.has(method) || PRISMA_WRITES.has(method)) && ts.isPropertyAccessExpression(receiver) && !receiver.name.text.startsWith('$')) {
    const client = unwrapExpression(receiver.expression);
    if (handles.kindOf(client) === 'prisma') {
      return { node, callee, orm: 'prisma', access: PRISMA_WRITES.has(method) ? 'write' : 'read', method, handle: client, prismaModel: receiver.name.text, reportFrom: callee, display: text(callee) };
    }
  }
  return undefined;
}

/** Sequelize, MikroORM, Drizzle, Knex, Kysely, node-postgres and pg-promise. */
function recogniseOtherOrms(node: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string, receiver: ts.Expression, handles: HandleResolver): DbCall | undefined {
  const base = { node, callee, method, reportFrom: callee as ts.Node, display: text(callee) };
  const receiverKind = handles.kindOf(receiver);
  // Sequelize model statics and `sequelize.query(…)`.
  if (receiverKind === 'sequelize-model' && (SEQUELIZE_READS.has(method) || SEQUELIZE_WRITES.has(method))) {
    return { ...base, orm: 'sequelize', access: SEQUELIZE_WRITES.has(method) ? 'write' : 'read', handle: receiver };
  }
  if (receiverKind === 'sequelize' && method === 'query') return { ...base, orm: 'sequelize', access: sqlAccess(node), handle: receiver };
  // MikroORM EntityManager / EntityRepository.
  if ((receiverKind === 'mikro-em' || receiverKind === 'mikro-repo') && (MIKRO_READS.has(method) || MIKRO_WRITES.has(method))) {
    return { ...base, orm: 'mikro-orm', access: MIKRO_WRITES.has(method) ? 'write' : 'read', handle: receiver };
  }
  // node-postgres and pg-promise.
  if (receiverKind === 'pg' && method === 'query') return { ...base, orm: 'pg', access: sqlAccess(node), handle: receiver };
  if (receiverKind === 'pg-promise' && PG_PROMISE_METHODS.has(method)) return { ...base, orm: 'pg', access: sqlAccess(node), handle: receiver };
  if (receiverKind === 'postgres' && method === 'unsafe' && isRun(node)) return { ...base, orm: 'pg', access: sqlAccess(node), handle: receiver };
  // Kysely: `db.selectFrom('t')….executeTakeFirst()`, sql`…`.execute(db).
  if (KYSELY_TERMINALS.has(method)) {
    const root = chainRoot(receiver);
    if (root && ts.isPropertyAccessExpression(root.expression) && KYSELY_ROOTS.test(root.expression.name.text) && handles.kindOf(root.expression.expression) === 'kysely') {
      const handle = unwrapExpression(root.expression.expression);
      const rootMethod = root.expression.name.text;
      return { ...base, orm: 'kysely', access: /^(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/.test(rootMethod) ? 'write' : 'read', handle, reportFrom: callee.name, display: `${text(handle)}.${rootMethod}(…).${method}`, whole: node };
    }
    if (ts.isTaggedTemplateExpression(unwrapExpression(receiver)) && node.arguments[0] && handles.kindOf(node.arguments[0]) === 'kysely') {
      return { ...base, orm: 'kysely', access: 'read', handle: unwrapExpression(node.arguments[0]), reportFrom: callee.name, display: `sql\`…\`.${method}`, whole: node };
    }
  }
  // Drizzle and Knex builders: the outermost call of the chain, when it is run (awaited, returned, `.then`-ed).
  if (outermostCall(node) !== node) return undefined;
  const root = chainRoot(node);
  if (!root) return undefined;
  const rootCallee = unwrapExpression(root.expression);
  const methods = chainMethods(node, root);
  const terminal = methods[methods.length - 1] ?? '';
  if (ts.isPropertyAccessExpression(rootCallee)) {
    const rootMethod = rootCallee.name.text;
    const owner = unwrapExpression(rootCallee.expression);
    // `db.query.users.findMany(…)`
    if (/^(findMany|findFirst)$/.test(rootMethod) && root === node && ts.isPropertyAccessExpression(owner) && ts.isPropertyAccessExpression(owner.expression) && owner.expression.name.text === 'query') {
      const db = unwrapExpression(owner.expression.expression);
      if (handles.kindOf(db) === 'drizzle' && isRun(node)) return { ...base, orm: 'drizzle', access: 'read', handle: db, display: text(callee), whole: node };
    }
    const ownerKind = handles.kindOf(owner);
    if (ownerKind === 'drizzle' && DRIZZLE_ROOTS.test(rootMethod) && !DRIZZLE_NOT_RUN.test(terminal) && (isRun(node) || /^(execute|then|all|get|run|values)$/.test(terminal))) {
      const access = /^(insert|update|delete)$/.test(rootMethod) || (rootMethod === 'execute' && sqlAccess(root) === 'write') ? 'write' : 'read';
      return { ...base, orm: 'drizzle', access, method: rootMethod, handle: owner, reportFrom: rootCallee, display: `${text(owner)}.${rootMethod}(…)${methods.length > 0 ? '…' : ''}`, whole: node };
    }
    if (ownerKind === 'knex' && !KNEX_NOT_QUERY.test(rootMethod) && (isRun(node) || terminal === 'then')) {
      const all = [rootMethod, ...methods];
      const access = rootMethod === 'raw' ? sqlAccess(root) : all.some((name) => /^(insert|update|del|delete|increment|decrement|upsert|merge|truncate|batchInsert)$/.test(name)) ? 'write' : 'read';
      return { ...base, orm: 'knex', access, method: rootMethod === 'raw' ? 'raw' : all.find((name) => /^(insert|update|del|delete|first|select|count|pluck)$/.test(name)) ?? rootMethod, handle: owner, reportFrom: rootCallee, display: `${text(owner)}.${rootMethod}(…)${methods.length > 0 ? '…' : ''}`, whole: node };
    }
    if (ownerKind) return undefined;
  }
  // `knex('users').where(…)`, `this.db(TABLE).first()`
  if ((ts.isIdentifier(rootCallee) || ts.isPropertyAccessExpression(rootCallee)) && handles.kindOf(rootCallee) === 'knex' && (isRun(node) || terminal === 'then')) {
    const access = methods.some((name) => /^(insert|update|del|delete|increment|decrement|upsert|merge|truncate)$/.test(name)) ? 'write' : 'read';
    const table = root.arguments[0] ? root.arguments[0].getText() : '';
    return { ...base, orm: 'knex', access, method: methods.find((name) => /^(insert|update|del|delete|first|select|count|pluck)$/.test(name)) ?? 'select', handle: rootCallee, reportFrom: rootCallee, display: `${text(rootCallee)}(${table.length <= 30 ? table : '…'})${methods.length > 0 ? '…' : ''}`, whole: node };
  }
  return undefined;
}

/** Sequelize instances, MikroORM references and collections: `post.getAuthor()`, `book.author.load()`. */
export function recogniseRelationLoad(node: ts.CallExpression, handles: HandleResolver, relationNames: () => ReadonlySet<string>): DbCall | undefined {
  const callee = unwrapExpression(node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const receiver = unwrapExpression(callee.expression);
  if (MIKRO_RELATION_LOADS.test(method) && ts.isPropertyAccessExpression(receiver) && handles.importsMikro() && relationNames().has(receiver.name.text)) {
    return { node, callee, orm: 'mikro-orm', access: 'read', method, handle: receiver, reportFrom: callee, display: text(callee) };
  }
  const accessor = ASSOCIATION_ACCESSOR.test(method) && !SEQUELIZE_INSTANCE_NON_QUERY.test(method);
  if (!accessor && !SEQUELIZE_INSTANCE_WRITES.has(method)) return undefined;
  const model = sequelizeInstanceModel(receiver, handles);
  if (!model || model.methods.includes(method)) return undefined;
  const write = SEQUELIZE_INSTANCE_WRITES.has(method) || /^(set|add|remove|create)[A-Z]/.test(method);
  return { node, callee, orm: 'sequelize', access: write ? 'write' : 'read', method, handle: receiver, reportFrom: callee, display: text(callee) };
}

/** The model class of a Sequelize instance: a variable or parameter typed with it, or an element of what its finder returned. */
function sequelizeInstanceModel(expression: ts.Expression, handles: HandleResolver): { methods: string[] } | undefined {
  if (!ts.isIdentifier(expression)) return undefined;
  const binding = resolveName(expression.text, expression);
  if (!binding || (binding.kind !== 'parameter' && binding.kind !== 'variable')) return undefined;
  const declaration = binding.declaration;
  const fromType = (type: ts.TypeNode | undefined): { methods: string[] } | undefined => {
    if (!type) return undefined;
    let inner: ts.TypeNode = type;
    if (ts.isArrayTypeNode(inner)) inner = inner.elementType;
    if (!ts.isTypeReferenceNode(inner) || !ts.isIdentifier(inner.typeName)) return undefined;
    const binding = handles.file.imports.get(inner.typeName.text);
    const model = handles.modelMethods(binding ? { name: binding.imported, module: binding.module } : { name: inner.typeName.text });
    return model.kind === 'sequelize-model' ? { methods: model.methods } : undefined;
  };
  const fromFinder = (init: ts.Expression | undefined, many: boolean): { methods: string[] } | undefined => {
    let value = init && unwrapExpression(init);
    if (value && ts.isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (!value || !ts.isCallExpression(value) || !ts.isPropertyAccessExpression(value.expression)) return undefined;
    const finder = value.expression.name.text;
    if (many ? finder !== 'findAll' : !/^(findOne|findByPk|create)$/.test(finder)) return undefined;
    const modelExpression = unwrapExpression(value.expression.expression);
    if (handles.kindOf(modelExpression) !== 'sequelize-model') return undefined;
    return ts.isIdentifier(modelExpression) ? fromType(ts.factory.createTypeReferenceNode(modelExpression.text)) ?? { methods: [] } : { methods: [] };
  };
  const direct = fromType(declaration.type);
  if (direct) return direct;
  if (ts.isVariableDeclaration(declaration)) {
    const list = declaration.parent;
    const loop = list?.parent;
    if (loop && ts.isForOfStatement(loop) && ts.isIdentifier(unwrapExpression(loop.expression))) return collectionModel(unwrapExpression(loop.expression) as ts.Identifier, fromType, fromFinder);
    return fromFinder(declaration.initializer, false);
  }
  // `posts.map((post) => post.getAuthor())`
  const fn = declaration.parent;
  if (fn && isFunctionLikeNode(fn) && fn.parent && ts.isCallExpression(fn.parent) && ts.isPropertyAccessExpression(fn.parent.expression)) {
    const collection = unwrapExpression(fn.parent.expression.expression);
    if (ts.isIdentifier(collection)) return collectionModel(collection, fromType, fromFinder);
  }
  return undefined;
}

function collectionModel(
  collection: ts.Identifier,
  fromType: (type: ts.TypeNode | undefined) => { methods: string[] } | undefined,
  fromFinder: (init: ts.Expression | undefined, many: boolean) => { methods: string[] } | undefined,
): { methods: string[] } | undefined {
  const binding = resolveName(collection.text, collection);
  if (!binding || (binding.kind !== 'parameter' && binding.kind !== 'variable')) return undefined;
  const declaration = binding.declaration;
  return fromType(declaration.type) ?? (ts.isVariableDeclaration(declaration) ? fromFinder(declaration.initializer, true) : undefined);
}

function isFunctionLikeNode(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/** The innermost call of a fluent chain: `db.select()` in `db.select().from(t).where(…)`, `knex('t')` in `knex('t').first()`. */
function chainRoot(expression: ts.Expression): ts.CallExpression | undefined {
  let current = unwrapExpression(expression);
  let root: ts.CallExpression | undefined;
  for (let steps = 0; steps < 60; steps++) {
    if (!ts.isCallExpression(current)) return root;
    root = current;
    const callee = unwrapExpression(current.expression);
    if (!ts.isPropertyAccessExpression(callee)) return root;
    const inner = unwrapExpression(callee.expression);
    if (!ts.isCallExpression(inner)) return root;
    current = inner;
  }
  return root;
}

/** Method names called after `root` up to `node`: `from`, `where` for `db.select().from(t).where(…)`. */
function chainMethods(node: ts.CallExpression, root: ts.CallExpression): string[] {
  const names: string[] = [];
  let current: ts.Expression = node;
  while (ts.isCallExpression(current) && current !== root) {
    const callee = unwrapExpression(current.expression);
    if (!ts.isPropertyAccessExpression(callee)) break;
    names.unshift(callee.name.text);
    current = unwrapExpression(callee.expression);
  }
  return names;
}

function outermostCall(node: ts.CallExpression): ts.CallExpression {
  let current: ts.CallExpression = node;
  for (;;) {
    let up: ts.Node = current.parent;
    while (up && (ts.isParenthesizedExpression(up) || ts.isNonNullExpression(up))) up = up.parent;
    if (!up || !ts.isPropertyAccessExpression(up)) return current;
    const next = up.parent;
    if (!next || !ts.isCallExpression(next) || next.expression !== up) return current;
    current = next;
  }
}

/**
 * Whether a builder or tagged query is sent: awaited, returned (from a callback whose promise
 * someone awaits), pushed into a list of promises or handed to `Promise.all`. A builder stored
 * in a variable, or passed as a subquery, is not sent there.
 */
export function isRun(node: ts.Node): boolean {
  let current: ts.Node = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isSatisfiesExpression(current.parent))) current = current.parent;
  const parent = current.parent;
  if (!parent) return false;
  if (ts.isAwaitExpression(parent) || ts.isYieldExpression(parent)) return true;
  if (ts.isReturnStatement(parent)) {
    let fn: ts.Node | undefined = parent.parent;
    while (fn && !isFunctionLikeNode(fn) && !ts.isFunctionDeclaration(fn) && !ts.isMethodDeclaration(fn)) fn = fn.parent;
    return !!fn && returnedPromiseRuns(fn);
  }
  if (ts.isArrowFunction(parent) && parent.body === current) return returnedPromiseRuns(parent);
  if (ts.isArrayLiteralExpression(parent)) return isRun(parent);
  if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) {
    const callee = unwrapExpression(parent.expression);
    return ts.isPropertyAccessExpression(callee) && /^(push|all|allSettled|race|any|unshift)$/.test(callee.name.text);
  }
  return false;
}

/**
 * A promise returned from a function is sent when someone awaits the function: a declared
 * function or method, an async callback, a `.then` callback, or a `.map` callback whose results
 * go to `Promise.all`. A builder returned from a plain `.map` callback may be a subquery.
 */
function returnedPromiseRuns(fn: ts.Node): boolean {
  if (!isFunctionLikeNode(fn)) return true;
  if (ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return true;
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call)) return true;
  const callee = unwrapExpression(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return true;
  if (/^(then|catch|finally|transaction|\$transaction|tx|task)$/.test(callee.name.text)) return true;
  if (callee.name.text !== 'map' && callee.name.text !== 'flatMap') return false;
  let outer: ts.Node = call;
  while (outer.parent && (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent))) outer = outer.parent;
  if (outer.parent && ts.isCallExpression(outer.parent)) {
    const all = unwrapExpression(outer.parent.expression);
    return ts.isPropertyAccessExpression(all) && /^(all|allSettled|race|any)$/.test(all.name.text);
  }
  // `const promises = items.map(…); await Promise.all(promises)`
  if (outer.parent && ts.isVariableDeclaration(outer.parent) && ts.isIdentifier(outer.parent.name)) {
    const name = outer.parent.name.text;
    let scope: ts.Node = outer.parent;
    while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
    return new RegExp(`Promise\\.(all|allSettled|race|any)\\(\\s*${name}\\b`).test(scope.getText());
  }
  return false;
}

/** Reads or writes, from the SQL text when it is written inline. */
function sqlAccess(call: ts.CallExpression): 'read' | 'write' {
  const first = call.arguments[0] && unwrapExpression(call.arguments[0]);
  if (!first) return 'read';
  let sqlText = '';
  if (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) sqlText = first.text;
  else if (ts.isTemplateExpression(first)) sqlText = first.head.text;
  else if (ts.isTaggedTemplateExpression(first)) sqlText = ts.isNoSubstitutionTemplateLiteral(first.template) ? first.template.text : first.template.head.text;
  else if (ts.isObjectLiteralExpression(first)) {
    const textProperty = first.properties.find((property) => property.name && ts.isIdentifier(property.name) && property.name.text === 'text');
    if (textProperty && ts.isPropertyAssignment(textProperty)) return sqlAccess(ts.factory.createCallExpression(ts.factory.createIdentifier('q'), undefined, [textProperty.initializer]));
  }
  return WRITE_SQL.test(sqlText) ? 'write' : 'read';
}

/**
 * Follows a fluent chain back to `x.createQueryBuilder(…)`; also through a local
 * `const qb = this.repo.createQueryBuilder('u')` built up over several statements.
 */
function queryBuilderOrigin(expression: ts.Expression): { handle: ts.Expression; writes: boolean } | undefined {
  let current = unwrapExpression(expression);
  let writes = false;
  for (let steps = 0; steps < 40; steps++) {
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
      const name = current.expression.name.text;
      if (name === 'createQueryBuilder') return { handle: unwrapExpression(current.expression.expression), writes };
      if (/^(insert|update|delete|softDelete|restore|relation)$/.test(name)) writes = true;
      current = unwrapExpression(current.expression.expression);
    } else if (ts.isIdentifier(current)) {
      const initializer = localInitializer(current);
      if (!initializer) return undefined;
      current = unwrapExpression(initializer);
    } else return undefined;
  }
  return undefined;
}

function localInitializer(identifier: ts.Identifier): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (ts.isBlock(scope) || ts.isSourceFile(scope)) {
      for (const statement of scope.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.name.text === identifier.text && declaration.initializer) return declaration.initializer;
        }
      }
    }
  }
  return undefined;
}

function text(node: ts.Node): string {
  return node.getText().replace(/\s+/g, '');
}
