import type { ProjectLayout, ScaffoldPlan } from './model';
import { missing } from './layout';
import { camel, kebab, plural } from './names';

export interface DataLoaderInput {
  /** The entity file, relative to the project, e.g. src/orders/order.entity.ts. */
  entityFile: string;
  /** Its text, to find the class and the key's type. */
  entityText: string;
  /** The property to batch by; `id` unless the user picks another. */
  key?: string;
}

/** Entity classes declared with TypeORM's @Entity in a file. */
export function entityClassesIn(text: string): string[] {
  return [...text.matchAll(/@Entity\([^)]*\)\s*(?:@\w+\([^)]*\)\s*)*export\s+(?:default\s+)?class\s+(\w+)/g)].map((match) => match[1]!);
}

/** The TypeScript type of `key` in the entity, string when it cannot be read. */
export function keyTypeOf(text: string, key: string): 'string' | 'number' {
  const declared = new RegExp(`\\b${key}[!?]?\\s*:\\s*(number|string|bigint)\\b`).exec(text)?.[1];
  return declared === 'number' ? 'number' : 'string';
}

/**
 * A request-scoped DataLoader provider for a TypeORM entity: every `load(key)` of one tick becomes
 * one `WHERE key IN (…)` query, results come back in the order asked, and the cache lives for one
 * request only (so one user's data never leaks into another's request). Registered as a provider
 * of the module next to the entity, or the root module.
 */
export function dataLoaderScaffold(layout: ProjectLayout, input: DataLoaderInput): ScaffoldPlan {
  const entity = entityClassesIn(input.entityText)[0];
  if (!entity) throw new Error(`${input.entityFile} declares no @Entity class.`);
  const key = input.key ?? 'id';
  const keyType = keyTypeOf(input.entityText, key);
  const dir = input.entityFile.split('/').slice(0, -1).join('/');
  const base = input.entityFile.split('/').at(-1)!.replace(/\.ts$/, '');
  const loaderFile = `${dir ? `${dir}/` : ''}${kebab(entity)}.loader.ts`;
  const className = `${entity}Loader`;
  const repository = camel(plural(entity));
  const content = `import { Injectable, Scope } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { In, Repository, type FindOptionsWhere } from 'typeorm';
import { ${entity} } from './${base}';

/**
 * Loads ${entity} rows by ${key}, batched: all \`load\` calls made while one request resolves (a
 * GraphQL field resolver per row, a loop over orders) become a single \`WHERE ${key} IN (…)\` query
 * instead of one query each — the N+1 pattern. Request-scoped, so its cache never outlives a
 * request or crosses users.
 */
@Injectable({ scope: Scope.REQUEST })
export class ${className} {
  private readonly loader: DataLoader<${keyType}, ${entity} | null>;

  constructor(@InjectRepository(${entity}) private readonly ${repository}: Repository<${entity}>) {
    this.loader = new DataLoader<${keyType}, ${entity} | null>((keys) => this.batch(keys), { maxBatchSize: 500 });
  }

  /** The ${entity} with this ${key}, or null when there is none. */
  load(${key}: ${keyType}): Promise<${entity} | null> {
    return this.loader.load(${key});
  }

  /** Several at once, in the order given. */
  async loadMany(keys: readonly ${keyType}[]): Promise<Array<${entity} | null>> {
    const results = await this.loader.loadMany(keys);
    return results.map((result) => (result instanceof Error ? null : result));
  }

  private async batch(keys: readonly ${keyType}[]): Promise<Array<${entity} | null>> {
    const rows = await this.${repository}.findBy({ ${key}: In([...keys]) } as FindOptionsWhere<${entity}>);
    const byKey = new Map(rows.map((row) => [row.${key}, row]));
    // DataLoader needs one result per key, in the order of the keys.
    return keys.map((value) => byKey.get(value) ?? null);
  }
}
`;
  const sibling = layout.modules.find((file) => file.startsWith(`${dir}/`) && !file.slice(dir.length + 1).includes('/'));
  const moduleFile = sibling ?? layout.rootModule;
  return {
    title: `DataLoader for ${entity}`,
    files: [{ path: loaderFile, content }],
    registrations: moduleFile ? [{ moduleFile, array: 'providers', className, classFile: loaderFile }] : [],
    open: [loaderFile],
    missingDependencies: missing(layout, ['@nestjs/common', '@nestjs/typeorm', 'typeorm', 'dataloader']),
  };
}
