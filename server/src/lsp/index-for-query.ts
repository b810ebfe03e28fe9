import type { WorkspaceEdit } from 'vscode-languageserver/node';
import type { Finding, Fix } from '../engine/model/finding';
import type { Position } from '../engine/model/location';
import type { IndexForQueryResult } from './protocol';
import { toWorkspaceEdit, type EditCapabilities } from './to-workspace-edit';
import { uriOf } from './uri';

/** The rules whose fixes create an index; the scaffold command reuses their fixes as they are. */
export const INDEX_FIX_RULES: ReadonlySet<string> = new Set(['unindexed-filter', 'unindexed-sort-limit', 'function-on-indexed-column', 'unindexed-foreign-key']);

/**
 * The index fix for the query under the cursor: the index finding whose range holds the
 * position, else the nearest one on the same line, else the only one on the lines of the
 * enclosing statement the client cannot know, so the nearest finding within `lineWindow` lines
 * above or below. The project's style (migration file, `@Index`, `@@index`) is the fix's, so
 * the command and the quick fix always write the same thing.
 */
export function indexForQuery(
  findings: readonly Finding[],
  position: Position,
  capabilities: EditCapabilities,
  versionOf: (filePath: string) => number | null,
  /** Which index serves the query at the cursor, when one does: said instead of "nothing to do". */
  servedBy: () => string | undefined = () => undefined,
  lineWindow = 6,
): IndexForQueryResult {
  const distance = (finding: Finding): number => {
    const { start, end } = finding.range;
    if (position.line < start.line) return start.line - position.line;
    if (position.line > end.line) return position.line - end.line;
    return 0;
  };
  const near = findings
    .filter((finding) => INDEX_FIX_RULES.has(finding.ruleId))
    .map((finding) => ({ finding, distance: distance(finding) }))
    .filter((entry) => entry.distance <= lineWindow)
    .sort((a, b) => a.distance - b.distance);
  const nearest = near.find((entry) => entry.finding.fixes.length > 0)?.finding;
  if (!nearest) {
    if (near.length === 0) {
      const served = servedBy();
      if (served) return { message: served };
    }
    return {
      message: near.length > 0
        ? 'The index advice near the cursor has no fix this project can take (see its hover for the index to create by hand).'
        : 'No index advice for the query under the cursor: an index already serves it, or its table is not in the schema this folder declares (migrations, entities, schema.prisma).',
    };
  }
  const fix: Fix = nearest.fixes[0]!;
  const edit: WorkspaceEdit | undefined = toWorkspaceEdit(fix.changes, capabilities, versionOf);
  if (!edit) return { message: `${fix.title}: this editor cannot create files through an edit; use the quick fix on the finding instead.` };
  return { message: fix.title, edit, open: fix.changes.map((change) => uriOf(change.filePath)) };
}
