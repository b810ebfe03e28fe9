import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const repo = path.resolve(import.meta.dirname, '../..');
const bundlePath = path.join(repo, 'dist/extension.js');

describe('dist/extension.js', () => {
  it('stays light: no compiler or engine code is loaded when the extension activates', () => {
    if (!fs.existsSync(bundlePath)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
    const bundle = fs.readFileSync(bundlePath, 'utf8');
    assert.ok(bundle.length < 2_000_000, `the client bundle is ${bundle.length} bytes`);
    for (const marker of ['createSourceFile', 'ts-morph', 'AnalysisEngine', 'picomatch']) assert.ok(!bundle.includes(marker), `client bundle contains ${marker}`);
    const required = new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]!));
    const external = [...required].filter((name) => !name.startsWith('node:') && !BUILTINS.has(name));
    assert.deepEqual(external, ['vscode'], 'only vscode is left to the host');
    assert.match(bundle, /backendAdvisor\.scanWorkspace/);
    assert.match(bundle, /dist\/server\.js/);
  });
});

const BUILTINS = new Set(['fs', 'path', 'os', 'child_process', 'crypto', 'net', 'util', 'events', 'stream', 'url', 'assert', 'buffer', 'string_decoder', 'tty', 'readline', 'http', 'https', 'zlib']);
