import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver/node';
import type { Finding } from '../engine/model/finding';
import type { Position } from '../engine/model/location';
import { catalogDdl } from '../engine/planner/catalog-ddl';
import type { PlannerSession } from '../engine/planner/planner-session';
import { verifyDataOf, type PlannerProgress } from '../engine/planner/planner-types';
import { verdictReport, verdictSentence } from '../engine/planner/verdict-text';
import type { SchemaCatalog } from '../engine/schema/catalog-model';
import { VERIFY_WITH_PLANNER_COMMAND, type VerifyWithPlannerResult } from './protocol';

/** The finding with a planner check at the position: the one whose range holds it, else the nearest within a few lines. */
export function plannerFindingAt(findings: readonly Finding[], position: Position, lineWindow = 6): Finding | undefined {
  const distance = ({ range: { start, end } }: Finding): number =>
    position.line < start.line ? start.line - position.line : position.line > end.line ? position.line - end.line : 0;
  return findings
    .filter((finding) => verifyDataOf(finding.data))
    .map((finding) => ({ finding, distance: distance(finding) }))
    .filter((entry) => entry.distance <= lineWindow)
    .sort((a, b) => a.distance - b.distance)[0]?.finding;
}

/** Runs the planner check for a finding; never throws (a failure is the message). */
export async function verifyFinding(finding: Finding | undefined, catalog: SchemaCatalog, session: PlannerSession, progress: (event: PlannerProgress) => void): Promise<VerifyWithPlannerResult> {
  const data = finding && verifyDataOf(finding.data);
  if (!data) {
    return { message: 'No index advice with a proposed index under the cursor; put the cursor on a finding of unindexed-filter, unindexed-sort-limit, function-on-indexed-column or unindexed-foreign-key.' };
  }
  try {
    const verdict = await session.verify({ ddl: catalogDdl(catalog).statements, querySql: data.querySql, createIndexSql: data.createIndexSql, proposedIndexName: data.indexName }, progress);
    const result: VerifyWithPlannerResult = { message: `Postgres planner: ${verdictSentence(verdict, data)}`, report: verdictReport(verdict, data) };
    if (verdict.proposalUsed !== undefined) result.proposalUsed = verdict.proposalUsed;
    return result;
  } catch (error) {
    return { message: `The Postgres planner check failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** "Verify with Postgres planner" for each finding in the range that carries a planner check. */
export function plannerCodeActions(findings: readonly Finding[], range: Range, uri: string): CodeAction[] {
  return findings
    .filter((finding) => verifyDataOf(finding.data) && finding.range.start.line <= range.end.line && finding.range.end.line >= range.start.line)
    .slice(0, 1)
    .map((finding) => ({
      title: 'Verify with Postgres planner (embedded, loads on first use)',
      kind: CodeActionKind.QuickFix,
      command: { title: 'Verify with Postgres Planner', command: VERIFY_WITH_PLANNER_COMMAND, arguments: [uri, finding.range.start] },
    }));
}
