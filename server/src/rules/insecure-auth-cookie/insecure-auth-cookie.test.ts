import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyFix } from '../../engine/fixes/apply-edits';
import { analyseFolder, fixtureSuite } from '../../engine/testing/rule-harness';
import { formatDiagnostics, typeCheck } from '../../engine/testing/type-check';
import { insecureAuthCookie } from './rule';

const RULE = insecureAuthCookie.meta.id;
const FIXTURES = path.join(__dirname, 'fixtures');

describe('insecure-auth-cookie', () => {
  fixtureSuite(insecureAuthCookie, FIXTURES, { folders: ['positive', 'negative'], minimumMarks: 10 });

  it('names the cookie, the missing flags and their consequences', () => {
    const { findings } = analyseFolder(insecureAuthCookie, path.join(FIXTURES, 'positive'));
    const messages = findings.map((finding) => finding.message);
    assert.ok(messages.some((message) => /^`res\.cookie` sets the auth cookie 'access_token' without httpOnly, without secure and without sameSite\. Script on the page can read it/.test(message)), messages.join('\n'));
    assert.ok(messages.some((message) => /the auth cookie 'sid' with httpOnly: false\./.test(message)));
    assert.ok(messages.some((message) => /sameSite 'none' but not secure/.test(message)));
    assert.ok(messages.some((message) => /^`document\.cookie` sets the auth cookie 'access_token' from script, so it can never be httpOnly/.test(message)));
    assert.ok(messages.some((message) => /^`session` sets the session cookie without secure and without sameSite/.test(message)));
  });

  it('each fix removes its finding, adds none, and type-checks', () => {
    const root = path.join(FIXTURES, 'positive');
    const { engine, findings } = analyseFolder(insecureAuthCookie, root);
    const virtual = new Map<string, string>();
    let fixed = 0;
    for (const [index, finding] of findings.entries()) {
      const fix = finding.fixes[0];
      if (finding.message.startsWith('`document.cookie`')) {
        assert.equal(fix, undefined, 'a cookie set from script has no mechanical fix');
        continue;
      }
      assert.ok(fix, `no fix for ${finding.message}`);
      const output = applyFix(fix, (file) => fs.readFileSync(file, 'utf8'));
      const before = findings.filter((other) => other.filePath === finding.filePath).length;
      for (const [file, text] of output) engine.index.setOverlay(file, text, 1000 + index);
      const after = engine.analyze(finding.filePath).findings.filter((other) => other.ruleId === RULE);
      assert.equal(after.length, before - 1, `fix "${fix.title}" left ${after.length} of ${before} findings in ${finding.filePath}`);
      for (const file of output.keys()) engine.index.removeOverlay(file);
      for (const [file, text] of output) virtual.set(file.replace(/\.ts$/, `.fix${index}.ts`), text);
      fixed++;
    }
    assert.ok(fixed >= 10, `${fixed} fixes`);
    const diagnostics = typeCheck(virtual);
    assert.equal(diagnostics.length, 0, formatDiagnostics(diagnostics, FIXTURES));
  });

  it('merges flags into the options object and writes the configured sameSite', () => {
    const root = path.join(FIXTURES, 'positive');
    const layers = [{ source: 'test', values: { rules: { [RULE]: { options: { sameSite: 'strict' } } } } }];
    const { findings } = analyseFolder(insecureAuthCookie, root, layers);
    const texts = findings.filter((finding) => finding.fixes[0]).map((finding) => applyFix(finding.fixes[0]!, (file) => fs.readFileSync(file, 'utf8')).get(finding.filePath) ?? '');
    assert.ok(texts.some((text) => text.includes("res.cookie('access_token', accessToken, { httpOnly: true, secure: true, sameSite: 'strict' });")));
    assert.ok(texts.some((text) => text.includes("const cookieOptions = { httpOnly: true, maxAge: 900_000, secure: true, sameSite: 'strict' as const };")));
    assert.ok(texts.some((text) => text.includes('`auth_token=${token}; Path=/; HttpOnly; Secure; SameSite=Strict`')));
    assert.ok(texts.some((text) => text.includes("cookie: { maxAge: 3_600_000, secure: true, sameSite: 'strict' }")));
    // Next.js: cookies() from next/headers (also its one-object form) and NextResponse cookies.
    assert.ok(texts.some((text) => text.includes("store.set('access_token', accessToken, { httpOnly: true, secure: true, sameSite: 'strict' });")));
    assert.ok(texts.some((text) => text.includes("store.set({ name: 'session', value: sessionId, httpOnly: true, secure: true, sameSite: 'strict' });")));
    assert.ok(texts.some((text) => text.includes("response.cookies.set('auth_token', token, { secure: true, sameSite: 'lax', httpOnly: true });")));
  });
});
