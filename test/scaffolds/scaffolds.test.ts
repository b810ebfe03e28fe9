import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { circuitBreakerScaffold } from '../../client/src/scaffolds/circuit-breaker';
import { dataLoaderScaffold, entityClassesIn, keyTypeOf } from '../../client/src/scaffolds/data-loader';
import { errorContractScaffold } from '../../client/src/scaffolds/error-contract';
import { detectLayout } from '../../client/src/scaffolds/layout';
import type { ScaffoldPlan } from '../../client/src/scaffolds/model';
import { registerInModule } from '../../client/src/scaffolds/module-registration';
import { resourceScaffold } from '../../client/src/scaffolds/resource';
import { formatDiagnostics, typeCheck } from '../../server/src/engine/testing/type-check';
import { AnalysisEngine } from '../../server/src/engine/analysis-engine';
import { RULES } from '../../server/src/rules/registry';
import { jwtAuthScaffold, userEntityShape } from '../../client/src/scaffolds/jwt-auth';
import { diskReader, NEST_COMPILER_OPTIONS, projectFiles, tempNestProject } from './nest-project';

const roots: string[] = [];
after(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

/** Writes the plan as the command layer does (refusing to overwrite), registers the modules, and returns the project's files. */
function apply(root: string, plan: ScaffoldPlan): void {
  for (const file of plan.files) {
    const target = path.join(root, file.path);
    assert.ok(!fs.existsSync(target), `${file.path} would be overwritten`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
  for (const registration of plan.registrations) {
    const target = path.join(root, registration.moduleFile);
    const updated = registerInModule(fs.readFileSync(target, 'utf8'), registration);
    assert.ok(updated, `${registration.moduleFile} has an @Module to register ${registration.className} in`);
    fs.writeFileSync(target, updated);
  }
  for (const file of plan.open) assert.ok(plan.files.some((written) => written.path === file), `${file} is opened and written`);
}

/** The generated project type-checks, and Backend Advisor's own rules find nothing to say about it. */
function assertTypeChecks(root: string): void {
  const files = new Map(projectFiles(root).filter((file) => file.endsWith('.ts')).map((file) => [path.join(root, file), fs.readFileSync(path.join(root, file), 'utf8')]));
  const diagnostics = typeCheck(files, NEST_COMPILER_OPTIONS);
  assert.equal(formatDiagnostics(diagnostics, root), '');
  const engine = new AnalysisEngine(root, RULES);
  const findings = engine.discover().flatMap((file) => engine.analyze(file).findings);
  assert.deepEqual(findings.map((finding) => `${path.relative(root, finding.filePath)}:${finding.range.start.line + 1} ${finding.ruleId}: ${finding.message}`), []);
}

async function project(dependencies: string[], files: Record<string, string> = {}) {
  const root = tempNestProject(dependencies, files);
  roots.push(root);
  return { root, layout: await detectLayout(diskReader(root)) };
}

const NEST = ['@nestjs/common', '@nestjs/core', 'rxjs', 'reflect-metadata', 'express'];

describe('scaffolds in a temporary NestJS project, type-checked against the real packages', () => {
  it('detects the layout: src/, the root module, the dependencies and the migrations folder', async () => {
    const { layout } = await project([...NEST, 'opossum'], { 'migrations/.keep': '', 'src/users/users.module.ts': '' });
    assert.equal(layout.sourceDir, 'src');
    assert.equal(layout.rootModule, 'src/app.module.ts');
    assert.deepEqual(layout.modules, ['src/app.module.ts', 'src/users/users.module.ts']);
    assert.equal(layout.migrationsDir, 'migrations');
    assert.ok(layout.dependencies.has('opossum'));
  });

  for (const library of ['opossum', 'cockatiel'] as const) {
    it(`circuit-breaker client with ${library}`, async () => {
      const { root, layout } = await project([...NEST, library, ...(library === 'opossum' ? ['@types/opossum'] : [])]);
      const plan = circuitBreakerScaffold(layout, { service: 'payments', library });
      assert.deepEqual(plan.missingDependencies, []);
      apply(root, plan);
      const appModule = fs.readFileSync(path.join(root, 'src/app.module.ts'), 'utf8');
      assert.match(appModule, /import \{ PaymentsClientModule \} from '\.\/payments\/payments-client\.module';/);
      assert.match(appModule, /imports: \[PaymentsClientModule\]/);
      const client = fs.readFileSync(path.join(root, 'src/payments/payments.client.ts'), 'utf8');
      assert.match(client, /AbortSignal\.timeout|timeout\(TIMEOUT_MS/);
      assertTypeChecks(root);
    });
  }

  it('circuit-breaker client reports the library the project lacks', async () => {
    const { layout } = await project(NEST);
    assert.deepEqual(circuitBreakerScaffold(layout, { service: 'payments', library: 'opossum' }).missingDependencies, ['opossum', '@types/opossum']);
  });

  it('error contract: filter, request-id interceptor, registered globally', async () => {
    const { root, layout } = await project(NEST);
    apply(root, errorContractScaffold(layout));
    assert.match(fs.readFileSync(path.join(root, 'src/app.module.ts'), 'utf8'), /imports: \[ErrorsModule\]/);
    assertTypeChecks(root);
  });

  it('DataLoader for a TypeORM entity, registered in the module beside it', async () => {
    const entity = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n\n@Entity('orders')\nexport class Order {\n  @PrimaryGeneratedColumn('increment')\n  id!: number;\n\n  @Column()\n  customerId!: string;\n}\n`;
    const ordersModule = `import { Module } from '@nestjs/common';\nimport { TypeOrmModule } from '@nestjs/typeorm';\nimport { Order } from './order.entity';\n\n@Module({ imports: [TypeOrmModule.forFeature([Order])] })\nexport class OrdersModule {}\n`;
    const { root, layout } = await project([...NEST, 'typeorm', '@nestjs/typeorm', 'dataloader'], { 'src/orders/order.entity.ts': entity, 'src/orders/orders.module.ts': ordersModule });
    assert.deepEqual(entityClassesIn(entity), ['Order']);
    assert.equal(keyTypeOf(entity, 'id'), 'number');
    const plan = dataLoaderScaffold(layout, { entityFile: 'src/orders/order.entity.ts', entityText: entity });
    apply(root, plan);
    const updated = fs.readFileSync(path.join(root, 'src/orders/orders.module.ts'), 'utf8');
    assert.match(updated, /@Module\(\{ providers: \[OrderLoader\], imports: \[TypeOrmModule\.forFeature\(\[Order\]\)\] \}\)/);
    assert.match(updated, /import \{ OrderLoader \} from '\.\/order\.loader';/);
    assertTypeChecks(root);
  });

  it('NestJS resource over TypeORM with nested routes, cursor pagination and the error contract', async () => {
    const { root, layout } = await project([...NEST, 'typeorm', '@nestjs/typeorm', 'class-validator', 'class-transformer']);
    const plan = resourceScaffold(layout, { resource: 'orders', parent: 'users' }, (file) => fs.existsSync(path.join(root, file)));
    apply(root, plan);
    const controller = fs.readFileSync(path.join(root, 'src/orders/orders.controller.ts'), 'utf8');
    assert.match(controller, /@Get\('users\/:userId\/orders'\)/);
    assert.match(controller, /@Patch\('orders\/:id\/status'\)/);
    const appModule = fs.readFileSync(path.join(root, 'src/app.module.ts'), 'utf8');
    assert.match(appModule, /imports: \[OrdersModule, ErrorsModule\]/);
    assertTypeChecks(root);
  });

  it('NestJS resource without TypeORM keeps an in-memory store and reuses an existing error contract', async () => {
    const { root, layout } = await project([...NEST, 'class-validator', 'class-transformer']);
    apply(root, errorContractScaffold(layout));
    const plan = resourceScaffold(layout, { resource: 'categories' }, (file) => fs.existsSync(path.join(root, file)));
    assert.ok(!plan.files.some((file) => file.path.includes('common/errors')));
    apply(root, plan);
    assert.match(fs.readFileSync(path.join(root, 'src/categories/categories.controller.ts'), 'utf8'), /@Get\('categories'\)/);
    assertTypeChecks(root);
  });

  const USER = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n\n@Entity('users')\nexport class User {\n  @PrimaryGeneratedColumn('increment')\n  id!: number;\n\n  @Column({ unique: true })\n  email!: string;\n\n  @Column({ type: 'varchar', nullable: true })\n  passwordHash!: string | null;\n}\n`;

  for (const hash of ['bcrypt', 'argon2'] as const) {
    it(`JWT auth with refresh-token rotation (${hash}), over the project's User entity`, async () => {
      const deps = [...NEST, 'typeorm', '@nestjs/typeorm', '@nestjs/jwt', 'cookie', 'class-validator', hash, ...(hash === 'bcrypt' ? ['@types/bcrypt'] : [])];
      const { root, layout } = await project(deps, { 'src/users/user.entity.ts': USER });
      const plan = jwtAuthScaffold(layout, { userEntityFile: 'src/users/user.entity.ts', userEntityText: USER });
      assert.deepEqual(plan.missingDependencies, []);
      apply(root, plan);
      const service = fs.readFileSync(path.join(root, 'src/auth/auth.service.ts'), 'utf8');
      assert.match(service, /REFRESH_TOKEN_REUSED/);
      assert.match(service, hash === 'bcrypt' ? /from 'bcrypt'/ : /from 'argon2'/);
      assert.match(fs.readFileSync(path.join(root, 'src/auth/auth.controller.ts'), 'utf8'), /httpOnly: true,\s*secure: true,\s*sameSite: 'strict'/);
      assert.match(fs.readFileSync(path.join(root, 'src/app.module.ts'), 'utf8'), /imports: \[AuthModule\]/);
      assertTypeChecks(root);
    });
  }

  it('JWT auth explains what the user entity lacks', () => {
    assert.deepEqual(userEntityShape(`@Entity() export class Account { id!: string; email!: string; }`), { problem: 'Account has no password hash property (passwordHash, password_hash, hashedPassword, hash, password)' });
    assert.deepEqual(userEntityShape('export class NotAnEntity {}'), { problem: 'declares no @Entity class' });
  });
});
