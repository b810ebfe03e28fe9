import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { watchPeakRss } from './peak-rss.mjs';

const EDITS = 40;
const WAIT_MS = 30_000;

/**
 * Starts `node dist/server.js --stdio` as VS Code would, opens the big service and types into it:
 * each didChange is a small incremental edit, sent only once the diagnostics of the previous
 * version arrived. Latency = didChange sent -> publishDiagnostics for that version received,
 * so it includes the server's debounce (set through workspace/configuration).
 */
export async function benchServer({ repoRoot, workspace, bigFile, debounce }) {
  const child = spawn(process.execPath, [join(repoRoot, 'dist/server.js'), '--stdio'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  const rss = watchPeakRss(child.pid);
  let serverStderr = '';
  child.stderr.on('data', (chunk) => (serverStderr += chunk));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const logs = [];
  const waiters = new Map();
  const received = new Map();
  const fileUri = pathToFileURL(join(workspace, bigFile)).href;
  connection.onRequest('workspace/configuration', (params) => params.items.map((item) => (item.section === 'backendAdvisor' ? { debounce } : null)));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('client/unregisterCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/workspaceFolders', () => [{ uri: pathToFileURL(workspace).href, name: 'bench' }]);
  connection.onNotification('window/logMessage', (params) => logs.push(params.message));
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    if (params.uri !== fileUri || params.version === undefined) return;
    received.set(params.version, { at: performance.now(), count: params.diagnostics.length });
    waiters.get(params.version)?.();
  });
  connection.onUnhandledNotification(() => {});
  connection.listen();
  const diagnosticsFor = (version) =>
    new Promise((resolve, reject) => {
      if (received.has(version)) return resolve(received.get(version));
      const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version} within ${WAIT_MS} ms; server log:\n${logs.slice(-20).join('\n')}\n${serverStderr}`)), WAIT_MS);
      waiters.set(version, () => {
        clearTimeout(timer);
        resolve(received.get(version));
      });
    });

  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
        textDocument: { synchronization: { didSave: true, dynamicRegistration: false }, publishDiagnostics: { versionSupport: true, relatedInformation: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } } },
        window: { workDoneProgress: true },
      },
      initializationOptions: {},
    });
    connection.sendNotification('initialized', {});

    const lines = readFileSync(join(workspace, bigFile), 'utf8').split('\n');
    let version = 1;
    const openStarted = performance.now();
    connection.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri, languageId: 'typescript', version, text: lines.join('\n') } });
    const opened = await diagnosticsFor(version);
    const openMs = opened.at - openStarted;

    const latencies = [];
    for (let i = 0; i < EDITS; i++) {
      const change = nextEdit(lines, i);
      version++;
      const sent = performance.now();
      connection.sendNotification('textDocument/didChange', { textDocument: { uri: fileUri, version }, contentChanges: [change] });
      const result = await diagnosticsFor(version);
      latencies.push(result.at - sent);
    }
    const peakMb = rss.stop();
    await connection.sendRequest('shutdown').catch(() => undefined);
    connection.sendNotification('exit');
    return { openMs, latencies, p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies), peakMb, initialFindings: opened.count, edits: EDITS };
  } finally {
    rss.stop();
    connection.dispose();
    setTimeout(() => child.kill(), 2000).unref();
  }
}

/**
 * A realistic small edit at a spot that cycles through the file: typing a log line into a
 * method, changing a timeout value, deleting the line typed earlier. Applied to `lines` too so
 * positions stay right.
 */
function nextEdit(lines, i) {
  const methodLines = lines.map((text, line) => (/^ {2}async load\d+\(/.test(text) ? line : -1)).filter((line) => line >= 0);
  const target = methodLines[(i * 7) % methodLines.length];
  switch (i % 3) {
    case 0: {
      const text = `    this.logger.log('edit ${i}');`;
      lines.splice(target + 1, 0, text);
      return { range: { start: { line: target + 1, character: 0 }, end: { line: target + 1, character: 0 } }, text: `${text}\n` };
    }
    case 1: {
      const line = lines.findIndex((text, index) => index > target && /timeout: \d+|debug\(/.test(text));
      const match = /timeout: (\d+)|debug/.exec(lines[line]);
      const start = match.index;
      const oldText = match[0];
      const newText = oldText.startsWith('timeout') ? `timeout: ${1000 + i}` : 'verbose';
      lines[line] = lines[line].slice(0, start) + newText + lines[line].slice(start + oldText.length);
      return { range: { start: { line, character: start }, end: { line, character: start + oldText.length } }, text: newText };
    }
    default: {
      const line = lines.findIndex((text) => /this\.logger\.log\('edit \d+'\);/.test(text));
      lines.splice(line, 1);
      return { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' };
    }
  }
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
