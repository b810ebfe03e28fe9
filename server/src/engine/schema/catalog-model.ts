/**
 * The schema catalog's data model: tables, their columns, and every index (primary keys and
 * unique constraints included, since Postgres backs both with a btree index), each keeping where
 * it was declared. Built by `schema-catalog.ts` from migrations, schema.prisma and TypeORM entities.
 */

export type SchemaSourceKind = 'sql-migration' | 'typeorm-migration' | 'db-migrate-migration' | 'knex-migration' | 'sequelize-migration' | 'typeorm-entity' | 'prisma-schema' | 'sequelize-model' | 'drizzle-schema' | 'mikro-orm-entity';

export interface SchemaOrigin {
  kind: SchemaSourceKind;
  filePath: string;
  /** UTF-16 offsets in that file. */
  start: number;
  end: number;
}

/** A key of an index: a column, or an expression (`lower(email)`), in its order. */
export interface IndexKey {
  column?: string;
  /** Normalised expression text when the key is not a plain column (`lower(email)`). */
  expression?: string;
  descending: boolean;
  nullsFirst?: boolean;
}

export interface CatalogIndex {
  /** The index or constraint name when declared or derivable. */
  name?: string;
  table: string;
  schema: string;
  keys: IndexKey[];
  unique: boolean;
  primary: boolean;
  /** `btree`, `gin`, `gist`, `hash`, `brin`, ... */
  method: string;
  include: string[];
  /** The partial-index predicate as written, and the columns it mentions. */
  where?: string;
  whereColumns?: string[];
  origin: SchemaOrigin;
}

export interface ForeignKey {
  name?: string;
  columns: string[];
  referencedTable?: string;
  referencedColumns?: string[];
  origin: SchemaOrigin;
}

export interface CatalogColumn {
  name: string;
  type?: string;
  notNull?: boolean;
}

/**
 * How an ORM names a table and its columns in code: a TypeORM entity class, a Prisma model, a
 * Drizzle table variable, a Sequelize model. Query extractors record the ORM's names; the rules
 * resolve them to the table and columns through these mappings, and never guess a mapping.
 */
export interface OrmMapping {
  orm: OrmName;
  /** The entity class, model or table variable name as the code writes it (`Order`, `orders`). */
  name: string;
  table: string;
  schema: string;
  /** Property (field) name -> column name. */
  columns: Record<string, string>;
  /**
   * Relation field -> the local fields it stores and the referenced model's fields, as
   * property names (Prisma `author User @relation(fields: [authorId], references: [id])`).
   */
  relations?: Record<string, { fields: string[]; references: string[] }>;
  /** The property the ORM itself filters `IS NULL` on when reading (Sequelize `paranoid`: `deletedAt`). */
  softDelete?: string;
  /** Where the mapping is declared. */
  origin: SchemaOrigin;
}

export type OrmName = 'typeorm' | 'prisma' | 'sequelize' | 'drizzle' | 'mikro-orm';

export interface CatalogTable {
  schema: string;
  name: string;
  /** Set on tables an ORM declares; kept in the catalog's mappings even when migrations win. */
  mapping?: OrmMapping;
  columns: CatalogColumn[];
  indexes: CatalogIndex[];
  foreignKeys: ForeignKey[];
  /** Where the table was created or declared. */
  origin: SchemaOrigin;
}

export class SchemaCatalog {
  private readonly byKey: Map<string, CatalogTable>;

  constructor(
    tables: Iterable<CatalogTable>,
    /** Files the catalog was built from that could not be read, and why (foreign dialect, syntax error). */
    readonly skipped: ReadonlyArray<{ filePath: string; reason: string }> = [],
    /** Indexes declared by an ORM for a table whose migrations say otherwise: migrations win. */
    readonly overridden: readonly CatalogIndex[] = [],
    /** Every ORM mapping declared in the folder (entities, models, table variables). */
    readonly mappings: readonly OrmMapping[] = [],
    /**
     * Foreign keys as the ORM declares them (a `@ManyToOne`, a Prisma `@relation`), kept even when
     * a migration's table wins: the declaration is where a developer reads and edits the relation.
     */
    readonly declaredForeignKeys: ReadonlyArray<{ table: string; schema: string; foreignKey: ForeignKey }> = [],
  ) {
    this.byKey = new Map([...tables].map((table) => [`${table.schema}.${table.name}`, table]));
    for (const mapping of mappings) {
      const key = `${mapping.orm}:${mapping.name.toLowerCase()}`;
      // Two declarations of one name (two apps in a monorepo folder) are ambiguous: neither is used.
      this.byMapping.set(key, this.byMapping.has(key) ? null : mapping);
    }
  }

  private readonly byMapping = new Map<string, OrmMapping | null>();

  /**
   * The mapping an ORM name refers to. Prisma's client delegates are the model names with a
   * lower-case first letter (`prisma.orderItem` for `model OrderItem`), so names compare without
   * case. Undefined when unknown or declared twice.
   */
  mapping(orm: OrmName, name: string): OrmMapping | undefined {
    return this.byMapping.get(`${orm}:${name.toLowerCase()}`) ?? undefined;
  }

  tables(): CatalogTable[] {
    return [...this.byKey.values()];
  }

  /**
   * A table by name: `schema.name`, or a bare name looked up in `public` first, then in any schema
   * when only one has it. Postgres folds unquoted names to lower case; a name that misses exactly
   * is tried folded.
   */
  table(name: string, schema?: string): CatalogTable | undefined {
    const dot = schema === undefined ? name.indexOf('.') : -1;
    if (dot > 0) return this.table(name.slice(dot + 1), name.slice(0, dot));
    const exact = (n: string): CatalogTable | undefined => {
      if (schema !== undefined) return this.byKey.get(`${schema}.${n}`);
      const inPublic = this.byKey.get(`public.${n}`);
      if (inPublic) return inPublic;
      const matches = this.tables().filter((t) => t.name === n);
      return matches.length === 1 ? matches[0] : undefined;
    };
    return exact(name) ?? exact(name.toLowerCase());
  }

  indexesOf(name: string, schema?: string): CatalogIndex[] {
    return this.table(name, schema)?.indexes ?? [];
  }
}
