import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyseFolder, assertSuppressionHonoured, fixtureSuite } from '../../engine/testing/rule-harness';
import { tokenInWebStorage } from './rule';

const FIXTURES = path.join(__dirname, 'fixtures');

describe('token-in-web-storage', () => {
  fixtureSuite(tokenInWebStorage, FIXTURES, { folders: ['positive', 'negative'], minimumMarks: 8 });

  it('names the storage, the key and the wrapper, and explains the in-memory pattern', () => {
    const { findings } = analyseFolder(tokenInWebStorage, path.join(FIXTURES, 'positive'));
    const viaWrapper = findings.find((finding) => finding.message.startsWith('`storeValue`'));
    assert.ok(viaWrapper, 'the call through the imported wrapper is reported');
    assert.match(viaWrapper.message, /through `storeValue`, which writes to localStorage\) stores an auth token under the key 'jwt'/);
    assert.ok(findings.every((finding) => finding.explanation?.includes('httpOnly') && finding.fixes.length === 0));
    assert.ok(findings.some((finding) => /object holding the auth token field `token`/.test(finding.message)));
  });

  it('honours a suppression comment', () => {
    const folder = path.join(FIXTURES, 'negative');
    assertSuppressionHonoured(tokenInWebStorage, folder, path.join(folder, 'suppressed.ts'), "localStorage.setItem('jwt'");
  });
});
