// npm run bench: the CLI's throughput and memory on a generated 2,000-file workspace (plus 200 SQL
// migrations the index rules read), and the
// language server's edit-to-diagnostics latency and memory on its 1,500-line file. Exits 1 if
// a budget is missed. Runs the dist/ bundles (npm run bench builds them first).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCli } from './bench-cli.mjs';
import { benchServer } from './bench-server.mjs';
import { BIG_FILE, generateWorkspace } from './generate-workspace.mjs';

const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const WORKSPACE = join(REPO_ROOT, '.bench/workspace');
const DEBOUNCE_MS = 50;
const BUDGET = { filesPerSecond: 200, p95Ms: 100, rssMb: 400 };

for (const bundle of ['dist/cli.js', 'dist/server.js']) {
  if (!existsSync(join(REPO_ROOT, bundle))) {
    console.error(`${bundle} is missing: run "node scripts/build.mjs" (npm run bench does it).`);
    process.exit(2);
  }
}

const generated = generateWorkspace(WORKSPACE);
console.log(`workspace: ${generated.files} files, ${generated.lines} lines in .bench/workspace (seeded, identical every run)`);

const rows = [];
const row = (metric, value, budget, pass) => rows.push({ metric, value, budget, result: pass === undefined ? '' : pass ? 'PASS' : 'FAIL' });

const cli = await benchCli({ repoRoot: REPO_ROOT, workspace: '.bench/workspace', expectedFiles: generated.files });
row('CLI scan wall time', `${cli.seconds.toFixed(2)} s (${cli.files} files, ${cli.problems} findings, ${cli.skipped} skipped)`, '', undefined);
row('CLI throughput', `${cli.filesPerSecond.toFixed(0)} files/s`, `>= ${BUDGET.filesPerSecond} files/s`, cli.filesPerSecond >= BUDGET.filesPerSecond);
row('CLI peak RSS', `${cli.peakMb.toFixed(0)} MB`, `<= ${BUDGET.rssMb} MB`, cli.peakMb <= BUDGET.rssMb);

let server;
try {
  server = await benchServer({ repoRoot: REPO_ROOT, workspace: WORKSPACE, bigFile: BIG_FILE, debounce: DEBOUNCE_MS });
  row('server didOpen -> diagnostics', `${server.openMs.toFixed(0)} ms (${server.initialFindings} findings)`, '', undefined);
  row(`server didChange -> diagnostics p50 (${server.edits} edits)`, `${server.p50.toFixed(0)} ms`, '', undefined);
  row(`server didChange -> diagnostics p95 (${server.edits} edits)`, `${server.p95.toFixed(0)} ms`, `<= ${BUDGET.p95Ms} ms`, server.p95 <= BUDGET.p95Ms);
  row('server didChange -> diagnostics max', `${server.max.toFixed(0)} ms`, '', undefined);
  row('server peak RSS', `${server.peakMb.toFixed(0)} MB`, `<= ${BUDGET.rssMb} MB`, server.peakMb <= BUDGET.rssMb);
} catch (error) {
  row('language server', `did not complete: ${error instanceof Error ? error.message.split('\n')[0] : error}`, 'runs', false);
  console.error(error);
}

const widths = ['metric', 'value', 'budget', 'result'].map((key) => Math.max(key.length, ...rows.map((r) => String(r[key]).length)));
const format = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ').trimEnd();
console.log('');
console.log(format(['metric', 'value', 'budget', 'result']));
console.log(format(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(format([r.metric, r.value, r.budget, r.result]));
console.log('');
console.log(`Latency includes the server's debounce: backendAdvisor.debounce was set to ${DEBOUNCE_MS} ms through workspace/configuration (the default is 150 ms).`);
console.log('Each edit is sent after the diagnostics of the previous version arrived. Peak RSS is VmHWM from /proc/<pid>/status.');
const failed = rows.filter((r) => r.result === 'FAIL');
if (failed.length > 0) {
  console.log(`FAIL: ${failed.map((r) => r.metric).join('; ')}`);
  process.exit(1);
}
console.log('PASS: every budget met.');
