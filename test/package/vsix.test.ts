import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const repo = path.resolve(__dirname, '../..');
const vsce = path.join(repo, 'node_modules/.bin/vsce');
// PGlite (Postgres 18 in WebAssembly, about 5 MB compressed) and libpg-query's parser are inside.
const MAX_BYTES = 12 * 1024 * 1024;

/** Packages the bundles `npm test` just built, as `npm run package` does after its own build. */
describe('the .vsix', () => {
  it('holds only what runs and what the Marketplace page links to, and stays under 12 MB', () => {
    const listed = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: repo, encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .sort();
    const allowed = [/^dist\/(extension|server|planner-worker)\.js$/, /^dist\/libpg-query\.wasm$/, /^dist\/pglite\/(pglite\.wasm|pglite\.data|initdb\.wasm|pg_trgm\.tar\.gz)$/, /^docs\/rules\/[a-z0-9-]+\.md$/, /^schemas\/[a-z-]+\.schema\.json$/, /^snippets\/[a-z]+\.json$/, /^images\/(icon\.png|skills\.svg)$/, /^media\/walkthrough\/[a-z-]+\.md$/, /^(README|CHANGELOG)\.md$/, /^LICENSE$/, /^package\.json$/];
    const unexpected = listed.filter((file) => !allowed.some((pattern) => pattern.test(file)));
    assert.deepEqual(unexpected, [], 'files outside the allow-list');
    for (const required of ['dist/extension.js', 'dist/server.js', 'dist/planner-worker.js', 'dist/libpg-query.wasm', 'dist/pglite/pglite.wasm', 'dist/pglite/pglite.data', 'dist/pglite/initdb.wasm', 'README.md', 'LICENSE', 'CHANGELOG.md', 'images/icon.png', 'package.json']) assert.ok(listed.includes(required), `missing ${required}`);
    assert.ok(listed.some((file) => file.startsWith('docs/rules/')), 'rule docs are packaged: diagnostics link to them');

    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ba-vsix-')), 'backend-advisor.vsix');
    execFileSync(vsce, ['package', '--no-dependencies', '--out', out], { cwd: repo, stdio: 'pipe' });
    const size = fs.statSync(out).size;
    assert.ok(size < MAX_BYTES, `the .vsix is ${(size / 1024 / 1024).toFixed(2)} MB`);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });
});
