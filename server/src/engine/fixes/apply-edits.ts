import type { Fix, TextEdit } from '../model/finding';
import { LineMap } from '../text/line-map';

/** Applies non-overlapping edits to a text; later edits first so offsets stay valid. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lineMap = new LineMap(text);
  const byOffset = edits
    .map((edit) => ({ start: lineMap.offsetAt(edit.range.start), end: lineMap.offsetAt(edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  let lastStart = Number.POSITIVE_INFINITY;
  for (const edit of byOffset) {
    if (edit.end > lastStart) throw new Error('Overlapping edits cannot be applied together.');
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
    lastStart = edit.start;
  }
  return result;
}

/** The new text of every file a fix touches, given a reader for the current texts. */
export function applyFix(fix: Fix, readText: (filePath: string) => string | undefined): Map<string, string> {
  const output = new Map<string, string>();
  for (const change of fix.changes) {
    if (change.kind === 'create') {
      output.set(change.filePath, change.content);
      continue;
    }
    const current = output.get(change.filePath) ?? readText(change.filePath);
    if (current === undefined) throw new Error(`Cannot apply a fix to ${change.filePath}: it cannot be read.`);
    output.set(change.filePath, applyEdits(current, change.edits));
  }
  return output;
}
