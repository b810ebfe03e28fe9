import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Progress } from '../../server/src/cli/progress';

describe('progress on stderr', () => {
  it('writes nothing when stderr is not a terminal', () => {
    let written = '';
    const progress = new Progress({ write: (text: string) => (written += text) }, false);
    progress.update(1, 10);
    progress.finish();
    assert.equal(written, '');
  });

  it('rewrites one line in place, throttled, and clears it at the end', () => {
    let written = '';
    const progress = new Progress({ write: (text: string) => (written += text), isTTY: true }, true);
    for (let i = 0; i < 1000; i++) progress.update(i, 1000);
    progress.update(1000, 1000);
    progress.finish();
    const updates = written.split('\r\x1b[2K').filter(Boolean);
    assert.ok(updates.length >= 2 && updates.length < 50, `throttled to a few updates, got ${updates.length}`);
    assert.equal(updates[0], 'scanning 0/1000 files…');
    assert.equal(updates.at(-1), 'scanning 1000/1000 files…');
    assert.ok(written.endsWith('\r\x1b[2K'), 'the line is cleared');
  });
});
