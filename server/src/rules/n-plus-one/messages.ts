import { shortText } from '../../engine/ast/call-shape';
import type { DbCall, Orm } from './db-call';
import type { LoopContext } from './loop-context';

/** `` `orders` `` or "each element" when the collection has no short name. */
export function collectionName(context: LoopContext): string {
  return context.collection ? `\`${shortText(context.collection, 40)}\`` : 'the collection';
}

function loopPlace(context: LoopContext, loopLine: number): string {
  return `${context.label} at line ${loopLine + 1}`;
}

function concurrencyNote(context: LoopContext): string {
  return context.inPromiseAll ? ' `Promise.all` runs them at the same time, but it is still one query per element.' : '';
}

export function readMessage(call: DbCall, calleeText: string, context: LoopContext, loopLine: number): string {
  return (
    `\`${calleeText}\` runs once per element of ${collectionName(context)} (${loopPlace(context, loopLine)}): N+1 queries, one database round trip each.` +
    `${concurrencyNote(context)} Load them with one query before the loop (${batchedRead(call.orm)}) and look each one up in a Map.`
  );
}

export function writeMessage(call: DbCall, calleeText: string, context: LoopContext, loopLine: number): string {
  return (
    `\`${calleeText}\` writes once per element of ${collectionName(context)} (${loopPlace(context, loopLine)}): N+1 writes, one round trip and one transaction each.` +
    `${concurrencyNote(context)} Write them in one statement: ${bulkWrite(call)}.`
  );
}

export function lazyRelationMessage(lazy: { access: { getText(): string }; relation: string; entity: string; load?: unknown }, context: LoopContext, loopLine: number): string {
  return (
    `\`${lazy.access.getText()}\` is a lazy relation of \`${lazy.entity}\`: awaiting it runs one query per element of ${collectionName(context)} (${loopPlace(context, loopLine)}): N+1 queries.` +
    ` ${lazy.load ? 'Add' : 'Load the rows with'} \`relations: { ${lazy.relation}: true }\`${lazy.load ? ' to the query that loaded them' : ''}, or a \`leftJoinAndSelect\`, and the await reads the loaded value.`
  );
}

export function helperMessage(calleeText: string, queryText: string, where: string, context: LoopContext, loopLine: number, write: boolean): string {
  return (
    `\`${calleeText}\` ${write ? 'writes to the database' : 'runs a query'} (\`${queryText}\` in ${where}) once per element of ${collectionName(context)} (${loopPlace(context, loopLine)}): N+1 ${write ? 'writes' : 'queries'}.` +
    `${concurrencyNote(context)} Load what it needs with one query before the loop and pass it in, or give it a batched variant that takes all the keys.`
  );
}

function batchedRead(orm: Orm): string {
  switch (orm) {
    case 'typeorm':
      return '`findBy({ id: In(ids) })`';
    case 'prisma':
      return '`findMany({ where: { id: { in: ids } } })`';
    case 'sequelize':
      return '`findAll({ where: { id: { [Op.in]: ids } } })`';
    case 'drizzle':
      return '`where(inArray(table.id, ids))`';
    case 'knex':
      return "`whereIn('id', ids)`";
    case 'kysely':
      return "`where('id', 'in', ids)`";
    case 'pg':
      return '`WHERE id = ANY($1)`';
    case 'mikro-orm':
      return '`find(Entity, { id: { $in: ids } })`, or `populate` the relation on the first load';
  }
}

function bulkWrite(call: DbCall): string {
  if (call.orm === 'typeorm') {
    if (call.method === 'save') return '`save(entities)` takes an array';
    if (call.method === 'insert') return '`insert(rows)` takes an array';
    if (call.method === 'remove' || call.method === 'softRemove') return `\`${call.method}(entities)\` takes an array`;
    return '`update({ id: In(ids) }, changes)` / `delete(ids)`, or a query builder with `whereInIds(ids)`';
  }
  if (call.orm === 'prisma') {
    if (call.method === 'create') return '`createMany({ data: rows })`';
    if (/^(delete|deleteMany)$/.test(call.method)) return '`deleteMany({ where: { id: { in: ids } } })`';
    return '`updateMany({ where: { id: { in: ids } }, data })`, or one `$transaction([...])` when each row gets different values';
  }
  if (call.orm === 'sequelize') {
    if (/^(create|findOrCreate|upsert)$/.test(call.method)) return '`bulkCreate(rows)` (with `updateOnDuplicate` for upserts)';
    if (/^(destroy|update)$/.test(call.method)) return '`Model.' + call.method + '` with `where: { id: ids }`';
    return 'one `bulkCreate` / `update` / `destroy` with `where: { id: ids }`';
  }
  if (call.orm === 'drizzle') return call.method === 'insert' ? '`insert(table).values(rows)` takes an array' : '`update`/`delete` with `where(inArray(table.id, ids))`';
  if (call.orm === 'knex') return "`insert(rows)` takes an array; `whereIn('id', ids)` for updates and deletes";
  if (call.orm === 'kysely') return "`insertInto(t).values(rows)` takes an array; `where('id', 'in', ids)` for updates and deletes";
  if (call.orm === 'mikro-orm') return '`em.persist(entity)` in the loop and one `em.flush()` after it, or `insertMany(rows)`';
  return 'a multi-row `INSERT … VALUES (…), (…)` or `unnest($1::int[])`';
}

export const EXPLANATION: Record<Orm, string> = {
  typeorm: [
    'Load every row the loop needs with one query, then look them up:',
    '```ts',
    'const customers = await this.customers.findBy({ id: In(orders.map((o) => o.customerId)) });',
    'const customerById = new Map(customers.map((c) => [c.id, c]));',
    'for (const order of orders) {',
    '  const customer = customerById.get(order.customerId) ?? null;',
    '}',
    '```',
    'For a relation of rows you just loaded, add it to that load: `find({ relations: { customer: true } })`. Writes: `save(entities)` and `insert(rows)` take arrays.',
  ].join('\n'),
  prisma: [
    'Load every row the loop needs with one query, then look them up:',
    '```ts',
    'const users = await this.prisma.user.findMany({ where: { id: { in: posts.map((p) => p.authorId) } } });',
    'const userById = new Map(users.map((u) => [u.id, u]));',
    '```',
    'For a relation of rows you just loaded, add `include: { author: true }` to that load. Writes: `createMany`, `updateMany`, `deleteMany`.',
    '`Promise.all(ids.map((id) => prisma.user.findUnique(…)))` is batched by Prisma itself and is not reported.',
  ].join('\n'),
  sequelize: [
    'Load them with one query, or `include` the association in the first one:',
    '```ts',
    'const authors = await User.findAll({ where: { id: posts.map((p) => p.authorId) } });',
    'const authorById = new Map(authors.map((a) => [a.id, a]));',
    '// or: Post.findAll({ include: [{ model: User, as: "author" }] })',
    '```',
    'Writes: `bulkCreate(rows)`; `update` / `destroy` with `where: { id: ids }`.',
  ].join('\n'),
  drizzle: [
    'Load them with one query and look them up:',
    '```ts',
    'const rows = await db.select().from(users).where(inArray(users.id, ids));',
    'const byId = new Map(rows.map((u) => [u.id, u]));',
    '```',
    'Relations: `db.query.posts.findMany({ with: { author: true } })`. Writes: `db.insert(t).values(rows)` takes an array.',
  ].join('\n'),
  knex: "Load them with one `knex('users').whereIn('id', ids)` query and a Map; insert many rows with one `insert([...])`.",
  kysely: "Load them with one `db.selectFrom('users').where('id', 'in', ids).execute()` and a Map; `insertInto(t).values(rows)` takes an array.",
  pg: 'Load them with one `SELECT … WHERE id = ANY($1)` passing the array as one parameter, then a Map; insert many rows with one multi-row `INSERT` or `INSERT … SELECT * FROM unnest($1::int[], $2::text[])`.',
  'mikro-orm': [
    'Load them with one query, or populate the relation on the first load:',
    '```ts',
    "const books = await em.find(Book, { author: { $in: authorIds } });",
    "const authors = await em.find(Author, {}, { populate: ['books'] });",
    '```',
    '`em.populate(entities, [\'relation\'])` loads a relation for a whole list at once. Writes: `em.persist(x)` in the loop, one `em.flush()` after it.',
  ].join('\n'),
};

export const HELPER_EXPLANATION = [
  'The function called in the loop runs a query every time. Give it a batched variant:',
  '```ts',
  'async pricesFor(skus: string[]): Promise<Map<string, Price>> { /* one query with IN (…) */ }',
  '```',
  'then call it once before the loop and read from the Map inside it.',
].join('\n');

/** The command palette entry of `backendAdvisor.scaffold.dataLoader`, as package.json contributes it. */
export const SCAFFOLD_DATALOADER_COMMAND = 'Backend Advisor: Scaffold DataLoader for an Entity';

export function resolverMessage(
  resolver: { typeName: string; fieldName: string },
  calleeText: string,
  helper: { query: string; where: string } | undefined,
  hasDataLoader: boolean,
  write: boolean,
): string {
  const what = helper ? `${write ? 'writes to the database' : 'runs a query'} (\`${helper.query}\` in ${helper.where})` : write ? 'writes to the database' : 'runs a query';
  const loader = hasDataLoader
    ? `Batch it with a request-scoped DataLoader and call \`loader.load(…)\` here.`
    : `Batch it with a request-scoped DataLoader (the \`dataloader\` package; "${SCAFFOLD_DATALOADER_COMMAND}" writes one).`;
  return (
    `\`${calleeText}\` ${what} in the field resolver \`${resolver.typeName}.${resolver.fieldName}\`, keyed on its parent: GraphQL runs it once per ` +
    `\`${resolver.typeName}\` object in a list, so N parents cost N+1 ${write ? 'writes' : 'queries'}. ${loader}`
  );
}

export function resolverExplanation(hasDataLoader: boolean): string {
  return [
    'A field resolver runs once for every parent object of a list. Collect the keys of one request in a DataLoader, which sends one query for all of them:',
    '```ts',
    '// one loader per request (NestJS: a REQUEST-scoped provider; Apollo: build it in `context`)',
    'const authorLoader = new DataLoader<string, User | null>(async (ids) => {',
    '  const users = await usersRepository.findBy({ id: In([...ids]) });',
    '  const byId = new Map(users.map((user) => [user.id, user]));',
    '  return ids.map((id) => byId.get(id) ?? null);',
    '});',
    '',
    '@ResolveField(() => User)',
    'author(@Parent() post: Post) {',
    '  return this.loaders.author.load(post.authorId);',
    '}',
    '```',
    `${hasDataLoader ? '' : 'Add the `dataloader` package first. '}Run "${SCAFFOLD_DATALOADER_COMMAND}" from the command palette to generate the loader for an entity.`,
    'Prisma `findUnique` called first in a resolver is already batched by Prisma and is not reported.',
  ].join('\n');
}
