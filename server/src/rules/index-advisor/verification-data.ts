import { querySql } from '../../engine/planner/query-sql';
import type { VerifyData } from '../../engine/planner/planner-types';
import type { ResolvedQuery } from '../../engine/queries/resolve-query';
import type { SchemaCatalog } from '../../engine/schema/catalog-model';
import type { IndexProposal } from './index-proposal';
import { detectIndexNaming, proposedIndexName } from './migration-writer/index-naming';
import { createIndexSql } from './migration-writer/index-sql';

/**
 * What a finding of an index rule carries for the planner check (`--verify`, "Verify with
 * Postgres Planner"): pass the result as the report's `data`, e.g.
 * `ctx.report({ span, message, fixes, data: verificationData(resolved, proposal, catalog) })`.
 * Undefined when the query cannot be written as SQL (its table is not in the catalog).
 */
export function verificationData(query: ResolvedQuery, proposal: IndexProposal, catalog: SchemaCatalog): { verify: VerifyData } | undefined {
  const sql = querySql(query, proposal.table);
  if (sql === undefined) return undefined;
  const indexName = proposedIndexName(proposal, catalog, detectIndexNaming(catalog, proposal.table.name, 'idx-prefix'));
  const table = proposal.table.schema && proposal.table.schema !== 'public' ? `${proposal.table.schema}.${proposal.table.name}` : proposal.table.name;
  return { verify: { querySql: sql, createIndexSql: createIndexSql(proposal, indexName, { concurrently: false }), table, indexName } };
}
