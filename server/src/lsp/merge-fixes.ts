import type { FileChange, Fix, TextEdit } from '../engine/model/finding';
import type { Range } from '../engine/model/location';

/**
 * Combines fixes into one set of changes, one entry per file, skipping any fix whose edits
 * overlap an already accepted one (applying both would corrupt the text; the next fix-all or
 * the quick fix handles the rest). Returns the changes and how many fixes were taken.
 */
export function mergeFixes(fixes: readonly Fix[]): { changes: FileChange[]; merged: number } {
  const edits = new Map<string, TextEdit[]>();
  const creates = new Map<string, string>();
  let merged = 0;
  for (const fix of fixes) {
    if (!compatible(fix, edits, creates)) continue;
    merged++;
    for (const change of fix.changes) {
      if (change.kind === 'create') creates.set(change.filePath, change.content);
      else {
        const list = edits.get(change.filePath) ?? [];
        list.push(...change.edits);
        edits.set(change.filePath, list);
      }
    }
  }
  const changes: FileChange[] = [];
  for (const [filePath, content] of creates) changes.push({ kind: 'create', filePath, content });
  for (const [filePath, list] of edits) changes.push({ kind: 'edit', filePath, edits: list });
  return { changes, merged };
}

function compatible(fix: Fix, edits: Map<string, TextEdit[]>, creates: Map<string, string>): boolean {
  for (const change of fix.changes) {
    if (change.kind === 'create') {
      if (creates.has(change.filePath)) return false;
      continue;
    }
    // A fix's own edits are designed to go together; only earlier accepted fixes can clash.
    const taken = edits.get(change.filePath) ?? [];
    for (const edit of change.edits) if (taken.some((other) => overlaps(edit.range, other.range))) return false;
  }
  return true;
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Touching ranges overlap too when both are insertions at the same point: their order would be ambiguous. */
function overlaps(a: Range, b: Range): boolean {
  const aEmpty = !before(a.start, a.end);
  const bEmpty = !before(b.start, b.end);
  if (aEmpty && bEmpty) return a.start.line === b.start.line && a.start.character === b.start.character;
  return (before(a.start, b.end) && before(b.start, a.end)) || (aEmpty && inside(a.start, b)) || (bEmpty && inside(b.start, a));
}

function inside(point: { line: number; character: number }, range: Range): boolean {
  return before(range.start, point) && before(point, range.end);
}
