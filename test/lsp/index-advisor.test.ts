import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { WorkspaceEdit } from 'vscode-languageserver/node';
import { INDEX_FOR_QUERY_REQUEST, type IndexForQueryResult } from '../../server/src/lsp/protocol';
import { RULES } from '../../server/src/rules/registry';
import { LspHarness } from './helpers/lsp-harness';

const MIGRATION = `CREATE TABLE orders (
  id uuid PRIMARY KEY,
  customer_id uuid NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_orders_status ON orders (status);
`;

const SERVICE = `import { Pool } from 'pg';

const pool = new Pool({ statement_timeout: 5000 });

export async function ordersOf(customerId: string) {
  const { rows } = await pool.query(
    'SELECT id, status FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20',
    [customerId],
  );
  return rows;
}

export async function pending() {
  const { rows } = await pool.query("SELECT id FROM orders WHERE status = 'pending'");
  return rows;
}
`;

/**
 * The index rules through the real server: the first analysis starts loading the SQL parser and
 * the diagnostics arrive when it is ready (no edit needed), and "Create Index for the Query Under
 * the Cursor" returns the same migration the quick fix writes.
 */
describe('LSP: index advisor', () => {
  let root: string;
  let lsp: LspHarness;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-lsp-index-'));
    fs.mkdirSync(path.join(root, 'migrations'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'shop', dependencies: { pg: '^8.0.0' } }));
    fs.writeFileSync(path.join(root, 'migrations', '20240101000000_init.sql'), MIGRATION);
    fs.writeFileSync(path.join(root, 'src', 'orders.ts'), SERVICE);
    fs.mkdirSync(path.join(root, 'legacy'));
    fs.writeFileSync(path.join(root, 'legacy', 'schema.sql'), 'CREATE TABLE `events` (`id` int NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;\n');
    lsp = await LspHarness.start({ rules: RULES, folders: [root] });
  });
  after(() => {
    lsp.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('publishes the unindexed filter once the schema is known, then creates its index from the command', async () => {
    const uri = await lsp.open(path.join(root, 'src', 'orders.ts'), SERVICE);
    const published = await lsp.waitFor('the unindexed-filter diagnostic', () =>
      lsp.diagnostics.filter((params) => params.uri === uri).find((params) => params.diagnostics.some((d) => d.code === 'unindexed-filter')),
    );
    const finding = published.diagnostics.find((d) => d.code === 'unindexed-filter')!;
    assert.match(String(finding.message), /`orders` is filtered on `customer_id`/);
    assert.equal(finding.range.start.line, 6);
    // The query on status is served by idx_orders_status.
    assert.equal(published.diagnostics.filter((d) => d.code === 'unindexed-filter').length, 1);

    const served = await lsp.client.sendRequest<IndexForQueryResult>(INDEX_FOR_QUERY_REQUEST, { uri, position: { line: 13, character: 30 } });
    assert.equal(served.edit, undefined);
    assert.equal(served.message, '`idx_orders_status` on `orders` already serves the query under the cursor.');

    const result = await lsp.client.sendRequest<IndexForQueryResult>(INDEX_FOR_QUERY_REQUEST, { uri, position: { line: 5, character: 10 } });
    assert.match(result.message, /idx_orders_customer_id_created_at/);
    const edit = result.edit as WorkspaceEdit;
    const created = (edit.documentChanges ?? []).flatMap((change) => ('kind' in change && change.kind === 'create' ? [change.uri] : []));
    assert.equal(created.length, 1);
    assert.match(created[0]!, /\/migrations\/\d{14}_[a-z0-9_]+\.sql$/);
    const text = (edit.documentChanges ?? []).flatMap((change) => ('edits' in change ? change.edits.map((e) => ('newText' in e ? e.newText : '')) : [])).join('');
    assert.match(text, /CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id_created_at ON orders \(customer_id, created_at DESC\);/);
    assert.deepEqual(result.open, created);
  });

  it('says once in the log that a schema file in another dialect was not read, and reports nothing in it', async () => {
    const line = await lsp.waitFor('the log line for the MySQL file', () => lsp.logs.find((log) => /legacy\/schema\.sql was not read for the schema: it looks like MySQL/.test(log.message)));
    assert.ok(line);
    assert.equal(lsp.logs.filter((log) => /legacy\/schema\.sql was not read/.test(log.message)).length, 1);
  });
});
