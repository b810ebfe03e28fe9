import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ConfigLayer } from '../../engine/config/resolve-config';
import { applyFix } from '../../engine/fixes/apply-edits';
import type { Finding } from '../../engine/model/finding';
import { filesUnder, marksInDirectory } from '../../engine/testing/fixture-markers';
import { analyseFolder, assertMatchesMarks, assertSuppressionHonoured, findingOnLine } from '../../engine/testing/rule-harness';
import { formatDiagnostics, typeCheck } from '../../engine/testing/type-check';
import { isOneOffScript, nPlusOne } from './rule';

const RULE = nPlusOne.meta.id;
const FIXTURES = path.join(__dirname, 'fixtures');
const analyse = (folder: string, layers: ConfigLayer[] = []) => analyseFolder(nPlusOne, path.join(FIXTURES, folder), layers);

/** Per library: at least this many positive and negative marked cases. */
const LIBRARIES: Record<string, number> = { typeorm: 10, prisma: 10, sequelize: 10, drizzle: 10, knex: 10, kysely: 10, pg: 10, 'mikro-orm': 10, graphql: 10 };
const OTHER_FOLDERS = ['cross-function', 'test-files', 'one-off'];

describe('n-plus-one fixtures', () => {
  for (const folder of [...Object.keys(LIBRARIES), ...OTHER_FOLDERS]) {
    it(`reports exactly the @expect marks in ${folder}/`, () => {
      assertMatchesMarks(RULE, path.join(FIXTURES, folder), analyse(folder).findings);
    });
  }

  for (const [library, minimum] of Object.entries(LIBRARIES)) {
    it(`${library}/ has at least ${minimum} positive and ${minimum} negative cases`, () => {
      const marks = marksInDirectory(path.join(FIXTURES, library), RULE);
      assert.ok(marks.filter((mark) => mark.kind === 'expect').length >= minimum, 'positives');
      assert.ok(marks.filter((mark) => mark.kind === 'ok').length >= minimum, 'negatives');
    });
  }

  it('fixtures type-check against the installed packages (Prisma against its declared client)', () => {
    const files = new Map<string, string>();
    for (const folder of [...Object.keys(LIBRARIES), ...OTHER_FOLDERS]) {
      for (const file of filesUnder(path.join(FIXTURES, folder))) files.set(file, fs.readFileSync(file, 'utf8'));
    }
    const diagnostics = typeCheck(files);
    assert.equal(diagnostics.length, 0, formatDiagnostics(diagnostics, FIXTURES));
  });

  it('honours a suppression comment', () => {
    const folder = path.join(FIXTURES, 'prisma');
    assertSuppressionHonoured(nPlusOne, folder, path.join(folder, 'suppressed.ts'), 'prisma.tag.findFirst');
  });

  it('reports test files only with includeTestFiles', () => {
    const layers: ConfigLayer[] = [{ source: 'test', values: { rules: { [RULE]: { options: { includeTestFiles: true } } } } }];
    const findings = analyse('test-files', layers).findings;
    assert.deepEqual(findings.map((finding) => path.basename(finding.filePath)), ['orders.spec.ts']);
  });
});

describe('n-plus-one one-off code', () => {
  it('reports migrations, seeds and scripts only with includeOneOffScripts', () => {
    const layers: ConfigLayer[] = [{ source: 'test', values: { rules: { [RULE]: { options: { includeOneOffScripts: true } } } } }];
    const names = analyse('one-off', layers).findings.map((finding) => path.relative(path.join(FIXTURES, 'one-off'), finding.filePath)).sort();
    assert.deepEqual(names, ['migrations/1712000000000-backfill-slugs.ts', 'paged-export.service.ts', 'prisma/seed.ts', 'prisma/seed.ts', 'scripts/recount-followers.ts', 'scripts/recount-followers.ts']);
  });

  it('matches one-off paths relative to the workspace root', () => {
    assert.ok(isOneOffScript('/repo/packages/api/migration-scripts/add-fields.ts', '/repo'));
    assert.ok(isOneOffScript('/repo/prisma/seed.ts', '/repo'));
    assert.ok(isOneOffScript('/repo/src/db/seeds/users.ts', '/repo'));
    assert.ok(isOneOffScript('/repo/src/users.seeder.ts', '/repo'));
    assert.ok(!isOneOffScript('/home/me/scripts/app/src/orders.service.ts', '/home/me/scripts/app'));
    assert.ok(!isOneOffScript('/repo/src/seed-data.service.ts', '/repo'));
  });
});

describe('n-plus-one messages', () => {
  const at = (folder: string, file: string, needle: string): Finding => findingOnLine(analyse(folder).findings, path.join(FIXTURES, folder, file), needle);

  it('names the call, the collection and the loop, with the loop as related location', () => {
    const finding = at('typeorm', 'order-report.service.ts', 'this.customerRepository.findOneBy({ id: order.customerId })');
    assert.match(finding.message, /^`this\.customerRepository\.findOneBy` runs once per element of `orders` \(`for…of` at line \d+\): N\+1 queries/);
    assert.match(finding.message, /In\(ids\)/);
    const loopLine = fs.readFileSync(finding.filePath, 'utf8').split('\n').findIndex((text) => text.includes('for (const order of orders)'));
    assert.equal(finding.related[0]?.range.start.line, loopLine);
  });

  it('gives writes their own message, pointing at the bulk form', () => {
    const finding = at('typeorm', 'order-report.service.ts', 'await this.orderRepository.save(order)');
    assert.match(finding.message, /writes once per element of `orders`.*N\+1 writes.*`save\(entities\)` takes an array/);
  });

  it('says Promise.all still sends one query per element', () => {
    assert.match(at('typeorm', 'order-report.service.ts', 'this.customerRepository.findOne({').message, /Promise\.all` runs them at the same time/);
  });

  it('reports a helper call in a loop, with the query three levels down as related location', () => {
    const finding = at('cross-function', 'cart.service.ts', 'this.pricing.withTax');
    assert.match(finding.message, /^`this\.pricing\.withTax` runs a query \(`this\.prices\.findOne` in pricing\.repository\.ts:\d+\)/);
    const query = finding.related[1];
    assert.equal(path.basename(query?.filePath ?? ''), 'pricing.repository.ts');
    assert.match(query?.message ?? '', /PricingService\.withTax → PricingService\.priceOf → PricingRepository\.latestFor/);
  });
});

describe('n-plus-one GraphQL field resolvers', () => {
  const findingAt = (file: string, needle: string): Finding => {
    const { findings } = analyse('graphql');
    const filePath = path.join(FIXTURES, 'graphql', file);
    const line = fs.readFileSync(filePath, 'utf8').split('\n').findIndex((text) => text.includes(needle));
    const finding = findings.find((candidate) => candidate.filePath === filePath && candidate.range.start.line === line);
    assert.ok(finding, `no finding at ${file}: ${needle}`);
    return finding;
  };

  it('names the field and the call, says it runs per parent, points at DataLoader and the scaffold command', () => {
    const finding = findingAt('posts.resolver.ts', 'this.users.findOneBy({ id: post.authorId })');
    assert.match(finding.message, /^`this\.users\.findOneBy` runs a query in the field resolver `Post\.author`, keyed on its parent: GraphQL runs it once per `Post` object in a list, so N parents cost N\+1 queries\./);
    assert.match(finding.message, /DataLoader.*"Backend Advisor: Scaffold DataLoader for an Entity"/);
    assert.match(finding.explanation ?? '', /Add the `dataloader` package first\. Run "Backend Advisor: Scaffold DataLoader for an Entity"/);
    assert.deepEqual(finding.fixes, []);
    const decoratorLine = fs.readFileSync(finding.filePath, 'utf8').split('\n').findIndex((text) => text.includes('@ResolveField(() => User)'));
    assert.equal(finding.related[0]?.range.start.line, decoratorLine);
  });

  it('uses the @ResolveField name and follows an injected service to its query', () => {
    assert.match(findingAt('posts.resolver.ts', 'this.comments.count(').message, /field resolver `Post\.commentCount`/);
    const helper = findingAt('posts.resolver.ts', 'this.usersService.latestCommentsOn(post.id)');
    assert.match(helper.message, /^`this\.usersService\.latestCommentsOn` runs a query \(`this\.comments\.find` in users\.service\.ts:\d+\)/);
    assert.equal(path.basename(helper.related[1]?.filePath ?? ''), 'users.service.ts');
  });

  it('names type-graphql and resolver-map fields by their type', () => {
    assert.match(findingAt('recipe.resolver.ts', 'getRepository(User).findOneBy').message, /field resolver `Post\.chef`/);
    assert.match(findingAt('schema.ts', "db('reviews')").message, /field resolver `Book\.reviewCount`/);
  });

  it('when dataloader is a dependency, asks for a loader without suggesting to add the package', () => {
    const finding = findingAt('api/order.resolvers.ts', "db<CustomerRow>('customers')");
    assert.match(finding.message, /Batch it with a request-scoped DataLoader and call `loader\.load\(…\)` here\.$/);
    assert.doesNotMatch(finding.explanation ?? '', /Add the `dataloader` package/);
    assert.match(finding.explanation ?? '', /Scaffold DataLoader for an Entity/);
  });

  it('with dataloader installed, a NestJS resolver\'s own finder gets a request-scoped DataLoader fix (TypeORM and Prisma)', () => {
    const fixed = (file: string, needle: string): string => {
      const finding = findingAt(file, needle);
      const fix = finding.fixes[0];
      assert.ok(fix, `no fix at ${needle}`);
      assert.equal(fix.isPreferred, false);
      return applyFix(fix, (f) => fs.readFileSync(f, 'utf8')).get(finding.filePath) ?? '';
    };
    const typeorm = fixed('api/comments.resolver.ts', 'this.users.findOneBy({ id: comment.authorId })');
    assert.ok(typeorm.includes('author(@Parent() comment: Comment, @Context() context: object): Promise<User | null> {'));
    assert.ok(typeorm.includes('return this.authorLoader(context).load(comment.authorId);'));
    assert.ok(typeorm.includes("private readonly authorLoaders = new WeakMap<object, ReturnType<CommentsResolver['createAuthorLoader']>>();"));
    assert.ok(typeorm.includes("new DataLoader(async (keys: readonly NonNullable<Comment['authorId']>[]) => {"));
    assert.ok(typeorm.includes('const rows = await this.users.findBy({ id: In([...keys]) });'));
    assert.ok(typeorm.includes("import DataLoader from 'dataloader';") && typeorm.includes("import { Repository, In } from 'typeorm';"));
    // An existing whole @Context() parameter is reused.
    const reused = fixed('api/comments.resolver.ts', 'this.posts.findOne({ where: { id: comment.postId } })');
    assert.ok(reused.includes('const post = await this.postLoader(ctx).load(comment.postId);'));
    assert.ok(reused.includes('async post(@Parent() comment: Comment, @Context() ctx: GraphqlContext): Promise<Post | null> {'));
    const prisma = fixed('api/authors.resolver.ts', 'this.prisma.user.findFirst(');
    assert.ok(prisma.includes('const rows = await this.prisma.user.findMany({ where: { id: { in: [...keys] } } });'));
    assert.ok(prisma.includes("import { Int, Parent, ResolveField, Resolver, Context } from '@nestjs/graphql';"));
    // Through a service, or a count: reported without a fix.
    assert.deepEqual(findingAt('api/comments.resolver.ts', 'this.usersService.findById(comment.authorId)').fixes, []);
    assert.deepEqual(findingAt('api/comments.resolver.ts', 'this.comments.countBy(').fixes, []);
  });

  it('a query in a loop inside a resolver is reported once, by the loop check', () => {
    const finding = findingAt('api/order.resolvers.ts', "db<ProductRow>('products')");
    assert.match(finding.message, /runs once per element of `lines`/);
  });
});

describe('n-plus-one incremental summaries', () => {
  it('re-analyses only the edited helper: removing its query silences the caller', () => {
    const root = path.join(FIXTURES, 'cross-function');
    const { engine, findings } = analyseFolder(nPlusOne, root);
    const cart = path.join(root, 'cart.service.ts');
    const before = findings.filter((finding) => finding.filePath === cart).length;
    const repository = path.join(root, 'pricing.repository.ts');
    const text = fs.readFileSync(repository, 'utf8').replace("return this.prices.findOne({ where: { sku }, order: { validFrom: 'DESC' } });", 'return null;');
    engine.index.setOverlay(repository, text, 2);
    assert.equal(before, 4);
    assert.equal(engine.analyze(cart).findings.filter((finding) => finding.ruleId === RULE).length, 0);
    engine.index.removeOverlay(repository);
    assert.equal(engine.analyze(cart).findings.filter((finding) => finding.ruleId === RULE).length, 4);
  });
});

describe('n-plus-one fixes', () => {
  it('each fix removes its finding, adds none, and type-checks against typeorm and the Prisma client surface', () => {
    const virtual = new Map<string, string>();
    const titles: string[] = [];
    for (const folder of Object.keys(LIBRARIES)) {
      const { engine, findings } = analyse(folder);
      for (const [position, finding] of findings.entries()) {
        for (const [alternative, fix] of finding.fixes.entries()) {
          const index = position * 10 + alternative;
          titles.push(fix.title);
          const output = applyFix(fix, (file) => fs.readFileSync(file, 'utf8'));
          const before = findings.filter((other) => other.filePath === finding.filePath).length;
          for (const [file, text] of output) engine.index.setOverlay(file, text, 1000 + index);
          const after = engine.analyze(finding.filePath).findings.filter((other) => other.ruleId === RULE);
          assert.equal(after.length, before - 1, `fix "${fix.title}" in ${finding.filePath}: ${after.map((a) => a.message).join('\n')}`);
          for (const file of output.keys()) engine.index.removeOverlay(file);
          for (const [file, text] of output) virtual.set(file.replace(/\.ts$/, `.fix${index}.ts`), text);
        }
      }
    }
    assert.ok(titles.filter((title) => title.startsWith('Load all')).length >= 4, titles.join('\n'));
    assert.ok(titles.filter((title) => title.startsWith('Write all')).length >= 2, titles.join('\n'));
    // Sequelize findByPk → findAll, Knex first() → whereIn, bulkCreate, Drizzle insert of many rows.
    assert.ok(titles.filter((title) => / one findAll /.test(title)).length >= 2, titles.join('\n'));
    assert.ok(titles.filter((title) => / one whereIn query /.test(title)).length >= 3, titles.join('\n'));
    assert.ok(titles.filter((title) => / one bulkCreate call$/.test(title)).length >= 3, titles.join('\n'));
    assert.ok(titles.filter((title) => / one insert call$/.test(title)).length >= 3, titles.join('\n'));
    assert.ok(titles.filter((title) => /\(include: \{ author: true \}\)/.test(title)).length >= 3, titles.join('\n'));
    const diagnostics = typeCheck(virtual);
    assert.equal(diagnostics.length, 0, formatDiagnostics(diagnostics, FIXTURES));
  });

  const at = (folder: string, file: string, needle: string): Finding => findingOnLine(analyse(folder).findings, path.join(FIXTURES, folder, file), needle);

  const fixedText = (folder: string, file: string, needle: string): string => {
    const { findings } = analyse(folder);
    const filePath = path.join(FIXTURES, folder, file);
    const line = fs.readFileSync(filePath, 'utf8').split('\n').findIndex((text) => text.includes(needle));
    const finding = findings.find((candidate) => candidate.filePath === filePath && candidate.range.start.line === line);
    assert.ok(finding?.fixes[0], `no fix at ${needle}`);
    return applyFix(finding.fixes[0], (f) => fs.readFileSync(f, 'utf8')).get(filePath) ?? '';
  };

  it('TypeORM: one findBy with In(…) before the loop, a Map lookup inside, In imported', () => {
    const text = fixedText('typeorm', 'order-report.service.ts', 'this.customerRepository.findOneBy({ id: order.customerId })');
    assert.ok(text.includes('const customers = await this.customerRepository.findBy({ id: In(orders.map((order) => order.customerId)) });'));
    assert.ok(text.includes('const customerById = new Map(customers.map((row) => [row.id, row]));'));
    assert.ok(text.includes('const customer = customerById.get(order.customerId) ?? null;'));
    assert.ok(text.includes("import { DataSource, In, Repository } from 'typeorm';"));
  });

  it('Prisma: findMany with { in } before the loop', () => {
    const text = fixedText('prisma', 'posts.service.ts', 'this.prisma.user.findUnique({ where: { id: post.authorId } }); // @expect');
    assert.ok(text.includes('const authors = await this.prisma.user.findMany({ where: { id: { in: posts.map((post) => post.authorId) } } });'));
  });

  it('Sequelize: findByPk per element becomes one findAll on the primary key and a Map', () => {
    const text = fixedText('sequelize', 'digest.service.ts', 'User.findByPk(post.authorId)');
    assert.ok(text.includes('const authors = await User.findAll({ where: { id: posts.map((post) => post.authorId) } });'));
    assert.ok(text.includes('const author = authorById.get(post.authorId) ?? null;'));
  });

  it('Knex: where(…).first() per element becomes one whereIn and a Map that still yields undefined when missing', () => {
    const text = fixedText('knex', 'lookups.ts', "db('fx_rates').where({ code: invoice.currency }).first()");
    assert.ok(text.includes("await db('fx_rates').whereIn('code', invoices.map((invoice) => invoice.currency));"));
    assert.ok(text.includes('const rate = rateByCode.get(invoice.currency);'));
  });

  it('bulk writes: bulkCreate for Sequelize, one guarded insert(…).values(rows) for Drizzle', () => {
    const created = fixedText('sequelize', 'digest.service.ts', 'await Tag.create({ postId: mention.postId');
    assert.ok(created.includes('await Tag.bulkCreate(mentions.map((mention) => ({ postId: mention.postId, name: mention.label.toLowerCase() })));'));
    const inserted = fixedText('drizzle', 'import.service.ts', 'await db.insert(posts).values(row)');
    assert.match(inserted, /count\+\+;[^\n]*\n\s+\}\n\s+if \(rows\.length > 0\) await db\.insert\(posts\)\.values\(rows\);/);
  });

  it('TypeORM lazy relation: the relation joins the load that produced the rows (find and findBy)', () => {
    const finding = at('typeorm', 'invoices.service.ts', 'const account = await invoice.account;');
    assert.match(finding.message, /^`invoice\.account` is a lazy relation of `Invoice`: awaiting it runs one query per element of `overdue`/);
    const joined = fixedText('typeorm', 'invoices.service.ts', 'const account = await invoice.account;');
    assert.ok(joined.includes("await this.invoices.find({ where: { status: 'overdue' }, relations: { account: true } });"));
    const fromFindBy = fixedText('typeorm', 'invoices.service.ts', '(await invoice.account).email)); // @expect');
    assert.ok(fromFindBy.includes("await this.invoices.find({ where: { status: 'open' }, relations: { account: true } });"));
  });

  it('Prisma relation: include on the findMany that loaded the rows, the per-element query becomes the relation', () => {
    const fixes = (file: string, needle: string): string[] => at('prisma', file, needle).fixes.map((fix) => fix.title);
    const applied = (file: string, needle: string): string => {
      const finding = at('prisma', file, needle);
      const fix = finding.fixes.find((candidate) => candidate.title.includes('include:'));
      assert.ok(fix, `no include fix at ${needle}`);
      assert.equal(fix.isPreferred, false);
      return applyFix(fix, (f) => fs.readFileSync(f, 'utf8')).get(finding.filePath) ?? '';
    };
    const created = applied('digest.service.ts', 'this.prisma.user.findFirst({ where: { id: post.authorId } })');
    assert.ok(created.includes('const posts = await this.prisma.post.findMany({ include: { author: true } });'));
    assert.ok(created.includes('const author = post.author;'));
    const merged = applied('digest.service.ts', 'const author = await this.prisma.user.findUnique({ where: { id: post.authorId } })');
    assert.ok(merged.includes("findMany({ where: { published: true }, include: { tags: true, author: true } });"));
    const appended = applied('posts.service.ts', 'this.prisma.user.findUnique({ where: { id: post.authorId } }); // @expect');
    assert.ok(appended.includes('findMany({ where: { published: true }, take: 50, include: { author: true } });'));
    // A declared `Post[]` collection, or a key that is not the relation's foreign key: no include fix.
    assert.ok(!fixes('digest.service.ts', 'authors.push(await this.prisma.user.findUnique').some((title) => title.includes('include:')));
    assert.ok(!fixes('digest.service.ts', 'where: { id: post.id }').some((title) => title.includes('include:')));
  });

  it('writes: save(array) and createMany replace the per-element write', () => {
    const saved = fixedText('typeorm', 'order-report.service.ts', 'await this.orderRepository.save(order)');
    assert.match(saved, /for \(const order of orders\) \{\n\s+order\.status = 'shipped';[^\n]*\n\s+\}\n\s+await this\.orderRepository\.save\(orders\);/);
    const created = fixedText('prisma', 'posts.service.ts', 'await this.prisma.tag.create({ data: { name, postId } })');
    assert.ok(created.includes('await this.prisma.tag.createMany({ data: names.map((name) => ({ name, postId })) });'));
    assert.ok(!created.includes('for (const name of names)'));
  });
});
