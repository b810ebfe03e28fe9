import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sarifProblems } from '../support/sarif-shape';
import { CLI_BUNDLE, REPO_ROOT, spawnCli } from '../support/spawn-cli';
import type { TempWorkspace } from '../support/temp-workspace';
import { sampleWorkspace } from './sample-workspace';

// The real artifact: dist/cli.js with the registered rules, as CI runs it.
describe('dist/cli.js', () => {
  let ws: TempWorkspace;
  before(() => {
    assert.ok(fs.existsSync(CLI_BUNDLE), `${CLI_BUNDLE} is missing: run "node scripts/build.mjs" first (npm test does).`);
    ws = sampleWorkspace();
  });
  after(() => ws.dispose());

  it('prints the version from package.json', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const run = spawnCli(['--version'], { cwd: ws.root });
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `${version}\n`);
  });

  it('is executable with a node shebang', () => {
    assert.ok(fs.readFileSync(CLI_BUNDLE, 'utf8').startsWith('#!/usr/bin/env node\n'));
    assert.ok((fs.statSync(CLI_BUNDLE).mode & 0o111) !== 0);
  });

  it('writes parsable JSON and valid SARIF for a workspace', () => {
    const json = spawnCli(['scan', '--format', 'json', '--fail-on', 'never'], { cwd: ws.root });
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout).files.map((f: { filePath: string }) => f.filePath), ['src/clean.ts', 'src/orders.service.ts']);
    const sarif = spawnCli(['scan', 'src', '--format', 'sarif', '--output', 'out/report.sarif'], { cwd: ws.root });
    assert.ok(sarif.code === 0 || sarif.code === 1, sarif.stderr);
    const log = JSON.parse(fs.readFileSync(ws.path('out/report.sarif'), 'utf8'));
    assert.deepEqual(sarifProblems(log), []);
    assert.equal(log.runs[0].tool.driver.name, 'Backend Advisor');
  });

  it('exits 2 for a missing path, an unknown format and a broken configuration', () => {
    const missing = spawnCli(['scan', 'nope'], { cwd: ws.root });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope: no such file or folder/);
    const format = spawnCli(['scan', '--format', 'junit'], { cwd: ws.root });
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format "junit" is not a report format/);
    ws.write('.backend-advisor.json', '{ "rules": ');
    try {
      const broken = spawnCli(['scan'], { cwd: ws.root });
      assert.equal(broken.code, 2);
      assert.match(broken.stderr, /\.backend-advisor\.json is not valid JSON at line 1/);
    } finally {
      fs.rmSync(ws.path('.backend-advisor.json'));
    }
  });
});
