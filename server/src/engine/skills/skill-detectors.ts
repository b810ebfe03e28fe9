import type { ParsedFile } from '../source/parsed-file';
import type { SkillId } from '../model/skills';

/**
 * What each skill looks at, recognised from a file's imports (never from a method name alone) or
 * its language. Rules add their own, sharper reasons through `RuleDefinition.activation`; these
 * cover a skill whose rules have no hook yet, so the panel can say why a skill applies.
 */
type Detector = (file: ParsedFile, imported: ImportedNames) => string | undefined;

/** Names imported per module specifier. */
type ImportedNames = ReadonlyMap<string, ReadonlySet<string>>;

const ORM_MODULES: Array<{ modules: string[]; label: string }> = [
  { modules: ['sequelize', 'sequelize-typescript'], label: 'Sequelize models and queries' },
  { modules: ['@mikro-orm/core', '@mikro-orm/postgresql', '@mikro-orm/nestjs'], label: 'MikroORM entities and queries' },
  { modules: ['drizzle-orm', 'drizzle-orm/pg-core', 'drizzle-orm/node-postgres'], label: 'Drizzle queries' },
  { modules: ['knex'], label: 'Knex queries' },
  { modules: ['kysely'], label: 'Kysely queries' },
  { modules: ['@prisma/client'], label: 'Prisma client queries' },
  { modules: ['pg', 'postgres', 'pg-promise'], label: 'PostgreSQL client queries' },
];

const TYPEORM_MODULES = ['typeorm', '@nestjs/typeorm'];
const TYPEORM_QUERY_NAMES = ['Repository', 'InjectRepository', 'DataSource', 'EntityManager', 'InjectDataSource', 'InjectEntityManager', 'getRepository', 'SelectQueryBuilder'];
const TYPEORM_ENTITY_NAMES = ['Entity', 'ViewEntity'];
const NEST_ROUTE_DECORATORS = ['Controller', 'Get', 'Post', 'Put', 'Patch', 'Delete', 'Head', 'Options', 'All'];
const NEST_GRAPHQL_DECORATORS = ['Resolver', 'Query', 'Mutation', 'ResolveField'];
const HTTP_ROUTE_CALL = /\.(?:get|post|put|patch|delete|route)\(\s*['"`]\//;
const MESSAGING_MODULES: Array<{ modules: string[]; label: string }> = [
  { modules: ['@nestjs/microservices'], label: 'NestJS microservice transport' },
  { modules: ['@nestjs/cqrs'], label: 'CQRS events and commands' },
  { modules: ['kafkajs', 'amqplib', 'amqp-connection-manager', 'bullmq', 'nats', '@aws-sdk/client-sqs'], label: 'message broker client' },
  { modules: ['opossum', 'cockatiel'], label: 'resilience policy (circuit breaker, retry)' },
];

function hasAny(imported: ImportedNames, modules: readonly string[], names?: readonly string[]): boolean {
  for (const module of modules) {
    const bound = imported.get(module);
    if (!bound) continue;
    if (!names || names.some((name) => bound.has(name))) return true;
  }
  return false;
}

const DETECTORS: Record<SkillId, Detector[]> = {
  'database-optimizer': [
    (file) => (file.language === 'sql' ? 'SQL file' : undefined),
    (_file, imported) => (hasAny(imported, TYPEORM_MODULES, TYPEORM_QUERY_NAMES) ? 'TypeORM repository calls' : undefined),
    (_file, imported) => (hasAny(imported, TYPEORM_MODULES, TYPEORM_ENTITY_NAMES) ? 'TypeORM entity' : undefined),
    ...ORM_MODULES.map(({ modules, label }): Detector => (_file, imported) => (hasAny(imported, modules) ? label : undefined)),
  ],
  'api-designer': [
    (_file, imported) => (hasAny(imported, ['@nestjs/common'], NEST_ROUTE_DECORATORS) ? 'route decorators' : undefined),
    (_file, imported) => (hasAny(imported, ['@nestjs/graphql'], NEST_GRAPHQL_DECORATORS) ? 'GraphQL resolver' : undefined),
    (file, imported) => (hasAny(imported, ['express', 'fastify', 'koa-router', '@koa/router', 'hono']) && HTTP_ROUTE_CALL.test(file.text) ? 'HTTP route handlers' : undefined),
  ],
  'microservices-architect': MESSAGING_MODULES.map(({ modules, label }): Detector => (_file, imported) => (hasAny(imported, modules) ? label : undefined)),
  'nestjs-expert': [
    (file, imported) => (hasAny(imported, ['@nestjs/common'], ['Module']) && file.text.includes('@Module(') ? 'NestJS module' : undefined),
    (_file, imported) => (hasAny(imported, ['@nestjs/common'], ['Controller']) ? 'NestJS controller' : undefined),
    (_file, imported) => (hasAny(imported, ['@nestjs/common'], ['CanActivate', 'NestInterceptor', 'PipeTransform', 'ExceptionFilter', 'Catch']) ? 'NestJS guard, interceptor, pipe or filter' : undefined),
    (_file, imported) => (hasAny(imported, ['@nestjs/common'], ['Injectable']) ? 'NestJS provider' : undefined),
  ],
};

/** The reasons each skill applies to the file, from its imports and language alone. */
export function detectSkills(file: ParsedFile): Map<SkillId, string[]> {
  const imported = new Map<string, Set<string>>();
  for (const [local, binding] of file.imports.entries()) {
    let names = imported.get(binding.module);
    if (!names) imported.set(binding.module, (names = new Set()));
    names.add(binding.imported === 'default' || binding.imported === '*' ? local : binding.imported);
  }
  const result = new Map<SkillId, string[]>();
  for (const [skill, detectors] of Object.entries(DETECTORS) as Array<[SkillId, Detector[]]>) {
    const reasons = detectors.map((detect) => detect(file, imported)).filter((reason): reason is string => reason !== undefined);
    result.set(skill, reasons);
  }
  return result;
}
