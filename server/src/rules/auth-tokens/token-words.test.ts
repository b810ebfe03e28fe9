import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAuthTokenName, isRefreshTokenName, nameWords } from './token-words';

describe('auth-token words', () => {
  it('splits camelCase, snake_case, kebab-case, dots and acronyms', () => {
    assert.deepEqual(nameWords('accessToken'), ['access', 'token']);
    assert.deepEqual(nameWords('REFRESH_TOKEN'), ['refresh', 'token']);
    assert.deepEqual(nameWords('x-auth-token'), ['x', 'auth', 'token']);
    assert.deepEqual(nameWords('JWTSecret'), ['jwt', 'secret']);
    assert.deepEqual(nameWords('connect.sid'), ['connect', 'sid']);
  });

  it('recognises auth tokens and session ids', () => {
    for (const name of ['token', 'jwt', 'accessToken', 'refresh_token', 'idToken', 'authToken', 'x-auth-token', 'bearer', 'session', 'sessionId', 'connect.sid', 'userToken', 'tokenValue', 'ACCESS_TOKEN']) {
      assert.ok(isAuthTokenName(name), name);
    }
  });

  it('does not count look-alikes', () => {
    for (const name of ['tokenizer', 'csrfToken', 'csrfTokenHeaderName', 'xsrf-token', 'tokenType', 'tokenExpiresAt', 'jwtSecret', 'pushToken', 'maxTokens', 'nextPageToken', 'cancellationToken', 'resetToken', 'theme', 'sessionTimeout', 'tokenId', 'refreshTokenHash', 'JWT_SECRET', 'tokenCount', 'sessionStorage']) {
      assert.ok(!isAuthTokenName(name), name);
    }
  });

  it('tells refresh tokens apart', () => {
    assert.ok(isRefreshTokenName('refreshToken'));
    assert.ok(isRefreshTokenName('refresh_token'));
    assert.ok(!isRefreshTokenName('accessToken'));
    assert.ok(!isRefreshTokenName('refreshTokenExpiresAt'));
  });
});
