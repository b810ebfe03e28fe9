import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ProjectIndex } from './project-index';
import type { FactExtractor } from './project-view';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-index-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const file = (relative: string) => path.join(root, relative);
function write(relative: string, text: string): void {
  fs.mkdirSync(path.dirname(file(relative)), { recursive: true });
  fs.writeFileSync(file(relative), text);
}

write('package.json', JSON.stringify({ dependencies: { axios: '^1' }, devDependencies: { opossum: '^8' } }));
write('packages/worker/package.json', JSON.stringify({ dependencies: { got: '^14' } }));
write('tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@app/*': ['src/*'] } } }));
write('src/http/client.ts', 'export const api = 1;');
write('src/users.service.ts', "import { api } from './http/client';\nimport { x } from '@app/http/client';\n");
write('src/index.ts', 'export * from "./users.service";');
write('packages/worker/src/job.ts', 'export const job = 1;');

let extractions = 0;
const exportCount: FactExtractor<number> = {
  id: 'test/export-count',
  textHint: /export/,
  extract: (parsed) => {
    extractions++;
    return parsed.ast!.statements.filter((s) => s.getText().startsWith('export')).length;
  },
};

describe('ProjectIndex', () => {
  const index = new ProjectIndex(root);
  index.setFiles([file('src/http/client.ts'), file('src/users.service.ts'), file('src/index.ts'), file('packages/worker/src/job.ts')]);

  it('resolves relative imports, tsconfig paths and index files, but not packages', () => {
    assert.equal(index.resolveImport(file('src/users.service.ts'), './http/client'), file('src/http/client.ts'));
    assert.equal(index.resolveImport(file('src/users.service.ts'), '@app/http/client'), file('src/http/client.ts'));
    assert.equal(index.resolveImport(file('src/http/client.ts'), '..'), file('src/index.ts'));
    assert.equal(index.resolveImport(file('src/users.service.ts'), 'axios'), undefined);
  });

  it('reads dependencies from the nearest package.json', () => {
    assert.deepEqual([...index.dependenciesOf(file('src/users.service.ts'))].sort(), ['axios', 'opossum']);
    assert.deepEqual([...index.dependenciesOf(file('packages/worker/src/job.ts'))], ['got']);
  });

  it('caches facts per file version and recomputes them when the text changes', () => {
    extractions = 0;
    assert.deepEqual(
      index.allFacts(exportCount).map((f) => [path.basename(f.filePath), f.facts]),
      [['client.ts', 1], ['index.ts', 1], ['job.ts', 1]],
    );
    const first = extractions;
    index.allFacts(exportCount);
    assert.equal(extractions, first, 'second call is served from the cache');
    index.setOverlay(file('src/http/client.ts'), 'export const a = 1;\nexport const b = 2;', 3);
    assert.equal(index.factsOf(exportCount, file('src/http/client.ts')), 2);
    assert.equal(extractions, first + 1, 'only the edited file is re-extracted');
    index.removeOverlay(file('src/http/client.ts'));
    assert.equal(index.factsOf(exportCount, file('src/http/client.ts')), 1);
  });

  it('brings whole-project facts up to date file by file after an edit', () => {
    index.allFacts(exportCount);
    extractions = 0;
    index.setOverlay(file('packages/worker/src/job.ts'), 'export const a = 1;\nexport const b = 2;\nexport const c = 3;', 11);
    const facts = new Map(index.allFacts(exportCount).map((f) => [path.basename(f.filePath), f.facts]));
    assert.equal(facts.get('job.ts'), 3);
    assert.equal(facts.get('client.ts'), 1);
    assert.equal(extractions, 1, 'only the edited file is extracted again');
    index.removeOverlay(file('packages/worker/src/job.ts'));
    assert.equal(new Map(index.allFacts(exportCount).map((f) => [path.basename(f.filePath), f.facts])).get('job.ts'), 1);
  });

  it('prefers an open document over the disk and gives reasons for skipped files', () => {
    index.setOverlay(file('src/users.service.ts'), 'export const edited = true;', 7);
    assert.equal(index.file(file('src/users.service.ts'))!.text, 'export const edited = true;');
    index.setOverlay(file('src/users.service.ts'), 'a\u0000b', 8);
    assert.match(index.skipReasonOf(file('src/users.service.ts'))!, /binary/);
    assert.equal(index.file(file('src/users.service.ts')), undefined);
    index.removeOverlay(file('src/users.service.ts'));
    assert.equal(index.skipReasonOf(file('src/missing.ts')), 'it could not be read');
  });
});
