import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skipReason } from './input-guard';

describe('skipReason', () => {
  it('accepts ordinary source', () => {
    assert.equal(skipReason('export const a = 1;\n'.repeat(2000)), undefined);
  });

  it('skips binaries, bundles and oversized files with a reason', () => {
    assert.match(skipReason('abc\u0000def')!, /binary/);
    assert.match(skipReason('var a=1;'.repeat(2000))!, /minified/);
    assert.match(skipReason('x\n'.repeat(600_000))!, /over the 1\.0 MB limit/);
    assert.match(skipReason('x\n'.repeat(600), { maxFileBytes: 1000, maxLineLength: 5000 })!, /1 kB limit/);
  });
});
