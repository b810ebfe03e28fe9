import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../engine/model/finding';
import { indexForQuery } from './index-for-query';

const capabilities = { documentChanges: true, createFiles: true };
const noVersion = () => null;

function finding(ruleId: string, line: number, withFix = true): Finding {
  return {
    ruleId,
    severity: 'warning',
    filePath: '/p/src/orders.service.ts',
    range: { start: { line, character: 4 }, end: { line, character: 30 } },
    message: `${ruleId} on line ${line}`,
    related: [],
    fixes: withFix ? [{ title: `Create index for line ${line}`, isPreferred: false, changes: [{ kind: 'create', filePath: `/p/migrations/${line}.sql`, content: 'CREATE INDEX x ON t (a);\n' }] }] : [],
  };
}

test('the index finding under the cursor gives its fix as a workspace edit and the files to open', () => {
  const result = indexForQuery([finding('n-plus-one', 10), finding('unindexed-filter', 12), finding('unindexed-sort-limit', 30)], { line: 12, character: 8 }, capabilities, noVersion);
  assert.equal(result.message, 'Create index for line 12');
  assert.deepEqual(result.open, ['file:///p/migrations/12.sql']);
  const edit = result.edit as { documentChanges: Array<{ kind?: string; uri?: string }> };
  assert.equal(edit.documentChanges[0]?.kind, 'create');
});

test('a cursor a few lines away from the finding (inside a multi-line ORM call) picks the nearest index finding', () => {
  const result = indexForQuery([finding('unindexed-filter', 12), finding('unindexed-filter', 20)], { line: 17, character: 0 }, capabilities, noVersion);
  assert.equal(result.message, 'Create index for line 20');
});

test('no index finding nearby explains why, and other rules findings are never used', () => {
  const result = indexForQuery([finding('n-plus-one', 12), finding('unindexed-filter', 60)], { line: 12, character: 0 }, capabilities, noVersion);
  assert.equal(result.edit, undefined);
  assert.match(result.message, /No index advice for the query under the cursor/);
});

test('an index finding without a fix says to create the index by hand', () => {
  const result = indexForQuery([finding('unindexed-filter', 12, false)], { line: 12, character: 0 }, capabilities, noVersion);
  assert.equal(result.edit, undefined);
  assert.match(result.message, /no fix this project can take/);
});

test('an editor that cannot create files is told to use the quick fix instead of getting a broken edit', () => {
  const result = indexForQuery([finding('unindexed-filter', 12)], { line: 12, character: 0 }, { documentChanges: false, createFiles: false }, noVersion);
  assert.equal(result.edit, undefined);
  assert.match(result.message, /cannot create files/);
});
