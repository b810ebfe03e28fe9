import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ProjectIndex } from './project-index';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-workspace-packages-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const file = (relative: string) => path.join(root, relative);
function write(relative: string, text: string): void {
  fs.mkdirSync(path.dirname(file(relative)), { recursive: true });
  fs.writeFileSync(file(relative), text);
}

write('package.json', JSON.stringify({ name: 'shop', private: true, workspaces: ['packages/*', 'apps/*'] }));
// Built entry in the manifest: the source is found under src/.
write('packages/db/package.json', JSON.stringify({ name: '@shop/db', main: './dist/index.js', types: './dist/index.d.ts' }));
write('packages/db/src/index.ts', 'export const prisma = {};');
write('packages/db/src/client.ts', 'export const client = {};');
// Source entry in the manifest.
write('packages/prisma/package.json', JSON.stringify({ name: '@shop/prisma', main: './index.ts' }));
write('packages/prisma/index.ts', 'export const prisma = {};');
write('packages/auth/package.json', JSON.stringify({ name: '@shop/auth', exports: { '.': { types: './src/main.ts', default: './dist/main.js' } } }));
write('packages/auth/src/main.ts', 'export const auth = {};');
write('apps/api/package.json', JSON.stringify({ name: 'api' }));
write('apps/api/src/orders.service.ts', "import { prisma } from '@shop/prisma';\n");

describe('workspace packages', () => {
  const index = new ProjectIndex(root);
  index.setFiles(['packages/db/src/index.ts', 'packages/db/src/client.ts', 'packages/prisma/index.ts', 'packages/auth/src/main.ts', 'apps/api/src/orders.service.ts'].map(file));
  const from = file('apps/api/src/orders.service.ts');

  it('follows an import of a sibling package into its source entry', () => {
    assert.equal(index.resolveImport(from, '@shop/prisma'), file('packages/prisma/index.ts'));
    assert.equal(index.resolveImport(from, '@shop/db'), file('packages/db/src/index.ts'));
    assert.equal(index.resolveImport(from, '@shop/auth'), file('packages/auth/src/main.ts'));
  });

  it('follows a subpath of a sibling package', () => {
    assert.equal(index.resolveImport(from, '@shop/db/src/client'), file('packages/db/src/client.ts'));
  });

  it('leaves packages that are not in the workspace to node_modules (unresolved)', () => {
    assert.equal(index.resolveImport(from, '@prisma/client'), undefined);
    assert.equal(index.resolveImport(from, 'express'), undefined);
  });

  it('never reads manifests above the workspace folder', () => {
    const nested = new ProjectIndex(file('apps/api'));
    nested.setFiles([from]);
    assert.equal(nested.resolveImport(from, '@shop/prisma'), undefined);
  });
});
