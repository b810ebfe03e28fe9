import type { ts } from 'ts-morph';

export type Orm = 'typeorm' | 'prisma' | 'sequelize' | 'drizzle' | 'knex' | 'kysely' | 'pg' | 'mikro-orm';

/** A call that sends a query to the database, as recognised in one file. */
export interface DbCall {
  /** The whole call (or tagged template for `prisma.$queryRaw\`…\``). */
  node: ts.CallExpression | ts.TaggedTemplateExpression;
  /** The callee, where the finding goes: `this.orders.findOne`. */
  callee: ts.Expression;
  orm: Orm;
  access: 'read' | 'write';
  /** The ORM method: `findOne`, `getMany`, `create`. */
  method: string;
  /** Where the finding starts: the callee, or the terminal method's name of a query-builder chain. */
  reportFrom: ts.Node;
  /** How messages name the call: `this.orders.findOne`, `this.orders.createQueryBuilder(…).getMany`. */
  display: string;
  /** The receiver that identified the library: the repository, the Prisma client, the model. */
  handle: ts.Expression;
  /** Prisma model delegate name (`user` in `prisma.user.findUnique`). */
  prismaModel?: string;
  /** The outermost expression of a query-builder chain (`db.select().from(t).where(…)`), for batched-argument checks. */
  whole?: ts.Node;
}

export const RULE_ID = 'n-plus-one';
