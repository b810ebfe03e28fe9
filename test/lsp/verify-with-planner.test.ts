import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver/node';
import { VERIFY_WITH_PLANNER_COMMAND, VERIFY_WITH_PLANNER_REQUEST, type VerifyWithPlannerResult } from '../../server/src/lsp/protocol';
import { RULES } from '../../server/src/rules/registry';
import { LspHarness } from './helpers/lsp-harness';
import { makeWorkspace, removeWorkspace } from './helpers/workspace';

const MIGRATION = `CREATE TABLE orders (
  id uuid PRIMARY KEY,
  customer_id uuid NOT NULL,
  status text NOT NULL,
  note text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_orders_status ON orders (status);
`;

// Line 6: the unindexed filter (a planner check). Line 15: a leading-wildcard LIKE (no index to
// propose, so no planner check). Line 26: nothing to report, more than six lines from either.
const SERVICE = `import { Pool } from 'pg';

const pool = new Pool({ statement_timeout: 5000 });

export async function ordersOf(customerId: string) {
  const { rows } = await pool.query(
    'SELECT id, status FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20',
    [customerId],
  );
  return rows;
}

export async function gifts() {
  // Searching inside a note cannot use a btree index.
  const { rows } = await pool.query(
    "SELECT id FROM orders WHERE note LIKE '%gift%' LIMIT 50",
    [],
  );
  return rows;
}

export const LIMITS = {
  page: 20,
  max: 100,
};

export function describeLimits(): string {
  return \`page \${LIMITS.page}, at most \${LIMITS.max}\`;
}
`;

/**
 * "Verify with Postgres Planner" through the real server: the code action on an index finding,
 * the request that starts the embedded Postgres (PGlite, once, with progress), the cached second
 * answer, and clear messages where there is nothing to verify. One PGlite start for the file.
 */
describe('LSP: Verify with Postgres Planner', () => {
  let root: string;
  let lsp: LspHarness;
  let uri: string;
  let diagnostics: Diagnostic[];

  before(async () => {
    root = makeWorkspace({
      'package.json': JSON.stringify({ name: 'shop', dependencies: { pg: '^8.0.0' } }),
      'migrations/20240101000000_init.sql': MIGRATION,
      'src/orders.ts': SERVICE,
    });
    lsp = await LspHarness.start({ rules: RULES, folders: [root] });
    uri = await lsp.open(path.join(root, 'src/orders.ts'), SERVICE);
    const published = await lsp.waitFor(
      'the index findings',
      () => lsp.publicationsFor(uri).find((params) => ['unindexed-filter', 'leading-wildcard-like'].every((rule) => params.diagnostics.some((d) => d.code === rule))),
      15_000,
    );
    diagnostics = published.diagnostics;
  });
  after(async () => {
    await lsp.client.sendRequest('shutdown');
    lsp.dispose();
    removeWorkspace(root);
  });

  const finding = (rule: string): Diagnostic => diagnostics.find((d) => d.code === rule)!;

  it('offers the check on the unindexed filter, and not on a finding of another rule', async () => {
    const filter = finding('unindexed-filter');
    assert.equal(filter.range.start.line, 6);
    const actions = await lsp.codeActions(uri, [filter]);
    const verify = actions.filter((action) => action.command?.command === VERIFY_WITH_PLANNER_COMMAND);
    assert.equal(verify.length, 1);
    assert.match(verify[0]!.title, /^Verify with Postgres planner/);
    assert.deepEqual(verify[0]!.command!.arguments, [uri, filter.range.start]);

    const like = finding('leading-wildcard-like');
    assert.equal(like.range.start.line, 15);
    const likeActions = await lsp.codeActions(uri, [like]);
    assert.ok(likeActions.length > 0, 'the LIKE finding has its own actions (disable, docs)');
    assert.ok(!likeActions.some((action) => action.command?.command === VERIFY_WITH_PLANNER_COMMAND));
  });

  it('shows the proposed CREATE INDEX in the hover as a SQL code block', async () => {
    const filter = finding('unindexed-filter');
    const hover = await lsp.hover(uri, filter.range.start.line, filter.range.start.character + 1);
    const markdown = (hover!.contents as MarkupContent).value;
    assert.match(markdown, /^\*\*Backend Advisor: Filter or join that no index serves\*\* \(`unindexed-filter`, warning\)/);
    assert.match(markdown, /\n```sql\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id_created_at ON orders \(customer_id, created_at DESC\);\n```\n/);
    assert.match(markdown, /\n\nQuick fix: \*Create index idx\\_orders\\_customer\\_id\\_created\\_at \(new migration \d{14}\\_add\\_idx\\_orders\\_customer\\_id\\_created\\_at\)\*\n/);
    assert.match(markdown, /\[Documentation for unindexed-filter\]\([^)]+unindexed-filter[^)]*\)/);
  });

  it('explains the query on the embedded Postgres: a Seq Scan now, the proposed index with it; the second answer comes from the cache', async () => {
    const at = finding('unindexed-filter').range.start;
    const progressBefore = lsp.progress.length;
    const firstStarted = Date.now();
    const first: VerifyWithPlannerResult = await lsp.client.sendRequest(VERIFY_WITH_PLANNER_REQUEST, { uri, position: at });
    const firstMs = Date.now() - firstStarted;
    // enable_seqscan and enable_sort are off: a Seq Scan and a Sort left in the plan mean no index serves.
    assert.equal(first.message, 'Postgres planner: Sort by created_at DESC, Seq Scan on orders now; with the proposed index: Index Scan using idx_orders_customer_id_created_at on orders.');
    assert.equal(first.proposalUsed, true);
    assert.match(first.report ?? '', /Proposed index: CREATE INDEX IF NOT EXISTS idx_orders_customer_id_created_at ON orders \(customer_id, created_at DESC\)\n/);

    const progress = lsp.progress.slice(progressBefore).map((event) => event.value);
    assert.equal(progress[0]?.kind, 'begin');
    assert.match(progress[0]?.message ?? '', /Starting the embedded Postgres \(PGlite\)/);
    assert.ok(progress.some((event) => event.kind === 'report'), 'the worker reports its stages while PGlite starts');
    assert.equal(progress.at(-1)?.kind, 'end');

    const secondStarted = Date.now();
    const second: VerifyWithPlannerResult = await lsp.client.sendRequest(VERIFY_WITH_PLANNER_REQUEST, { uri, position: { line: 7, character: 4 } });
    const secondMs = Date.now() - secondStarted;
    assert.deepEqual(second, first, 'the same finding (cursor a line below it) gives the same answer');
    assert.ok(secondMs < firstMs / 2, `the cached answer (${secondMs} ms) is much faster than the first (${firstMs} ms)`);
    const secondBegin = lsp.progress.slice(progressBefore + progress.length).find((event) => event.value.kind === 'begin');
    assert.doesNotMatch(secondBegin?.value.message ?? '', /Starting/, 'PGlite is not started twice');
  });

  it('says clearly where there is nothing to verify, and keeps answering', async () => {
    const none: VerifyWithPlannerResult = await lsp.client.sendRequest(VERIFY_WITH_PLANNER_REQUEST, { uri, position: { line: 26, character: 2 } });
    assert.match(none.message, /^No index advice with a proposed index under the cursor; put the cursor on a finding of unindexed-filter/);
    assert.equal(none.report, undefined);
    const like: VerifyWithPlannerResult = await lsp.client.sendRequest(VERIFY_WITH_PLANNER_REQUEST, { uri, position: { line: 15, character: 10 } });
    assert.match(like.message, /^No index advice/, 'a finding of another rule has no planner check');
    const beyond: VerifyWithPlannerResult = await lsp.client.sendRequest(VERIFY_WITH_PLANNER_REQUEST, { uri, position: { line: 9999, character: 0 } });
    assert.match(beyond.message, /^No index advice/);
    const unopened: VerifyWithPlannerResult = await lsp.client.sendRequest(VERIFY_WITH_PLANNER_REQUEST, { uri: `${uri}.missing.ts`, position: { line: 0, character: 0 } });
    assert.match(unopened.message, /Open the file in an editor/);
    const hover = await lsp.hover(uri, 0, 0);
    assert.equal(hover, null, 'the server still answers');
  });
});
