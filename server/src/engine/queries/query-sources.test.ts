import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { sqlParserLoaded, sqlParserRequested } from '../sql/sql-gate';
import { ProjectIndex } from '../workspace/project-index';
import { queriesOf } from './query-sources';

/** Runs in its own process (node --test), so the parser starts unloaded. */
describe('queriesOf and the SQL parser', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-query-sources-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const file = path.join(root, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const plain = write('format.ts', 'export function money(cents: number): string {\n  return `${(cents / 100).toFixed(2)} EUR`;\n}\n');
  const service = write('orders.ts', "import { Pool } from 'pg';\nconst pool = new Pool();\nexport const byId = (id: string) => pool.query('SELECT * FROM orders WHERE id = $1', [id]);\n");
  const project = new ProjectIndex(root);
  project.setFiles([plain, service]);

  it('answers for a file no query source matches without loading the parser', async () => {
    assert.deepEqual(queriesOf(project.file(plain)!, project), []);
    await sqlParserRequested();
    assert.equal(sqlParserLoaded(), false);
  });

  it('starts loading it for a file that may send a query, and reads the query once it is there', async () => {
    assert.deepEqual(queriesOf(project.file(service)!, project), []);
    await sqlParserRequested();
    assert.equal(sqlParserLoaded(), true);
    assert.equal(queriesOf(project.file(service)!, project).length, 1);
  });
});
