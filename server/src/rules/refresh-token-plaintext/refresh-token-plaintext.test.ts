import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyseFolder, fixtureSuite } from '../../engine/testing/rule-harness';
import { assertEveryFixWorks } from '../auth-tokens/testing/fix-check';
import { refreshTokenPlaintext } from './rule';

const FIXTURES = path.join(__dirname, 'fixtures');

describe('refresh-token-plaintext', () => {
  fixtureSuite(refreshTokenPlaintext, FIXTURES, { folders: ['positive', 'negative'], minimumMarks: 7 });

  it('names the write and where the token comes from', () => {
    const { findings } = analyseFolder(refreshTokenPlaintext, path.join(FIXTURES, 'positive'));
    const messages = findings.map((finding) => finding.message);
    assert.ok(messages.some((message) => message.startsWith('`this.sessions.save` stores the refresh token `refreshToken` (this.jwtService.signAsync(...)) as it is')), messages.join('\n'));
    assert.ok(messages.some((message) => /^`this\.users\.save` \(after `user\.hashedRefreshToken = …`\)/.test(message)));
    assert.ok(messages.some((message) => /`token` \(`randomBytes\(48\)\.toString\(…\)/.test(message) || /`token` \(`randomBytes/.test(message)));
    assert.ok(messages.some((message) => message.startsWith('This SQL write stores the refresh token `refreshToken`')));
  });

  it('each fix hashes the token, hashes lookups and comparisons, removes its finding and type-checks', () => {
    const texts = assertEveryFixWorks(refreshTokenPlaintext, path.join(FIXTURES, 'positive'), 6, (finding) => finding.message.startsWith('This SQL write'));
    // Looked up by value: sha-256, and the lookup hashes the presented token too.
    assert.ok(texts.some((text) => text.includes("await this.sessions.save({ userId, refreshToken: createHash('sha256').update(refreshToken).digest('hex') });") && text.includes("findOneBy({ refreshToken: createHash('sha256').update(presented).digest('hex') })") && text.includes("import { createHash } from 'node:crypto';")));
    // bcrypt imported and the token compared: bcrypt.hash and bcrypt.compare.
    assert.ok(texts.some((text) => text.includes('user.hashedRefreshToken = await bcrypt.hash(refreshToken, 10);') && text.includes("(await bcrypt.compare(refreshToken, user.hashedRefreshToken ?? ''))")));
    assert.ok(texts.some((text) => text.includes("refreshToken: createHash('sha256').update(token).digest('hex')") || text.includes('refreshToken: await bcrypt.hash(token, 10)')));
  });
});
