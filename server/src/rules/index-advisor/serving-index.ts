import type { ParsedFile } from '../../engine/source/parsed-file';
import type { ProjectView } from '../../engine/workspace/project-view';
import { indexLabel, matchFilters } from './index-match';
import { resolvedQueriesOf } from './query-findings';

/**
 * Why the query at `offset` needs no index, when an index serves it: "`idx_orders_status` on
 * `orders` serves this query." Undefined when there is no complete, resolvable query there or
 * nothing serves it (then the index rules have a finding, or cannot know). The Create Index
 * command says this instead of a bare "nothing to do".
 */
export function servingIndexMessage(file: ParsedFile, project: ProjectView, offset: number): string | undefined {
  const resolved = resolvedQueriesOf(file, project, () => {});
  if (!resolved) return undefined;
  const query = resolved.queries.find(({ query: q }) => q.span.start <= offset && offset <= q.span.end) ?? nearestOnLine(resolved.queries, file, offset);
  if (!query) return undefined;
  const served: string[] = [];
  for (const access of query.accesses) {
    const verdict = matchFilters(access);
    if (verdict.kind === 'served') served.push(`${indexLabel(verdict.index)} on \`${access.table.name}\``);
  }
  return served.length > 0 ? `${served.join(' and ')} already ${served.length > 1 ? 'serve' : 'serves'} the query under the cursor.` : undefined;
}

function nearestOnLine<T extends { query: { span: { start: number; end: number } } }>(queries: readonly T[], file: ParsedFile, offset: number): T | undefined {
  const line = file.lineMap.positionAt(offset).line;
  return queries.find(({ query: q }) => file.lineMap.positionAt(q.span.start).line <= line && line <= file.lineMap.positionAt(q.span.end).line);
}
