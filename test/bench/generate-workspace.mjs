// Writes a deterministic NestJS-style workspace for the benchmark: 2,000 files of ~100-150
// lines (modules, services calling HttpService / axios / fetch with and without timeouts,
// controllers, entities, DTOs...) plus one 1,500-line service, the file the LSP bench edits.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../support/seeded-random.mjs';

export const FILE_COUNT = 2000;
const KINDS = ['module', 'service', 'controller', 'client', 'entity', 'dto', 'repository', 'mapper', 'guard', 'worker'];
export const BIG_FILE = 'src/orders-0/orders-0.service.ts';

export function generateWorkspace(root) {
  rmSync(root, { recursive: true, force: true });
  const random = seededRandom(20240611);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const chance = (p) => random() < p;
  const write = (relative, text) => {
    const full = join(root, relative);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  };
  write('package.json', JSON.stringify({ name: 'bench-workspace', private: true, dependencies: { '@nestjs/common': '^10.0.0', '@nestjs/axios': '^3.0.0', '@nestjs/typeorm': '^10.0.0', axios: '^1.6.0', rxjs: '^7.8.0', typeorm: '^0.3.0' } }, null, 2));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, experimentalDecorators: true, emitDecoratorMetadata: true } }, null, 2));

  const modules = FILE_COUNT / KINDS.length;
  const moduleNames = [];
  let lines = 0;
  for (let m = 0; m < modules; m++) {
    const name = m === 0 ? 'orders-0' : `${pick(['orders', 'payments', 'inventory', 'users', 'shipping', 'billing', 'catalog', 'reviews'])}-${m}`;
    moduleNames.push(name);
    const ctx = { name, cls: pascal(name), random, pick, chance };
    for (const kind of KINDS) {
      const text = kind === 'service' && m === 0 ? bigService(ctx) : GENERATORS[kind](ctx);
      lines += text.split('\n').length;
      write(`src/${name}/${name}.${kind}.ts`, text);
    }
  }
  // One SQL migration per module creating its table: the schema catalog the index rules read.
  for (let m = 0; m < MIGRATIONS; m++) {
    const name = moduleNames[m];
    const table = name.replace(/-/g, '_');
    const columns = Array.from({ length: 26 }, (_v, i) => `  field${i} ${pick(['text', 'integer', 'timestamptz', 'boolean'])}`).join(',\n');
    const text = [`-- ${name}: created with its lookup indexes`, `CREATE TABLE ${table} (`, `  id uuid PRIMARY KEY,`, `${columns}`, `);`, ``, ...Array.from({ length: 5 }, (_v, i) => `CREATE INDEX idx_${table}_field${i * 5} ON ${table} (field${i * 5});`), ''].join('\n');
    lines += text.split('\n').length;
    write(`migrations/${String(1700000000000 + m)}_create_${table}.sql`, text);
  }
  return { files: FILE_COUNT + MIGRATIONS, lines };
}

/** SQL migrations, one per module (200), besides the TypeScript files. */
const MIGRATIONS = FILE_COUNT / KINDS.length;

const pascal = (id) => id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c) => c.toUpperCase());

function remoteCall(ctx, i) {
  const url = `\`\${this.baseUrl}/${ctx.name}/${i}/\${id}\``;
  const timed = ctx.chance(0.5);
  switch (ctx.pick(['nest', 'axios', 'fetch'])) {
    case 'nest':
      return timed ? `    const response = await firstValueFrom(this.http.get(${url}, { timeout: ${ctx.pick([2000, 5000, 8000])} }));\n    return response.data;` : `    const response = await firstValueFrom(this.http.get(${url}));\n    return response.data;`;
    case 'axios':
      return timed ? `    const { data } = await axios.get(${url}, { timeout: ${ctx.pick([1500, 3000])} });\n    return data;` : `    const { data } = await axios.post(${url}, { id });\n    return data;`;
    default:
      return timed
        ? `    const res = await fetch(${url}, { signal: AbortSignal.timeout(${ctx.pick([1000, 4000])}) });\n    return res.json();`
        : `    const res = await fetch(${url});\n    return res.json();`;
  }
}

function serviceMethods(ctx, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(
      `  /** Loads ${ctx.name} item ${i} and maps it for the API. */`,
      `  async load${i}(id: string): Promise<unknown> {`,
      `    this.logger.debug(\`load${i} \${id}\`);`,
      `    if (!id) {`,
      `      throw new Error('id is required');`,
      `    }`,
      remoteCall(ctx, i),
      `  }`,
      ``,
      `  private score${i}(values: number[]): number {`,
      `    let total = 0;`,
      `    for (const value of values) total += value * ${i + 1};`,
      `    return values.length ? total / values.length : 0;`,
      `  }`,
      ``,
    );
  }
  return out.join('\n');
}

function serviceHeader(ctx) {
  return [
    `import { Injectable, Logger } from '@nestjs/common';`,
    `import { HttpService } from '@nestjs/axios';`,
    `import axios from 'axios';`,
    `import { firstValueFrom } from 'rxjs';`,
    `import { ${ctx.cls}Entity } from './${ctx.name}.entity';`,
    ``,
    `@Injectable()`,
    `export class ${ctx.cls}Service {`,
    `  private readonly logger = new Logger(${ctx.cls}Service.name);`,
    `  private readonly baseUrl = process.env.${ctx.name.replace(/-/g, '_').toUpperCase()}_URL ?? 'http://${ctx.name}.internal';`,
    ``,
    `  constructor(private readonly http: HttpService) {}`,
    ``,
  ].join('\n');
}

function bigService(ctx) {
  return `${serviceHeader(ctx)}${serviceMethods(ctx, 93)}}\n`;
}

const GENERATORS = {
  service: (ctx) => `${serviceHeader(ctx)}${serviceMethods(ctx, 7)}}\n`,
  module: (ctx) => {
    const timeout = ctx.chance(0.5) ? `HttpModule.register({ timeout: 5000, maxRedirects: 3 })` : 'HttpModule';
    const body = [];
    for (let i = 0; i < 24; i++) body.push(`// Route group ${i}: ${ctx.name} endpoints are versioned under /v${(i % 3) + 1}.`, `export const ${ctx.cls.toUpperCase()}_ROUTE_${i} = '/${ctx.name}/${i}';`, `export const ${ctx.cls.toUpperCase()}_LIMIT_${i} = ${(i + 1) * 10};`, ``);
    return [
      `import { Module } from '@nestjs/common';`,
      `import { HttpModule } from '@nestjs/axios';`,
      `import { ${ctx.cls}Controller } from './${ctx.name}.controller';`,
      `import { ${ctx.cls}Service } from './${ctx.name}.service';`,
      ``,
      `@Module({`,
      `  imports: [${timeout}],`,
      `  controllers: [${ctx.cls}Controller],`,
      `  providers: [${ctx.cls}Service],`,
      `  exports: [${ctx.cls}Service],`,
      `})`,
      `export class ${ctx.cls}Module {}`,
      ``,
      ...body,
    ].join('\n');
  },
  controller: (ctx) => {
    const out = [`import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';`, `import { ${ctx.cls}Service } from './${ctx.name}.service';`, `import { Create${ctx.cls}Dto } from './${ctx.name}.dto';`, ``, `@Controller('${ctx.name}')`, `export class ${ctx.cls}Controller {`, `  constructor(private readonly service: ${ctx.cls}Service) {}`, ``];
    for (let i = 0; i < 11; i++) {
      out.push(`  @Get('${i}/:id')`, `  async get${i}(@Param('id') id: string, @Query('expand') expand?: string) {`, `    const item = await this.service.load${i % 7}(id);`, `    return expand ? { item, expanded: true } : item;`, `  }`, ``, `  @Post('${i}')`, `  async create${i}(@Body() body: Create${ctx.cls}Dto) {`, `    return { created: body.name, at: new Date().toISOString() };`, `  }`, ``);
    }
    out.push('}');
    return out.join('\n');
  },
  client: (ctx) => {
    const out = [`import axios from 'axios';`, ``, `const client = axios.create({ baseURL: 'http://${ctx.name}.internal'${ctx.chance(0.5) ? ', timeout: 3000' : ''} });`, ``];
    for (let i = 0; i < 14; i++) {
      out.push(`export async function fetch${ctx.cls}${i}(id: string) {`, `  const started = Date.now();`, ctx.chance(0.5) ? `  const response = await fetch(\`http://${ctx.name}.internal/${i}/\${id}\`);` : `  const response = await fetch(\`http://${ctx.name}.internal/${i}/\${id}\`, { signal: AbortSignal.timeout(2500) });`, `  if (!response.ok) throw new Error(\`${ctx.name} ${i} failed: \${response.status}\`);`, `  const body = await client.get(\`/${i}/\${id}\`);`, `  return { body: body.data, ms: Date.now() - started };`, `}`, ``);
    }
    return out.join('\n');
  },
  entity: (ctx) => {
    const out = [`import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';`, ``, `@Entity('${ctx.name.replace(/-/g, '_')}')`, `export class ${ctx.cls}Entity {`, `  @PrimaryGeneratedColumn('uuid')`, `  id!: string;`, ``];
    for (let i = 0; i < 26; i++) out.push(i % 5 === 0 ? `  @Index()` : `  // column ${i}`, `  @Column({ type: '${ctx.pick(['text', 'integer', 'timestamptz', 'boolean'])}', nullable: ${i % 2 === 0} })`, `  field${i}!: ${ctx.pick(['string', 'number', 'Date', 'boolean'])};`, ``);
    out.push('}');
    return out.join('\n');
  },
  dto: (ctx) => {
    const out = [`export class Create${ctx.cls}Dto {`];
    for (let i = 0; i < 30; i++) out.push(`  /** Field ${i} of the request body. */`, `  readonly field${i}?: ${ctx.pick(['string', 'number', 'boolean'])};`, ``);
    out.push(`  readonly name!: string;`, `}`, ``, `export class Update${ctx.cls}Dto {`);
    for (let i = 0; i < 8; i++) out.push(`  readonly patch${i}?: string;`);
    out.push('}');
    return out.join('\n');
  },
  repository: (ctx) => {
    // A TypeORM repository wrapper: filtered, sorted and paginated finds the index rules match
    // against the migrations below (some served by an index, some not).
    const out = [`import { Injectable } from '@nestjs/common';`, `import { InjectRepository } from '@nestjs/typeorm';`, `import { MoreThan, Repository } from 'typeorm';`, `import { ${ctx.cls}Entity } from './${ctx.name}.entity';`, ``, `@Injectable()`, `export class ${ctx.cls}Repository {`, `  constructor(@InjectRepository(${ctx.cls}Entity) private readonly repo: Repository<${ctx.cls}Entity>) {}`, ``];
    for (let i = 0; i < 14; i++) out.push(`  find${i}(value: string, since: Date, page: number): Promise<${ctx.cls}Entity[]> {`, `    return this.repo.find({`, `      where: { field${i % 26}: value, field${(i + 3) % 26}: MoreThan(since) },`, `      order: { field${(i + 7) % 26}: 'DESC' },`, `      take: 20,`, `      skip: page * 20,`, `    });`, `  }`, ``, `  count${i}(value: string): Promise<number> {`, `    return this.repo.count({ where: { field${(i * 5) % 26}: value } });`, `  }`, ``);
    out.push('}');
    return out.join('\n');
  },
  mapper: (ctx) => {
    const out = [`import type { ${ctx.cls}Entity } from './${ctx.name}.entity';`, ``];
    for (let i = 0; i < 16; i++) out.push(`export function toView${i}(entity: ${ctx.cls}Entity) {`, `  return {`, `    id: entity.id,`, `    value: entity.field${i},`, `    label: \`${ctx.name} \${entity.id}\`,`, `  };`, `}`, ``);
    return out.join('\n');
  },
  guard: (ctx) => {
    const out = [`import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';`, ``, `@Injectable()`, `export class ${ctx.cls}Guard implements CanActivate {`, `  canActivate(context: ExecutionContext): boolean {`, `    const request = context.switchToHttp().getRequest();`, `    return this.check(request.headers ?? {});`, `  }`, ``, `  private check(headers: Record<string, string>): boolean {`];
    for (let i = 0; i < 28; i++) out.push(`    if (headers['x-${ctx.name}-${i}'] === 'deny') return false;`, `    // rule ${i} allows the rest`, `    if (headers['x-trace-${i}']) void headers['x-trace-${i}'].length;`);
    out.push(`    return true;`, `  }`, `}`);
    return out.join('\n');
  },
  worker: (ctx) => {
    const out = [`import axios from 'axios';`, ``, `export class ${ctx.cls}Worker {`, `  private running = false;`, ``];
    for (let i = 0; i < 12; i++) out.push(`  async job${i}(payload: { id: string }) {`, `    if (this.running) return;`, `    this.running = true;`, `    try {`, ctx.chance(0.5) ? `      await axios.post('http://${ctx.name}.internal/jobs/${i}', payload, { timeout: 10000 });` : `      await axios.post('http://${ctx.name}.internal/jobs/${i}', payload);`, `    } finally {`, `      this.running = false;`, `    }`, `  }`, ``);
    out.push('}');
    return out.join('\n');
  },
};
