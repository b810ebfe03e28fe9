import assert from 'node:assert/strict';
import * as fs from 'node:fs';
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

  it('the hover names the refresh-rotation scaffold by a command the extension contributes', () => {
    const { findings } = analyseFolder(tokenInWebStorage, path.join(FIXTURES, 'positive'));
    const command = /`(backendAdvisor\.scaffold\.[A-Za-z]+)`/.exec(findings[0]!.explanation ?? '')?.[1];
    assert.equal(command, 'backendAdvisor.scaffold.jwtAuth');
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8')) as { contributes: { commands: { command: string; title: string; category?: string }[] } };
    const contributed = manifest.contributes.commands.find((entry) => entry.command === command);
    assert.ok(contributed, `${command} is not contributed by package.json`);
    assert.ok(findings[0]!.explanation!.includes(`"${contributed.category}: ${contributed.title}"`), 'the hover quotes the command palette title');
  });

  it('honours a suppression comment', () => {
    const folder = path.join(FIXTURES, 'negative');
    assertSuppressionHonoured(tokenInWebStorage, folder, path.join(folder, 'suppressed.ts'), "localStorage.setItem('jwt'");
  });
});
