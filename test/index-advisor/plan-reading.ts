/**
 * Reads an `EXPLAIN (FORMAT JSON)` plan for the planner-agreement test: how one table of the query
 * is read (which index, on which condition) and whether a sort sits above that read. The product's
 * plan summary (engine/planner/plan-summary.ts) lists the indexes a plan uses; the agreement test
 * must know more: an Index Scan with no Index Cond reads the whole index (a full scan in disguise,
 * chosen because `enable_seqscan` is off), and only an Index Cond on a column the query
 * constrains means the index serves the filter.
 */

export type PlanNode = Record<string, unknown>;

export interface TableRead {
  /** `Seq Scan`, `Index Scan`, `Index Only Scan`, `Bitmap Heap Scan`. */
  nodeType: string;
  alias: string;
  /** The indexes read for this table (a bitmap scan may AND / OR several), each with its `Index Cond` as Postgres prints it. */
  indexes: Array<{ name: string; condition?: string }>;
  /** Whether a Sort or Incremental Sort node lies above this read. */
  sortedAbove: boolean;
  /** Backward when an index scan reads its index in reverse order. */
  backward: boolean;
}

export function rootOf(explain: unknown): PlanNode | undefined {
  const list = typeof explain === 'string' ? (JSON.parse(explain) as unknown) : explain;
  const first = Array.isArray(list) ? list[0] : list;
  const plan = first && typeof first === 'object' ? (first as PlanNode)['Plan'] : undefined;
  return plan && typeof plan === 'object' ? (plan as PlanNode) : undefined;
}

function children(node: PlanNode): PlanNode[] {
  return Array.isArray(node['Plans']) ? (node['Plans'] as unknown[]).filter((child): child is PlanNode => !!child && typeof child === 'object') : [];
}

const SORTS = new Set(['Sort', 'Incremental Sort']);

/** Every read of `table` (`schema`.`name`) in the plan, in plan order. */
export function readsOf(explain: unknown, table: { schema: string; name: string }): TableRead[] {
  const reads: TableRead[] = [];
  const visit = (node: PlanNode, sortedAbove: boolean): void => {
    const type = String(node['Node Type'] ?? '');
    const relation = node['Relation Name'];
    const schema = typeof node['Schema'] === 'string' ? node['Schema'] : 'public';
    if (relation === table.name && schema === table.schema && /Scan$/.test(type)) {
      const indexNodes = type === 'Bitmap Heap Scan' ? bitmapIndexNodes(node) : /Index/.test(type) ? [node] : [];
      reads.push({
        nodeType: type,
        alias: String(node['Alias'] ?? relation),
        indexes: indexNodes.map((n) => ({ name: String(n['Index Name']), ...(typeof n['Index Cond'] === 'string' ? { condition: n['Index Cond'] } : {}) })),
        sortedAbove,
        backward: node['Scan Direction'] === 'Backward',
      });
    }
    const below = sortedAbove || SORTS.has(type);
    for (const child of children(node)) visit(child, below);
  };
  const root = rootOf(explain);
  if (root) visit(root, false);
  return reads;
}

function bitmapIndexNodes(node: PlanNode): PlanNode[] {
  const found: PlanNode[] = [];
  const visit = (n: PlanNode): void => {
    if (n['Node Type'] === 'Bitmap Index Scan') found.push(n);
    for (const child of children(n)) visit(child);
  };
  for (const child of children(node)) visit(child);
  return found;
}

/**
 * The columns of the read table an index condition names: bare identifiers, and identifiers
 * qualified by the read's alias (`o.customer_id`); `c.id` in `(o.customer_id = c.id)` is the other
 * table's column (the join's outer side), not this one's.
 */
export function conditionColumns(condition: string, alias: string): Set<string> {
  const columns = new Set<string>();
  // Strip string literals and casts' type names so `'open'::text` adds neither `open` nor `text`.
  const text = condition.replace(/'(?:[^']|'')*'/g, "''").replace(/::\s*("[^"]+"|[a-z_][a-z0-9_ ]*(\[\])?)/gi, '');
  const identifier = /(?:("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\.)?("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)(\s*\()?/g;
  for (const match of text.matchAll(identifier)) {
    const [, qualifier, name, call] = match;
    if (call || !name) continue; // a function name (`lower(`)
    if (qualifier !== undefined && unquote(qualifier) !== alias) continue;
    const column = unquote(name);
    if (/^(AND|OR|NOT|IS|NULL|ANY|ALL|ARRAY|TRUE|FALSE|LIKE|IN)$/i.test(column) && !name.startsWith('"')) continue;
    columns.add(column);
  }
  return columns;
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}

/** One line for people: `Index Scan using idx [(customer_id = $1)] on o`, `Seq Scan on orders, sorted above`. */
export function readText(read: TableRead): string {
  const using = read.indexes.length > 0 ? ` using ${read.indexes.map((index) => `${index.name}${index.condition ? ` [${index.condition}]` : ''}`).join(' + ')}` : '';
  return `${read.nodeType}${read.backward ? ' Backward' : ''}${using} on ${read.alias}${read.sortedAbove ? ', sorted above' : ''}`;
}
