import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyseFolder, fixtureSuite } from '../../engine/testing/rule-harness';
import { tokenInUrl } from './rule';

const FIXTURES = path.join(__dirname, 'fixtures');

describe('token-in-url', () => {
  fixtureSuite(tokenInUrl, FIXTURES, { folders: ['positive', 'negative'], minimumMarks: 6 });

  it('explains what leaks and offers no mechanical fix', () => {
    const { findings } = analyseFolder(tokenInUrl, path.join(FIXTURES, 'positive'));
    assert.ok(findings.every((finding) => finding.fixes.length === 0 && !!finding.explanation));
    const messages = findings.map((finding) => finding.message);
    assert.ok(messages.some((message) => /^This URL carries a signed token \(jwt\.sign\(\.\.\.\)\) in its query string \(`token=`\)/.test(message)), messages.join('\n'));
    assert.ok(messages.some((message) => /the token `accessToken` in its query string \(`access_token=`\)/.test(message)));
    assert.ok(messages.some((message) => /the token `refreshToken` in its query string \(`refreshToken=`\)/.test(message)));
  });
});
