import { describePlan } from './plan-summary';
import type { PlanSummary, PlannerVerdict, VerifyData } from './planner-types';

/**
 * One sentence on what the planner chose, for the CLI's stylish report and the editor's message:
 * `Seq Scan on orders now; with the proposed index: Index Scan using idx_orders_status on orders.`
 */
export function verdictSentence(verdict: PlannerVerdict, data?: Pick<VerifyData, 'indexName'>): string {
  if (!verdict.before) return `the planner could not check this query: ${verdict.errors.at(-1) ?? 'unknown error'}`;
  const now = `${describePlan(verdict.before)} now`;
  if (!verdict.after) return verdict.errors.length > 0 && data ? `${now}; ${verdict.errors.at(-1)}` : `${now}.`;
  const withIndex = `with the proposed index: ${describePlan(verdict.after)}`;
  if (verdict.proposalUsed === false) return `${now}; ${withIndex} (the planner does not use ${data?.indexName || 'the proposed index'}).`;
  return `${now}; ${withIndex}.`;
}

/** The verdict as reports carry it (JSON, SARIF properties): the plan lines, not the raw plan. */
export function verdictJson(verdict: PlannerVerdict, data: VerifyData) {
  const plan = (summary: PlanSummary | undefined) =>
    summary && { usesIndexes: summary.usesIndexes, seqScanTables: summary.seqScanTables, sorts: summary.sorts, nodes: summary.lines };
  return {
    summary: verdictSentence(verdict, data),
    query: data.querySql,
    proposedIndex: data.createIndexSql,
    ...(verdict.postgres ? { postgres: verdict.postgres } : {}),
    ...(verdict.before ? { before: plan(verdict.before) } : {}),
    ...(verdict.after ? { after: plan(verdict.after) } : {}),
    ...(verdict.proposalUsed !== undefined ? { proposalUsed: verdict.proposalUsed } : {}),
    errors: verdict.errors,
  };
}

/** The plans in full, for an output channel: the query, the index, and each plan as indented JSON. */
export function verdictReport(verdict: PlannerVerdict, data: VerifyData): string {
  const lines = [`Query: ${data.querySql}`, `Proposed index: ${data.createIndexSql}`, `Planner (${verdict.postgres ?? 'PGlite'}, enable_seqscan and enable_sort off, generic plan): ${verdictSentence(verdict, data)}`];
  if (verdict.before) lines.push('', 'Plan now:', JSON.stringify(verdict.before.plan, null, 2));
  if (verdict.after) lines.push('', 'Plan with the proposed index:', JSON.stringify(verdict.after.plan, null, 2));
  if (verdict.errors.length > 0) lines.push('', 'Notes:', ...verdict.errors.map((error) => `  ${error}`));
  return lines.join('\n');
}
