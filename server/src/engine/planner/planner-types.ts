/**
 * The planner check's shapes, shared by the session (main thread), the worker, the CLI and the
 * language server. Everything here is plain data: it crosses a worker boundary and the LSP wire.
 */

/**
 * What a finding of an index rule carries so the planner check can run without re-analysing:
 * the query as SQL (parameters as `$n`) and the proposed index as one CREATE INDEX statement.
 * The index rules put it in `Finding.data.verify` (see rules/index-advisor/verification-data.ts).
 */
export interface VerifyData {
  querySql: string;
  createIndexSql: string;
  /** The table the proposal indexes, for messages (`orders`, `billing.invoices`). */
  table: string;
  /** The name the CREATE INDEX gives the proposed index, to tell it apart in the plan. */
  indexName: string;
}

export interface PlannerRequest {
  /** The schema as DDL statements, each run on its own (a rejected one is skipped and reported). */
  ddl: string[];
  querySql: string;
  /** The proposed index; absent to explain the query as the schema stands. */
  createIndexSql?: string;
  proposedIndexName?: string;
}

/** What one EXPLAIN said, reduced to the questions the advisor asks. */
export interface PlanSummary {
  /** Indexes the plan reads (Index Scan, Index Only Scan, Bitmap Index Scan), in plan order. */
  usesIndexes: string[];
  /** Tables read by a sequential scan although `enable_seqscan` was off: no index could serve. */
  seqScanTables: string[];
  /** Whether the plan sorts (Sort, Incremental Sort) although `enable_sort` was off. */
  sorts: boolean;
  /** One line per scan node: `Index Scan using idx_orders_customer on orders`. */
  lines: string[];
  /** The EXPLAIN (FORMAT JSON) output as Postgres returned it. */
  plan: unknown;
}

export interface PlannerVerdict {
  before?: PlanSummary;
  /** The plan with the proposed index created (in a transaction rolled back afterwards). */
  after?: PlanSummary;
  /** Whether the plan with the proposal reads the proposed index. */
  proposalUsed?: boolean;
  /** DDL statements PGlite rejected (skipped), and why the query or the index could not be explained. */
  errors: string[];
  /** The Postgres version that planned, e.g. `PostgreSQL 18.6 (PGlite 0.5.16)`. */
  postgres?: string;
}

export type PlannerStage = 'loading' | 'schema' | 'explaining';

export interface PlannerProgress {
  stage: PlannerStage;
  message: string;
}

/** Reads `finding.data.verify` without trusting its shape (it may come back over the wire). */
export function verifyDataOf(data: Record<string, unknown> | undefined): VerifyData | undefined {
  const verify = data?.['verify'];
  if (!verify || typeof verify !== 'object') return undefined;
  const v = verify as Record<string, unknown>;
  if (typeof v['querySql'] !== 'string' || typeof v['createIndexSql'] !== 'string') return undefined;
  return {
    querySql: v['querySql'],
    createIndexSql: v['createIndexSql'],
    table: typeof v['table'] === 'string' ? v['table'] : '',
    indexName: typeof v['indexName'] === 'string' ? v['indexName'] : '',
  };
}
