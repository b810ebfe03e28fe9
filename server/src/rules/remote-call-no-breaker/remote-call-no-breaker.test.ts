import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ConfigLayer } from '../../engine/config/resolve-config';
import { applyFix } from '../../engine/fixes/apply-edits';
import { analyseFolder, assertSuppressionHonoured, fixtureSuite } from '../../engine/testing/rule-harness';
import { formatDiagnostics, typeCheck } from '../../engine/testing/type-check';
import { remoteCallNoBreaker } from './rule';

const RULE = remoteCallNoBreaker.meta.id;
const FIXTURES = path.join(__dirname, 'fixtures');

const analyse = (folder: string, layers: ConfigLayer[] = []) => analyseFolder(remoteCallNoBreaker, folder, layers);

describe('remote-call-no-breaker fixtures', () => {
  fixtureSuite(remoteCallNoBreaker, FIXTURES, { folders: ['positive', 'negative', 'global-retry'] });

  it('honours a suppression comment', () => {
    const folder = path.join(FIXTURES, 'negative');
    assertSuppressionHonoured(remoteCallNoBreaker, folder, path.join(folder, 'resilient-worker.ts'), 'metrics:3000');
  });

  it('is switched off and re-severitied through configuration', () => {
    const root = path.join(FIXTURES, 'positive');
    assert.equal(analyse(root, [{ source: 'test', values: { rules: { [RULE]: 'off' } } }]).findings.length, 0);
    const findings = analyse(root, [{ source: 'test', values: { rules: { [RULE]: 'error' } } }]).findings;
    assert.ok(findings.length > 0 && findings.every((finding) => finding.severity === 'error'));
  });
});

describe('remote-call-no-breaker messages and fixes', () => {
  const root = path.join(FIXTURES, 'positive');

  it('names the call and the service, and points to opossum / cockatiel', () => {
    const { findings } = analyse(root);
    const finding = findings.find((candidate) => candidate.message.startsWith('`axios.get` to `${PREFS_URL}/preferences/${id}`'));
    assert.ok(finding);
    assert.match(finding.message, /calls the prefs service with neither retry-with-backoff nor a circuit breaker/);
    assert.match(finding.message, /cockatiel.*opossum/);
    assert.equal(finding.severity, 'info');
    assert.ok(finding.explanation?.includes('backendAdvisor.scaffold.circuitBreaker'));
  });

  it('offers no fix for callback APIs, and a fix wherever a promise can be wrapped', () => {
    const { findings } = analyse(root);
    for (const finding of findings) {
      const callback = /^`(http\.get|https\.request|request)`/.test(finding.message);
      assert.equal(finding.fixes.length === 0, callback, finding.message);
    }
  });

  it('each fix removes its finding, adds none, and type-checks (cockatiel and opossum)', () => {
    const { engine, findings } = analyse(root);
    const virtual = new Map<string, string>();
    const libraries = new Set<string>();
    for (const [index, finding] of findings.entries()) {
      const fix = finding.fixes[0];
      if (!fix) continue;
      libraries.add(fix.title.includes('cockatiel') ? 'cockatiel' : 'opossum');
      const output = applyFix(fix, (file) => fs.readFileSync(file, 'utf8'));
      const before = findings.filter((other) => other.filePath === finding.filePath).length;
      for (const [file, text] of output) engine.index.setOverlay(file, text, 1000 + index);
      const after = engine.analyze(finding.filePath).findings.filter((other) => other.ruleId === RULE);
      assert.equal(after.length, before - 1, `fix "${fix.title}" left ${after.length} of ${before} findings`);
      for (const file of output.keys()) engine.index.removeOverlay(file);
      for (const [file, text] of output) virtual.set(file.replace(/\.ts$/, `.fix${index}.ts`), text);
    }
    assert.deepEqual([...libraries].sort(), ['cockatiel', 'opossum']);
    const diagnostics = typeCheck(virtual);
    assert.equal(diagnostics.length, 0, formatDiagnostics(diagnostics, FIXTURES));
  });

  it('aliases cockatiel names that clash with existing imports', () => {
    const { findings } = analyse(root);
    const file = path.join(root, 'cockatiel-service', 'profile.service.ts');
    const finding = findings.find((candidate) => candidate.filePath === file && candidate.fixes.length > 0);
    assert.ok(finding?.fixes[0]);
    const text = applyFix(finding.fixes[0], (f) => fs.readFileSync(f, 'utf8')).get(file) ?? '';
    assert.ok(text.includes('retryPolicy(handleAll'), text.slice(0, 1200));
  });
});
