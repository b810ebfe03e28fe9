import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyseFolder, fixtureSuite } from '../../engine/testing/rule-harness';
import { assertEveryFixWorks } from '../auth-tokens/testing/fix-check';
import { jwtDecodeWithoutVerify } from './rule';

const FIXTURES = path.join(__dirname, 'fixtures');

describe('jwt-decode-without-verify', () => {
  fixtureSuite(jwtDecodeWithoutVerify, FIXTURES, { folders: ['positive', 'negative'], minimumMarks: 7 });

  it('names the call, where it runs and what the payload decides', () => {
    const { findings } = analyseFolder(jwtDecodeWithoutVerify, path.join(FIXTURES, 'positive'));
    const messages = findings.map((finding) => finding.message);
    assert.ok(messages.some((message) => /^`jwt\.decode` in a guard trusts the token without checking its signature, and its payload reaches a condition/.test(message)), messages.join('\n'));
    assert.ok(messages.some((message) => /`jwt\.decode` in a request handler .* reaches `res\.locals\.user`/.test(message)));
    assert.ok(messages.some((message) => /the passport `done\(\.\.\.\)` callback/.test(message)));
    assert.ok(messages.some((message) => /`decodeJwt` .*Verify it with the signing secret/.test(message)));
  });

  it('each fix verifies instead, removes its finding and type-checks', () => {
    // jose and jwt-decode need a key the file does not show; the last two files read no configuration.
    const unfixable = (finding: { message: string; filePath: string }): boolean =>
      /`(decodeJwt|jwtDecode)`/.test(finding.message) || /(passport-callback|session\.decorator)\.ts$/.test(finding.filePath);
    const texts = assertEveryFixWorks(jwtDecodeWithoutVerify, path.join(FIXTURES, 'positive'), 3, unfixable);
    assert.ok(texts.some((text) => text.includes("jwt.verify(token, this.config.getOrThrow<string>('JWT_SECRET')) as Claims | null")));
    assert.ok(texts.some((text) => text.includes("this.jwtService.verify<{ isAdmin?: boolean }>(bearer.replace('Bearer ', ''))")));
    assert.ok(texts.some((text) => text.includes('res.locals.user = jwt.verify(header.slice(7), process.env.JWT_SECRET!);')));
  });
});
