import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { defineRule } from '../../server/src/engine/model/rule';
import { runCliCaptured } from '../support/run-cli-in-process';
import { spawnCli } from '../support/spawn-cli';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace';

/**
 * A stand-in for the index rules: reports each `// by-status` comment with the planner check's
 * data, as `verificationData` fills it, so the CLI's --verify is tested on its own.
 */
const testIndexRule = defineRule({
  meta: { id: 'test-index', skill: 'database-optimizer', title: 'test index finding', defaultSeverity: 'warning', fixable: false, languages: ['typescript'] },
  options: {},
  check(context) {
    for (const match of context.file.text.matchAll(/\/\/ by-status/g)) {
      context.report({
        span: { start: match.index, end: match.index + match[0].length },
        message: 'orders is filtered by status but no index serves it.',
        data: { verify: { querySql: 'SELECT * FROM orders WHERE status = $1', createIndexSql: 'CREATE INDEX IF NOT EXISTS idx_orders_status ON orders (status)', table: 'orders', indexName: 'idx_orders_status' } },
      });
    }
  },
});

const FILES = {
  'migrations/001_init.sql': 'CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id integer NOT NULL, status text NOT NULL);\nCREATE INDEX idx_orders_customer ON orders (customer_id);\n',
  'src/orders.ts': 'export const q = 1; // by-status\n',
};

describe('scan --verify', () => {
  let ws: TempWorkspace;
  before(() => (ws = tempWorkspace(FILES)));
  after(() => ws.dispose());

  it('prints what the planner chose under each index finding, and loads nothing without --verify', async () => {
    const plain = await runCliCaptured(['scan', '--fail-on', 'never'], { cwd: ws.root, rules: [testIndexRule] });
    assert.doesNotMatch(plain.stdout, /planner:/);
    assert.doesNotMatch(plain.stderr, /PGlite/);

    const run = await runCliCaptured(['scan', '--verify', '--fail-on', 'never'], { cwd: ws.root, rules: [testIndexRule] });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /planner: Seq Scan on orders now; with the proposed index: (Bitmap )?Index Scan using idx_orders_status on orders\./);
    assert.match(run.stderr, /Starting the embedded Postgres \(PGlite\)/);
    assert.match(run.stderr, /verified 1 finding on the Postgres planner/);
  });

  it('adds the verdict to SARIF result properties', async () => {
    const run = await runCliCaptured(['scan', '--verify', '--format', 'sarif', '--fail-on', 'never'], { cwd: ws.root, rules: [testIndexRule] });
    const planner = JSON.parse(run.stdout).runs[0].results[0].properties.planner;
    assert.equal(planner.proposalUsed, true);
    assert.deepEqual(planner.before.seqScanTables, ['orders']);
    assert.deepEqual(planner.after.usesIndexes, ['idx_orders_status']);
    assert.match(planner.postgres, /^PostgreSQL \d+/);
  });
});

/**
 * The packaged path: dist/cli.js with the product's rules, its planner worker and PGlite's files
 * from dist/, and libpg-query's WASM from dist/ for the migrations.
 */
describe('dist/cli.js scan --verify', () => {
  let ws: TempWorkspace;
  before(() => {
    ws = tempWorkspace({
      'migrations/001_init.sql': FILES['migrations/001_init.sql'],
      'queries/orders.sql': "SELECT id FROM orders WHERE status = 'failed';\nSELECT id FROM orders WHERE customer_id = $1;\n",
    });
  });
  after(() => ws.dispose());

  it('explains the unindexed filter on the bundled planner', { todo: fs.readFileSync(`${__dirname}/../../server/src/rules/unindexed-filter/rule.ts`, 'utf8').includes('verificationData') ? false : 'unindexed-filter does not attach verificationData(...) to its findings yet' }, () => {
    const run = spawnCli(['scan', '--verify', '--format', 'json', '--fail-on', 'never'], { cwd: ws.root, timeoutMs: 60_000 });
    assert.equal(run.code, 0, run.stderr);
    const findings = JSON.parse(run.stdout).files.flatMap((file: { findings: unknown[] }) => file.findings) as Array<{ ruleId: string; line: number; planner?: { summary: string; proposalUsed?: boolean } }>;
    const status = findings.find((finding) => finding.ruleId === 'unindexed-filter');
    assert.ok(status, JSON.stringify(findings));
    assert.equal(status.line, 1);
    assert.match(status.planner?.summary ?? '', /^Seq Scan on orders now; with the proposed index: (Bitmap )?Index Scan using \S+ on orders/);
    assert.equal(status.planner?.proposalUsed, true);
  });
});
