import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from '../support/seeded-random.mjs';
import { spawnCli } from '../support/spawn-cli';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace';

const TIME_LIMIT_MS = 30_000;

/** An unterminated function body, as a migration looks while someone types it (it hung pgsql-ast-parser for 30 s). */
const HALF_TYPED_FUNCTION = `CREATE TABLE audit (id bigserial PRIMARY KEY, happened_at timestamptz NOT NULL);
CREATE FUNCTION touch() RETURNS trigger AS $$
BEGIN
  NEW.updated_at := now();
  IF NEW.status <> OLD.status THEN
    INSERT INTO audit (happened_at) VALUES (now());
`;

/**
 * The schema inputs of the index rules at their worst: another dialect, a half-typed function,
 * a binary, a 2 MB dump, a broken schema.prisma. The scan finishes, names what it could not read
 * once, and still reports the unindexed filter the good migration and service show.
 */
describe('a workspace with hostile schema files', () => {
  let ws: TempWorkspace;
  before(() => {
    ws = tempWorkspace({
      'package.json': JSON.stringify({ name: 'shop', dependencies: { pg: '^8.0.0' } }),
      'db/migrations/001_orders.sql': 'CREATE TABLE orders (id uuid PRIMARY KEY, customer_id uuid NOT NULL, status text NOT NULL);\nCREATE INDEX idx_orders_status ON orders (status);\n',
      'db/migrations/002_functions.sql': HALF_TYPED_FUNCTION,
      'db/migrations/003_binary.sql': randomBytes(4096, 11),
      'db/mysql/schema.sql': 'CREATE TABLE `events` (`id` int NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n',
      'db/dump.sql': `CREATE TABLE big (id int);\n${"INSERT INTO big VALUES (1);\n".repeat(80_000)}`,
      'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel Broken {\n  id Int @id\n  name String @@@\n',
      'src/orders.ts': "import { Pool } from 'pg';\nconst pool = new Pool();\nexport const byCustomer = (id: string) => pool.query('SELECT id FROM orders WHERE customer_id = $1', [id]);\n",
    });
  });
  after(() => ws.dispose());

  it('the bundled CLI finishes, names the files it could not read and still reports the good query', () => {
    const run = spawnCli(['scan', '--format', 'json', '--fail-on', 'never'], { cwd: ws.root, timeoutMs: TIME_LIMIT_MS });
    assert.equal(run.timedOut, false, `took over ${TIME_LIMIT_MS} ms`);
    assert.equal(run.signal, null);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    const found = report.files.flatMap((file: any) => file.findings.map((finding: any) => `${file.filePath}:${finding.line}:${finding.ruleId}`));
    assert.ok(found.includes('src/orders.ts:3:unindexed-filter'), found.join('\n'));
    assert.ok(!found.some((entry: string) => entry.startsWith('db/mysql/') || entry.startsWith('db/dump.sql')), found.join('\n'));
    assert.match(run.stderr, /^note: db\/mysql\/schema\.sql was not read for the schema: it looks like MySQL, not PostgreSQL/m);
    assert.match(run.stderr, /^note: db\/migrations\/002_functions\.sql was not read for the schema: a syntax error at line \d+/m);
    assert.match(run.stderr, /^skipped db\/migrations\/003_binary\.sql: it looks like a binary file/m);
    assert.match(run.stderr, /^skipped db\/dump\.sql: it is 2\.\d MB, over the 1\.0 MB limit/m);
    assert.ok(!/internal error|Error: |at Object\./.test(run.stderr), run.stderr);
  });
});
