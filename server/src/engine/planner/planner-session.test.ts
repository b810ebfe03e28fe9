import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlannerSession } from './planner-session';
import type { PlannerProgress } from './planner-types';

const ddl = ['CREATE TABLE orders (id bigint, customer_id integer, status text, created_at timestamptz)', 'CREATE INDEX idx_orders_customer_created ON orders (customer_id, created_at)'];

describe('the planner session (worker thread)', () => {
  it('starts PGlite on the first request with progress, caches verdicts, and ends the worker when idle', async () => {
    const session = new PlannerSession({ idleMs: 300 });
    assert.equal(session.running, false, 'nothing starts before it is asked');
    const events: PlannerProgress[] = [];
    const request = { ddl, querySql: 'SELECT * FROM orders WHERE status = $1', createIndexSql: 'CREATE INDEX idx_orders_status ON orders (status)', proposedIndexName: 'idx_orders_status' };
    const verdict = await session.verify(request, (event) => events.push(event));
    assert.deepEqual(events.map((event) => event.stage), ['loading', 'schema', 'explaining']);
    assert.deepEqual(verdict.before?.seqScanTables, ['orders']);
    assert.equal(verdict.proposalUsed, true);
    assert.equal(session.running, true);

    const again: PlannerProgress[] = [];
    assert.equal(await session.verify(request, (event) => again.push(event)), verdict, 'the same question is answered from the cache');
    assert.deepEqual(again, []);

    const other = await session.verify({ ddl, querySql: 'SELECT * FROM orders WHERE customer_id = $1' });
    assert.deepEqual(other.before?.usesIndexes, ['idx_orders_customer_created']);

    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(session.running, false, 'the idle worker was ended');
    const restarted = await session.verify({ ddl, querySql: 'SELECT * FROM orders WHERE id = $1' });
    assert.deepEqual(restarted.before?.seqScanTables, ['orders']);
    await session.dispose();
    assert.equal(session.running, false);
  });
});
