import { createHash } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { blankCommentsAndStrings } from '../sql/sql-lexer';
import { summarisePlan } from './plan-summary';
import type { PlanSummary, PlannerProgress, PlannerRequest, PlannerVerdict } from './planner-types';

/**
 * One embedded Postgres holding one schema at a time, answering "what does the planner choose for
 * this query, now and with this index". Runs inside the planner worker (planner-worker.ts); tests
 * drive it directly.
 *
 * The table is empty, so left alone the planner would read it sequentially whatever the indexes.
 * `enable_seqscan` and `enable_sort` off make every other path cheaper than a sequential scan or a
 * sort: a Seq Scan or a Sort still in the plan means no index can serve the query (Postgres 18
 * marks such nodes `Disabled`). Parameters stay parameters (`EXPLAIN (GENERIC_PLAN)`), so the plan
 * is the one a prepared statement with unknown values gets.
 */
export class PlannerDatabase {
  private schemaKey: string | undefined;
  private ddlErrors: string[] = [];
  private version: string | undefined;

  private constructor(private readonly db: PGlite) {}

  static async open(create: () => Promise<PGlite>): Promise<PlannerDatabase> {
    const database = new PlannerDatabase(await create());
    const rows = await database.db.query<{ version: string }>('SELECT version()');
    database.version = /^(PostgreSQL [\d.]+(?: \(PGlite [\d.]+\))?)/.exec(rows.rows[0]?.version ?? '')?.[1];
    return database;
  }

  async verify(request: PlannerRequest, progress: (event: PlannerProgress) => void = () => {}): Promise<PlannerVerdict> {
    await this.loadSchema(request.ddl, progress);
    progress({ stage: 'explaining', message: 'Asking the planner' });
    const verdict: PlannerVerdict = { errors: [...this.ddlErrors] };
    if (this.version) verdict.postgres = this.version;
    const query = singleStatement(request.querySql);
    if (query === undefined) {
      verdict.errors.push('the query holds more than one statement; the planner check explains one query at a time.');
      return verdict;
    }
    await this.db.exec('SET enable_seqscan = off; SET enable_sort = off;');
    try {
      verdict.before = await this.explain(query);
    } catch (error) {
      verdict.errors.push(`the query could not be planned: ${messageOf(error)}`);
      return verdict;
    }
    if (request.createIndexSql) {
      const createIndex = singleStatement(request.createIndexSql);
      if (createIndex === undefined) verdict.errors.push('the proposed index is not one CREATE INDEX statement.');
      else {
        try {
          await this.db.exec('BEGIN');
          // CONCURRENTLY cannot run in a transaction; on an empty table it changes nothing.
          await this.db.exec(createIndex.replace(/\bCONCURRENTLY\s+/i, ''));
          verdict.after = await this.explain(query);
          if (request.proposedIndexName) verdict.proposalUsed = verdict.after.usesIndexes.includes(request.proposedIndexName);
        } catch (error) {
          verdict.errors.push(`the proposed index could not be created or planned: ${messageOf(error)}`);
        } finally {
          await this.db.exec('ROLLBACK').catch(() => undefined);
        }
      }
    }
    return verdict;
  }

  private async explain(sql: string): Promise<PlanSummary> {
    const results = await this.db.exec(`EXPLAIN (FORMAT JSON, GENERIC_PLAN) ${sql}`);
    const row = results.at(-1)?.rows[0] as Record<string, unknown> | undefined;
    return summarisePlan(row?.['QUERY PLAN']);
  }

  /** Replaces the loaded schema when the DDL differs; every statement runs on its own. */
  private async loadSchema(ddl: readonly string[], progress: (event: PlannerProgress) => void): Promise<void> {
    const key = createHash('sha1').update(ddl.join(';\n')).digest('hex');
    if (key === this.schemaKey) return;
    progress({ stage: 'schema', message: `Creating the schema (${ddl.length} statements)` });
    await this.reset();
    this.ddlErrors = [];
    for (const statement of ddl) {
      try {
        await this.db.exec(statement);
      } catch (error) {
        this.ddlErrors.push(`skipped \`${abbreviate(statement)}\`: ${messageOf(error)}`);
      }
    }
    this.schemaKey = key;
  }

  /** Drops every schema a previous load created, and recreates an empty `public`. */
  private async reset(): Promise<void> {
    if (this.schemaKey === undefined) return;
    const schemas = await this.db.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
    );
    for (const { nspname } of schemas.rows) await this.db.exec(`DROP SCHEMA "${nspname.replace(/"/g, '""')}" CASCADE`);
    await this.db.exec('CREATE SCHEMA public');
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/** The text without trailing semicolons, or undefined when it holds several statements. */
export function singleStatement(sql: string): string | undefined {
  const trimmed = sql.trim().replace(/;\s*$/, '').trim();
  if (trimmed === '') return undefined;
  return blankCommentsAndStrings(trimmed).includes(';') ? undefined : trimmed;
}

function abbreviate(statement: string): string {
  const line = statement.replace(/\s+/g, ' ');
  return line.length > 100 ? `${line.slice(0, 97)}…` : line;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
