// Measures libpg-query (the gate) against pgsql-ast-parser on every .sql file under the folders
// given: accepted / rejected / foreign dialect, and time. pgsql-ast-parser runs in a worker that is
// terminated after a time limit, because it can run for tens of seconds on some inputs.
// Usage: node --import tsx scripts/measure-sql-parsers.ts <folder>... [--limit-ms 5000]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ensureSqlParser, parseSql } from '../server/src/engine/sql/sql-gate';

const args = process.argv.slice(2);
const limitIndex = args.indexOf('--limit-ms');
const limitMs = limitIndex >= 0 ? Number(args.splice(limitIndex, 2)[1]) : 5000;

function sqlFiles(dir: string, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sqlFiles(full, found);
    else if (entry.name.endsWith('.sql')) found.push(full);
  }
  return found;
}

const workerSource = `
const { parentPort } = require('node:worker_threads');
const { parse } = require(${JSON.stringify(require.resolve('pgsql-ast-parser'))});
parentPort.on('message', (text) => {
  const t = performance.now();
  try { parse(text); parentPort.postMessage({ ok: true, ms: performance.now() - t }); }
  catch (e) { parentPort.postMessage({ ok: false, ms: performance.now() - t }); }
});`;

let worker = new Worker(workerSource, { eval: true });
function astParse(text: string): Promise<{ ok: boolean | 'timeout'; ms: number }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      worker.removeAllListeners('message');
      void worker.terminate();
      worker = new Worker(workerSource, { eval: true });
      resolve({ ok: 'timeout', ms: limitMs });
    }, limitMs);
    worker.once('message', (m: { ok: boolean; ms: number }) => {
      clearTimeout(timer);
      resolve(m);
    });
    worker.postMessage(text);
  });
}

async function main(): Promise<void> {
  const files = args.flatMap((dir) => sqlFiles(dir));
  const loadStart = performance.now();
  await ensureSqlParser();
  const loadMs = performance.now() - loadStart;
  const gate: Record<string, number> = {};
  let gateMs = 0;
  let gateMax = 0;
  let astOk = 0, astRejected = 0, astTimeout = 0, astMs = 0, astMax = 0, bytes = 0;
  let rescued = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    bytes += text.length;
    const t = performance.now();
    const result = parseSql(text);
    const ms = performance.now() - t;
    gateMs += ms;
    gateMax = Math.max(gateMax, ms);
    gate[result.kind] = (gate[result.kind] ?? 0) + 1;
    const ast = await astParse(text);
    if (ast.ok === true) astOk++;
    else if (ast.ok === 'timeout') astTimeout++;
    else astRejected++;
    if (ast.ok !== 'timeout') { astMs += ast.ms; astMax = Math.max(astMax, ast.ms); }
    if (ast.ok !== true && result.kind === 'parsed') rescued++;
    if (process.env.VERBOSE && result.kind !== 'parsed') console.log(result.kind, file, 'reason' in result ? result.reason : 'message' in result ? result.message : '');
  }
  await worker.terminate();
  console.log(JSON.stringify({ files: files.length, bytes, libpgQuery: { loadMs: Math.round(loadMs), results: gate, totalMs: Math.round(gateMs), maxMs: Math.round(gateMax) },
    pgsqlAstParser: { accepted: astOk, rejected: astRejected, overLimit: astTimeout, limitMs, totalMsExcludingTimeouts: Math.round(astMs), maxMs: Math.round(astMax) },
    rejectedByAstParserButParsedByLibpgQuery: rescued }, null, 2));
}
void main();
