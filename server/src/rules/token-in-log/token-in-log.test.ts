import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyseFolder, fixtureSuite } from '../../engine/testing/rule-harness';
import { tokenInLog } from './rule';

const FIXTURES = path.join(__dirname, 'fixtures');

describe('token-in-log', () => {
  fixtureSuite(tokenInLog, FIXTURES, { folders: ['positive', 'negative'], minimumMarks: 6 });

  it('explains what leaks and offers no mechanical fix', () => {
    const { findings } = analyseFolder(tokenInLog, path.join(FIXTURES, 'positive'));
    assert.ok(findings.every((finding) => finding.fixes.length === 0 && !!finding.explanation));
    const messages = findings.map((finding) => finding.message);
    assert.ok(messages.some((message) => message.startsWith('`this.logger.debug` writes the token `accessToken` to the log')), messages.join('\n'));
    assert.ok(messages.some((message) => message.startsWith('`console.log` writes the Authorization header (a bearer token)')));
    assert.ok(messages.some((message) => /an object holding the token field `refreshToken`/.test(message)));
  });
});
