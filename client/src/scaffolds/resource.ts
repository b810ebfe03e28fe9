import type { ModuleRegistration, ProjectLayout, ScaffoldPlan } from './model';
import { errorContractDir, errorContractScaffold } from './error-contract';
import { missing } from './layout';
import { camel, constant, join, kebab, pascal, plural, relativeImport, singular, words } from './names';

export interface ResourceInput {
  /** The collection, e.g. "orders". */
  resource: string;
  /** The owning collection for nested routes, e.g. "users" gives GET /users/:userId/orders. */
  parent?: string;
}

/**
 * A NestJS resource: module, controller with resource-driven routes (`GET /users/:userId/orders`,
 * `POST /users/:userId/orders`, `GET /orders/:id`, `PATCH /orders/:id/status`), a service with
 * cursor pagination over TypeORM (or an in-memory store when the project has no TypeORM), DTOs
 * validated with class-validator, and errors in the error contract (scaffolded too if missing).
 */
export function resourceScaffold(layout: ProjectLayout, input: ResourceInput, existing: (file: string) => boolean): ScaffoldPlan {
  const many = kebab(plural(singular(input.resource)));
  const one = singular(many);
  const One = pascal(one);
  const Many = pascal(many);
  const oneVar = camel(one);
  const dir = join(layout.sourceDir, many);
  const parentOne = input.parent ? singular(kebab(input.parent)) : undefined;
  const parentKey = parentOne ? `${camel(parentOne)}Id` : undefined;
  const parentPath = input.parent ? kebab(plural(singular(input.parent))) : undefined;
  const typeorm = layout.dependencies.has('typeorm') && layout.dependencies.has('@nestjs/typeorm');
  const errorsDir = errorContractDir(layout);
  const file = (name: string) => join(dir, name);
  const listPath = parentPath ? `${parentPath}/:${parentKey}/${many}` : many;
  const readable = words(one).join(' ');
  const NOT_FOUND = `${constant(one)}_NOT_FOUND`;

  const entity = `import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ${One}Status = 'pending' | 'active' | 'closed';

@Entity('${many.replace(/-/g, '_')}')
${parentKey ? `// Listing ${many} of one ${parentOne} pages by (${parentKey}, id): one index serves the filter and the order.\n@Index(['${parentKey}', 'id'])\n` : ''}export class ${One} {
  @PrimaryGeneratedColumn('uuid')
  id!: string;
${parentKey ? `\n  @Column('uuid')\n  ${parentKey}!: string;\n` : ''}
  @Column()
  name!: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: ${One}Status;

  @CreateDateColumn()
  createdAt!: Date;
}
`;
  const memoryModel = `export type ${One}Status = 'pending' | 'active' | 'closed';

export interface ${One} {
  id: string;
${parentKey ? `  ${parentKey}: string;\n` : ''}  name: string;
  status: ${One}Status;
  createdAt: Date;
}
`;
  const modelFile = typeorm ? file(`${one}.entity.ts`) : file(`${one}.model.ts`);
  const modelImport = `./${modelFile.split('/').at(-1)!.replace(/\.ts$/, '')}`;

  const page = `/** A page of a cursor-paginated list: pass \`pagination.cursor\` as \`after\` to get the next one. */
export interface Page<T> {
  data: T[];
  pagination: {
    /** Opaque; null on the last page. */
    cursor: string | null;
    hasMore: boolean;
    /** Counting every row is slow on large tables, so lists do not. */
    total: null;
  };
}

export function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => string): Page<T> {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  const last = data.at(-1);
  return { data, pagination: { cursor: hasMore && last ? Buffer.from(cursorOf(last)).toString('base64url') : null, hasMore, total: null } };
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  return cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : undefined;
}
`;
  const dtos = `import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ${One}Status } from '${modelImport.replace('./', '../')}';

export class Create${One}Dto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}

export class Update${One}StatusDto {
  @IsIn(['pending', 'active', 'closed'])
  status!: ${One}Status;
}

export class List${Many}Query {
  /** The cursor from the previous page's \`pagination.cursor\`. */
  @IsOptional()
  @IsString()
  after?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 25;
}
`;
  const apiException = relativeImport(file(`${many}.service.ts`), join(errorsDir, 'error-response.ts'));
  const service = typeorm
    ? `import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository, type FindOptionsWhere } from 'typeorm';
import { ApiException } from '${apiException}';
import { Create${One}Dto, List${Many}Query, Update${One}StatusDto } from './dto/${one}.dto';
import { decodeCursor, pageOf, type Page } from './dto/page';
import { ${One} } from '${modelImport}';

@Injectable()
export class ${Many}Service {
  constructor(@InjectRepository(${One}) private readonly ${camel(many)}: Repository<${One}>) {}

  async list(${parentKey ? `${parentKey}: string, ` : ''}query: List${Many}Query): Promise<Page<${One}>> {
    const after = decodeCursor(query.after);
    const where: FindOptionsWhere<${One}> = { ${parentKey ? `${parentKey}, ` : ''}...(after ? { id: MoreThan(after) } : {}) };
    // One row more than asked tells whether there is a next page without counting.
    const rows = await this.${camel(many)}.find({ where, order: { id: 'ASC' }, take: query.limit + 1 });
    return pageOf(rows, query.limit, (row) => row.id);
  }

  async get(id: string): Promise<${One}> {
    const ${oneVar} = await this.${camel(many)}.findOneBy({ id });
    if (!${oneVar}) throw new ApiException(HttpStatus.NOT_FOUND, '${NOT_FOUND}', \`${readable} \${id} does not exist\`);
    return ${oneVar};
  }

  create(${parentKey ? `${parentKey}: string, ` : ''}dto: Create${One}Dto): Promise<${One}> {
    return this.${camel(many)}.save(this.${camel(many)}.create({ ${parentKey ? `${parentKey}, ` : ''}name: dto.name, status: 'pending' }));
  }

  async setStatus(id: string, dto: Update${One}StatusDto): Promise<${One}> {
    const ${oneVar} = await this.get(id);
    ${oneVar}.status = dto.status;
    return this.${camel(many)}.save(${oneVar});
  }
}
`
    : `import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApiException } from '${apiException}';
import { Create${One}Dto, List${Many}Query, Update${One}StatusDto } from './dto/${one}.dto';
import { decodeCursor, pageOf, type Page } from './dto/page';
import type { ${One} } from '${modelImport}';

/** Keeps ${many} in memory; replace the Map with your database access, keeping the cursor logic. */
@Injectable()
export class ${Many}Service {
  private readonly ${camel(many)} = new Map<string, ${One}>();

  async list(${parentKey ? `${parentKey}: string, ` : ''}query: List${Many}Query): Promise<Page<${One}>> {
    const after = decodeCursor(query.after);
    const rows = [...this.${camel(many)}.values()]
      .filter((row) => ${parentKey ? `row.${parentKey} === ${parentKey} && ` : ''}(after === undefined || row.id > after))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, query.limit + 1);
    return pageOf(rows, query.limit, (row) => row.id);
  }

  async get(id: string): Promise<${One}> {
    const ${oneVar} = this.${camel(many)}.get(id);
    if (!${oneVar}) throw new ApiException(HttpStatus.NOT_FOUND, '${NOT_FOUND}', \`${readable} \${id} does not exist\`);
    return ${oneVar};
  }

  async create(${parentKey ? `${parentKey}: string, ` : ''}dto: Create${One}Dto): Promise<${One}> {
    const ${oneVar}: ${One} = { id: randomUUID(), ${parentKey ? `${parentKey}, ` : ''}name: dto.name, status: 'pending', createdAt: new Date() };
    this.${camel(many)}.set(${oneVar}.id, ${oneVar});
    return ${oneVar};
  }

  async setStatus(id: string, dto: Update${One}StatusDto): Promise<${One}> {
    const ${oneVar} = await this.get(id);
    ${oneVar}.status = dto.status;
    return ${oneVar};
  }
}
`;
  const controller = `import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query, UsePipes, ValidationPipe } from '@nestjs/common';
import { Create${One}Dto, List${Many}Query, Update${One}StatusDto } from './dto/${one}.dto';
import type { Page } from './dto/page';
import type { ${One} } from '${modelImport}';
import { ${Many}Service } from './${many}.service';

/** Routes name resources, not actions: the status change is a PATCH of the ${readable}'s status. */
@Controller()
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class ${Many}Controller {
  constructor(private readonly ${camel(many)}: ${Many}Service) {}

  @Get('${listPath}')
  list(${parentKey ? `@Param('${parentKey}', ParseUUIDPipe) ${parentKey}: string, ` : ''}@Query() query: List${Many}Query): Promise<Page<${One}>> {
    return this.${camel(many)}.list(${parentKey ? `${parentKey}, ` : ''}query);
  }

  @Post('${listPath}')
  @HttpCode(HttpStatus.CREATED)
  create(${parentKey ? `@Param('${parentKey}', ParseUUIDPipe) ${parentKey}: string, ` : ''}@Body() dto: Create${One}Dto): Promise<${One}> {
    return this.${camel(many)}.create(${parentKey ? `${parentKey}, ` : ''}dto);
  }

  @Get('${many}/:id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<${One}> {
    return this.${camel(many)}.get(id);
  }

  @Patch('${many}/:id/status')
  setStatus(@Param('id', ParseUUIDPipe) id: string, @Body() dto: Update${One}StatusDto): Promise<${One}> {
    return this.${camel(many)}.setStatus(id, dto);
  }
}
`;
  const module = `import { Module } from '@nestjs/common';
${typeorm ? `import { TypeOrmModule } from '@nestjs/typeorm';\n` : ''}import { ${Many}Controller } from './${many}.controller';
import { ${Many}Service } from './${many}.service';
${typeorm ? `import { ${One} } from '${modelImport}';\n` : ''}
@Module({
${typeorm ? `  imports: [TypeOrmModule.forFeature([${One}])],\n` : ''}  controllers: [${Many}Controller],
  providers: [${Many}Service],
  exports: [${Many}Service],
})
export class ${Many}Module {}
`;
  const moduleFile = file(`${many}.module.ts`);
  const files = [
    { path: modelFile, content: typeorm ? entity : memoryModel },
    { path: file('dto/page.ts'), content: page },
    { path: file(`dto/${one}.dto.ts`), content: dtos },
    { path: file(`${many}.service.ts`), content: service },
    { path: file(`${many}.controller.ts`), content: controller },
    { path: moduleFile, content: module },
  ];
  const registrations: ModuleRegistration[] = layout.rootModule ? [{ moduleFile: layout.rootModule, array: 'imports', className: `${Many}Module`, classFile: moduleFile }] : [];
  // The service throws ApiException: bring the error contract along when the project lacks it.
  if (!existing(join(errorsDir, 'error-response.ts'))) {
    const contract = errorContractScaffold(layout);
    files.push(...contract.files);
    registrations.push(...contract.registrations);
  }
  return {
    title: `${many} resource`,
    files,
    registrations,
    open: [file(`${many}.controller.ts`)],
    missingDependencies: missing(layout, ['@nestjs/common', '@nestjs/core', 'class-validator', 'class-transformer', ...(typeorm ? ['typeorm', '@nestjs/typeorm'] : [])]),
  };
}
