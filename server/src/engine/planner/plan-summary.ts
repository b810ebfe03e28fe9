import type { PlanSummary } from './planner-types';

/** A node of `EXPLAIN (FORMAT JSON)`: `Node Type`, `Index Name`, `Relation Name`, `Plans`, ... */
type PlanNode = Record<string, unknown>;

/**
 * Reads an `EXPLAIN (FORMAT JSON)` result: the indexes it scans, the tables it reads
 * sequentially, whether it sorts, and one line per scan node for people.
 */
export function summarisePlan(explain: unknown): PlanSummary {
  const summary: PlanSummary = { usesIndexes: [], seqScanTables: [], sorts: false, lines: [], plan: explain };
  const root = rootNode(explain);
  if (root) visit(root, summary);
  return summary;
}

function rootNode(explain: unknown): PlanNode | undefined {
  const list = typeof explain === 'string' ? safeParse(explain) : explain;
  const first = Array.isArray(list) ? list[0] : list;
  const plan = first && typeof first === 'object' ? (first as PlanNode)['Plan'] : undefined;
  return plan && typeof plan === 'object' ? (plan as PlanNode) : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `heap`: the table of the Bitmap Heap Scan above, which its Bitmap Index Scans do not name. */
function visit(node: PlanNode, summary: PlanSummary, heap?: string): void {
  const type = String(node['Node Type'] ?? '');
  const relation = typeof node['Relation Name'] === 'string' ? qualified(node) : heap;
  const index = typeof node['Index Name'] === 'string' ? node['Index Name'] : undefined;
  if (index && /Index/.test(type)) {
    if (!summary.usesIndexes.includes(index)) summary.usesIndexes.push(index);
    const backward = node['Scan Direction'] === 'Backward' ? ' Backward' : '';
    summary.lines.push(`${type}${backward} using ${index}${relation ? ` on ${relation}` : ''}`);
  } else if (type === 'Seq Scan' && relation) {
    if (!summary.seqScanTables.includes(relation)) summary.seqScanTables.push(relation);
    summary.lines.push(`Seq Scan on ${relation}`);
  } else if (type === 'Sort' || type === 'Incremental Sort') {
    summary.sorts = true;
    const keys = Array.isArray(node['Sort Key']) ? ` by ${(node['Sort Key'] as unknown[]).join(', ')}` : '';
    summary.lines.push(`${type}${keys}`);
  }
  for (const child of Array.isArray(node['Plans']) ? (node['Plans'] as unknown[]) : []) {
    if (child && typeof child === 'object') visit(child as PlanNode, summary, type === 'Bitmap Heap Scan' || type === 'BitmapAnd' || type === 'BitmapOr' ? relation : undefined);
  }
}

function qualified(node: PlanNode): string {
  const schema = typeof node['Schema'] === 'string' && node['Schema'] !== 'public' ? `${node['Schema']}.` : '';
  return `${schema}${String(node['Relation Name'])}`;
}

/** `Seq Scan on orders` / `Index Scan using idx_orders_status on orders, Sort by created_at DESC`. */
export function describePlan(summary: PlanSummary): string {
  return summary.lines.length > 0 ? summary.lines.join(', ') : 'no table scan';
}
