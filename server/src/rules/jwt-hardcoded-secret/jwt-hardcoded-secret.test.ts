import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyseFolder, fixtureSuite } from '../../engine/testing/rule-harness';
import { assertEveryFixWorks } from '../auth-tokens/testing/fix-check';
import { jwtHardcodedSecret } from './rule';

const FIXTURES = path.join(__dirname, 'fixtures');

describe('jwt-hardcoded-secret', () => {
  fixtureSuite(jwtHardcodedSecret, FIXTURES, { folders: ['positive', 'negative'], minimumMarks: 7 });

  it('says where the literal comes from', () => {
    const { findings } = analyseFolder(jwtHardcodedSecret, path.join(FIXTURES, 'positive'));
    const messages = findings.map((finding) => finding.message);
    assert.ok(messages.some((message) => /^`jwt\.verify` falls back to a secret written in the source: anyone with the code can forge tokens whenever the variable is missing/.test(message)), messages.join('\n'));
    assert.ok(messages.some((message) => /through the constant `JWT_REFRESH_SECRET`.*process\.env\.JWT_REFRESH_SECRET/.test(message)));
    assert.ok(messages.some((message) => /^`jwt\.verify` falls back to a secret written in the source: .*Read it from `this\.configService\.getOrThrow\('PARTNER_JWT_SECRET'\)`/.test(message)), messages.join('\n'));
  });

  it('each fix removes its finding, adds none, and type-checks', () => {
    const texts = assertEveryFixWorks(jwtHardcodedSecret, path.join(FIXTURES, 'positive'), 11);
    assert.ok(texts.some((text) => text.includes("secret: config.getOrThrow<string>('JWT_SECRET'),")));
    assert.ok(texts.some((text) => text.includes("jwt.verify(token, this.configService.getOrThrow<string>('PARTNER_JWT_SECRET'))")));
    assert.ok(texts.some((text) => text.includes("const secret = this.configService.getOrThrow<string>('PARTNER_JWT_SECRET');")));
    assert.ok(texts.some((text) => text.includes('const JWT_REFRESH_SECRET = process.env.JWT_REFRESH_SECRET!;')));
    assert.ok(texts.some((text) => text.includes('jwt.verify(token, process.env.JWT_SECRET!)')));
    assert.ok(texts.some((text) => text.includes("{ secret: this.configService.getOrThrow<string>('JWT_SECRET'), expiresIn: '7d' }")));
    assert.ok(texts.some((text) => text.includes('secretOrKey: process.env.JWT_SECRET!,')));
  });
});
