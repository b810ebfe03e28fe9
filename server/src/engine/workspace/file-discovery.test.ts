import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { discoverFiles, FileFilter } from './file-discovery';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-discovery-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function write(relative: string, text = 'export {};\n'): void {
  const full = path.join(root, relative);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
}

write('.gitignore', 'generated/\n*.local.ts\n');
write('src/app.module.ts');
write('src/users/users.service.ts');
write('src/users/users.service.local.ts');
write('src/legacy/old.js');
write('src/types.d.ts');
write('src/README.md', '# not code');
write('migrations/001_init.sql', 'CREATE TABLE t (id int);');
write('generated/client.ts');
write('node_modules/axios/index.js');
write('dist/main.js');
write('packages/api/.gitignore', 'tmp/\n');
write('packages/api/src/main.ts');
write('packages/api/tmp/scratch.ts');

const relative = (files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/'));

describe('discoverFiles', () => {
  it('finds TS, JS and SQL files, honouring nested .gitignore files and skipping dependencies and build output', () => {
    const files = relative(discoverFiles(root, new FileFilter(root, { include: [], exclude: [] })));
    assert.deepEqual(files, [
      'migrations/001_init.sql',
      'packages/api/src/main.ts',
      'src/app.module.ts',
      'src/legacy/old.js',
      'src/users/users.service.ts',
    ]);
  });

  it('applies include and exclude globs relative to the root', () => {
    const filter = new FileFilter(root, { include: ['src/**'], exclude: ['**/legacy/**'] });
    assert.deepEqual(relative(discoverFiles(root, filter)), ['src/app.module.ts', 'src/users/users.service.ts']);
    assert.equal(filter.accepts(path.join(root, 'src/legacy/old.js')), false);
    assert.equal(filter.accepts(path.join(root, 'src/x.ts')), true);
  });

  it("applies the root's .gitignore when only a sub-folder is scanned", () => {
    write('src/generated/api.ts');
    fs.appendFileSync(path.join(root, '.gitignore'), 'src/generated/\n');
    const files = relative(discoverFiles(path.join(root, 'src'), new FileFilter(root, { include: [], exclude: [] })));
    assert.ok(files.includes('src/app.module.ts'));
    assert.ok(!files.includes('src/generated/api.ts'), files.join(', '));
    assert.ok(!files.includes('src/users/users.service.local.ts'), 'the root .gitignore pattern *.local.ts applies below');
  });

  it('scans a folder named explicitly even when the root .gitignore excludes it', () => {
    const files = relative(discoverFiles(path.join(root, 'generated'), new FileFilter(root, { include: [], exclude: [] })));
    assert.deepEqual(files, ['generated/client.ts']);
  });

  it('accepts a single file and ignores a missing path', () => {
    assert.deepEqual(relative(discoverFiles(path.join(root, 'src/app.module.ts'), new FileFilter(root, { include: [], exclude: [] }))), ['src/app.module.ts']);
    assert.deepEqual(discoverFiles(path.join(root, 'nope'), new FileFilter(root, { include: [], exclude: [] })), []);
  });
});
