import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyseFolder, fixtureSuite } from '../../engine/testing/rule-harness';
import { assertEveryFixWorks } from '../auth-tokens/testing/fix-check';
import { jwtMissingExpiry } from './rule';

const FIXTURES = path.join(__dirname, 'fixtures');

describe('jwt-missing-expiry', () => {
  fixtureSuite(jwtMissingExpiry, FIXTURES, { folders: ['positive', 'negative', 'nest-bare', 'monorepo'], minimumMarks: 7 });

  it('each fix removes its finding, adds none, and type-checks', () => {
    const texts = assertEveryFixWorks(jwtMissingExpiry, path.join(FIXTURES, 'positive'), 6);
    assert.ok(texts.some((text) => text.includes("jwt.sign({ sub: userId }, secret, { expiresIn: '15m' })")));
    assert.ok(texts.some((text) => text.includes("jwt.sign({ sub: userId }, secret, { expiresIn: '15m' }, (error: Error | null, token?: string)")));
    assert.ok(texts.some((text) => text.includes("new SignJWT({ sub: userId }).setExpirationTime('15m') // @expect")));
    assert.ok(texts.some((text) => text.includes("signOptions: { expiresIn: '15m' }")));
  });

  it('uses the expiresIn option', () => {
    const layers = [{ source: 'test', values: { rules: { 'jwt-missing-expiry': { options: { expiresIn: '5m' } } } } }];
    const { findings } = analyseFolder(jwtMissingExpiry, path.join(FIXTURES, 'positive'), layers);
    assert.ok(findings.length >= 6 && findings.every((finding) => finding.message.includes("'5m'")));
  });
});
