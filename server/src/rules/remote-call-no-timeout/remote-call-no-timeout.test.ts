import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ConfigLayer } from '../../engine/config/resolve-config';
import { applyFix } from '../../engine/fixes/apply-edits';
import type { Finding } from '../../engine/model/finding';
import { analyseFolder, assertSuppressionHonoured, findingOnLine, fixtureSuite } from '../../engine/testing/rule-harness';
import { formatDiagnostics, typeCheck } from '../../engine/testing/type-check';
import { remoteCallNoTimeout } from './rule';

const RULE = remoteCallNoTimeout.meta.id;
const FIXTURES = path.join(__dirname, 'fixtures');

const analyse = (folder: string, layers: ConfigLayer[] = []) => analyseFolder(remoteCallNoTimeout, folder, layers);

describe('remote-call-no-timeout fixtures', () => {
  fixtureSuite(remoteCallNoTimeout, FIXTURES, { folders: ['positive', 'negative', 'global-defaults'] });

  it('honours a suppression comment', () => {
    const folder = path.join(FIXTURES, 'positive');
    assertSuppressionHonoured(remoteCallNoTimeout, folder, path.join(folder, 'fetch-clients.ts'), '/export/');
  });

  it('reports browser code only when includeBrowserCode is set', () => {
    const storefront = path.join(FIXTURES, 'negative', 'storefront');
    assert.deepEqual(analyse(storefront).findings, []);
    const layers: ConfigLayer[] = [{ source: 'test', values: { rules: { [RULE]: { options: { includeBrowserCode: true } } } } }];
    const reported = analyse(storefront, layers).findings.map((finding) => `${path.basename(finding.filePath)}:${finding.range.start.line + 1}`);
    assert.deepEqual(reported.sort(), ['ProductImage.tsx:6', 'cart-api.ts:10', 'cart-api.ts:15', 'catalog-queries.ts:3']);
  });

  it('is switched off and re-severitied through configuration', () => {
    const root = path.join(FIXTURES, 'positive');
    assert.equal(analyse(root, [{ source: 'test', values: { rules: { [RULE]: 'off' } } }]).findings.length, 0);
    const findings = analyse(root, [{ source: 'test', values: { rules: { [RULE]: 'error' } } }]).findings;
    assert.ok(findings.length > 0 && findings.every((finding) => finding.severity === 'error'));
  });
});

describe('remote-call-no-timeout messages', () => {
  const root = path.join(FIXTURES, 'positive');
  const { findings } = analyse(root);
  const at = (file: string, needle: string): Finding => findingOnLine(findings, path.join(root, file), needle);

  it('names the call, the URL and the service, on the callee', () => {
    const finding = at('axios-routes.ts', "await axios.get(`${USERS_SERVICE_URL}");
    assert.match(finding.message, /^`axios\.get` to `.*USERS_SERVICE_URL.*` has no timeout: if the users service stops answering/);
    assert.match(finding.message, /timeout: 5000/);
    assert.equal(finding.range.end.character - finding.range.start.character, 'axios.get'.length);
    assert.ok(finding.explanation?.includes('AbortSignal.timeout'));
  });

  it('says that fetch ignores a Bun-only timeout', () => {
    assert.match(at('fetch-clients.ts', '`${PRICING_URL}/prices/${sku}`, init)').message, /only works in Bun/);
  });

  it('points at the instance creation in another file', () => {
    const finding = at('axios-instance/accounts.service.ts', 'await usersApi.get');
    assert.match(finding.message, /`usersApi` is created by `axios.create\(...\)` in http-clients.ts/);
    assert.equal(finding.related[0]?.filePath, path.join(root, 'axios-instance', 'http-clients.ts'));
  });

  it('uses the timeoutMs option in fixes', () => {
    const configured = analyse(root, [{ source: 'test', values: { rules: { [RULE]: { options: { timeoutMs: 1234 } } } } }]).findings;
    // The Bun `timeout` case keeps the author's own number; every other fix uses the option.
    const others = configured.filter((finding) => !finding.message.includes('only works in Bun'));
    assert.ok(others.length >= 20);
    for (const finding of others) assert.ok(JSON.stringify(finding.fixes[0]).includes('1234'), finding.message);
  });
});

describe('remote-call-no-timeout fixes', () => {
  it('each fix removes its finding, adds none, and type-checks', () => {
    const root = path.join(FIXTURES, 'positive');
    const { engine, findings } = analyse(root);
    const virtual = new Map<string, string>();
    let fixed = 0;
    for (const [index, finding] of findings.entries()) {
      const fix = finding.fixes[0];
      assert.ok(fix, `no fix for ${finding.message}`);
      const output = applyFix(fix, (file) => fs.readFileSync(file, 'utf8'));
      const before = findings.filter((other) => other.filePath === finding.filePath).length;
      for (const [file, text] of output) engine.index.setOverlay(file, text, 1000 + index);
      const after = engine.analyze(finding.filePath).findings.filter((other) => other.ruleId === RULE);
      assert.ok(after.length <= before - 1, `fix "${fix.title}" left ${after.length} of ${before} findings in ${finding.filePath}`);
      for (const file of output.keys()) engine.index.removeOverlay(file);
      for (const [file, text] of output) virtual.set(file.replace(/\.ts$/, `.fix${index}.ts`), text);
      fixed++;
    }
    assert.ok(fixed >= 20);
    const diagnostics = typeCheck(virtual);
    assert.equal(diagnostics.length, 0, formatDiagnostics(diagnostics, FIXTURES));
  });

  it('merges into literals, fills skipped arguments and adds the rxjs import', () => {
    const root = path.join(FIXTURES, 'positive');
    const { findings } = analyse(root);
    const textAfter = (file: string, needle: string): string => {
      const filePath = path.join(root, file);
      const line = fs.readFileSync(filePath, 'utf8').split('\n').findIndex((text) => text.includes(needle));
      const finding = findings.find((candidate) => candidate.filePath === filePath && candidate.range.start.line === line);
      assert.ok(finding?.fixes[0]);
      return applyFix(finding.fixes[0], (f) => fs.readFileSync(f, 'utf8')).get(filePath) ?? '';
    };
    assert.ok(textAfter('axios-routes.ts', 'await axios.post(`${PAYMENTS_URL}/ping`)').includes('axios.post(`${PAYMENTS_URL}/ping`, undefined, { timeout: 5000 })'));
    assert.ok(textAfter('fetch-clients.ts', 'signal: controller.signal }); // @expect').includes('signal: AbortSignal.any([controller.signal, AbortSignal.timeout(5000)])'));
    assert.ok(textAfter('fetch-clients.ts', 'init); // @expect').includes('signal: AbortSignal.timeout(3000)'));
    assert.ok(textAfter('http-calls.ts', 'http.get(`http://${GEO_HOST}/lookup/${ip}`, (response)').includes('/lookup/${ip}`, { timeout: 5000 }, (response)'));
    assert.ok(textAfter('legacy-clients.ts', 'superagent.post').includes('superagent.post(`${CRM_URL}/leads`).timeout(5000).set('));
    const nest = textAfter('nest/catalog.service.ts', 'this.http.get<Product[]>');
    assert.ok(nest.includes('.pipe(timeout(5000), map('));
    const controller = textAfter('nest/catalog.controller.ts', 'lastValueFrom(this.http.get');
    assert.ok(controller.includes("import { lastValueFrom, timeout as rxjsTimeout } from 'rxjs';"));
    assert.ok(controller.includes('.pipe(rxjsTimeout(5000))'));
  });
});
