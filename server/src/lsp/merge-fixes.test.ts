import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fix } from '../engine/model/finding';
import { mergeFixes } from './merge-fixes';

const at = (line: number, start: number, end = start) => ({ start: { line, character: start }, end: { line, character: end } });
const edit = (filePath: string, range: ReturnType<typeof at>, newText: string): Fix['changes'][number] => ({ kind: 'edit', filePath, edits: [{ range, newText }] });
const fix = (...changes: Fix['changes']): Fix => ({ title: 't', isPreferred: true, changes });

describe('mergeFixes', () => {
  it('groups non-overlapping edits per file', () => {
    const { changes, merged } = mergeFixes([fix(edit('/a.ts', at(1, 0, 4), 'x')), fix(edit('/a.ts', at(3, 2, 5), 'y')), fix(edit('/b.ts', at(0, 0), 'z'))]);
    assert.equal(merged, 3);
    assert.deepEqual(
      changes.map((change) => (change.kind === 'edit' ? [change.filePath, change.edits.length] : [change.filePath, 'create'])),
      [['/a.ts', 2], ['/b.ts', 1]],
    );
  });

  it('skips a fix that overlaps one already taken, and insertions at the same point', () => {
    const { merged } = mergeFixes([fix(edit('/a.ts', at(1, 0, 10), 'x')), fix(edit('/a.ts', at(1, 5, 12), 'y')), fix(edit('/a.ts', at(2, 0), 'p')), fix(edit('/a.ts', at(2, 0), 'q'))]);
    assert.equal(merged, 2);
  });

  it('keeps touching ranges and a fix whose own edits touch', () => {
    const own = fix({ kind: 'edit', filePath: '/a.ts', edits: [{ range: at(4, 0, 2), newText: 'a' }, { range: at(4, 2, 4), newText: 'b' }] });
    const { merged } = mergeFixes([fix(edit('/a.ts', at(1, 0, 3), 'x')), fix(edit('/a.ts', at(1, 3, 6), 'y')), own]);
    assert.equal(merged, 3);
  });

  it('creates a file once', () => {
    const create = (): Fix['changes'][number] => ({ kind: 'create', filePath: '/helper.ts', content: 'export {};\n' });
    const { changes, merged } = mergeFixes([fix(create(), edit('/a.ts', at(1, 0), 'x')), fix(create(), edit('/a.ts', at(5, 0), 'y'))]);
    assert.equal(merged, 1);
    assert.equal(changes[0]!.kind, 'create');
  });
});
