import assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver/node';
import { SCAN_WORKSPACE_REQUEST, type ScanWorkspaceResult } from '../../server/src/lsp/protocol';
import { uriOf } from '../../server/src/lsp/uri';
import { LspHarness } from './helpers/lsp-harness';
import { FETCH_RULE_ID, SQL_RULE_ID, TEST_RULES } from './helpers/test-rules';
import { BACKEND_FILES, makeWorkspace, removeWorkspace } from './helpers/workspace';

describe('LSP Scan Workspace', () => {
  let root: string;
  let lsp: LspHarness;

  afterEach(() => {
    lsp.dispose();
    removeWorkspace(root);
  });

  it('publishes diagnostics for files nobody opened, with progress', async () => {
    root = makeWorkspace();
    lsp = await LspHarness.start({ rules: TEST_RULES, folders: [root] });
    const result: ScanWorkspaceResult = await lsp.client.sendRequest(SCAN_WORKSPACE_REQUEST, {});
    assert.deepEqual(result, { filesAnalysed: 5, filesWithFindings: 3, findings: 4, skipped: 0, cancelled: false });
    const byFile = new Map(lsp.diagnostics.map((params) => [params.uri, params.diagnostics.map((d) => d.code)]));
    assert.deepEqual(byFile.get(uriOf(path.join(root, 'src/users.service.ts'))), [FETCH_RULE_ID]);
    assert.deepEqual(byFile.get(uriOf(path.join(root, 'src/orders.service.ts'))), [FETCH_RULE_ID, FETCH_RULE_ID]);
    assert.deepEqual(byFile.get(uriOf(path.join(root, 'db/001_init.sql'))), [SQL_RULE_ID]);
    assert.deepEqual(byFile.get(uriOf(path.join(root, 'src/health.ts'))), [], 'a clean file is cleared');
    assert.ok(!byFile.has(uriOf(path.join(root, 'dist/bundle.js'))), 'build output is not scanned');
    await lsp.waitFor('the end of progress', () => lsp.progress.some((item) => item.value.kind === 'end'));
    const kinds = lsp.progress.map((item) => item.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(lsp.progress[0]!.value.cancellable, true);
    const percentages = lsp.progress.filter((item) => item.value.kind === 'report').map((item) => item.value.percentage!);
    assert.ok(percentages.length >= 2);
    assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b));
    assert.equal(percentages.at(-1), 100);
    const status = await lsp.waitFor('a status with findings', () => lsp.statuses.find((item) => item.findings === 4));
    assert.equal(status.state, 'ok');
    assert.equal(status.filesAnalysed, 5);

    // Turning the rule off updates the scanned files nobody has open.
    const since = lsp.diagnostics.length;
    await lsp.changeSettings({ rules: { [FETCH_RULE_ID]: 'off' } });
    const orders = uriOf(path.join(root, 'src/orders.service.ts'));
    await lsp.waitForDiagnostics(orders, since, (params) => params.diagnostics.length === 0);
    const sql = await lsp.waitForDiagnostics(uriOf(path.join(root, 'db/001_init.sql')), since);
    assert.equal(sql.diagnostics.length, 1, 'other rules keep their findings');
  });

  it('puts open documents first and answers requests while it runs', async () => {
    const files: Record<string, string> = { ...BACKEND_FILES };
    for (let i = 0; i < 150; i++) files[`src/generated/client-${i}.ts`] = `export const call${i} = () => fetch('https://svc/${i}');\n`;
    root = makeWorkspace(files);
    lsp = await LspHarness.start({ rules: TEST_RULES, folders: [root] });
    const openUri = await lsp.open(path.join(root, 'src/user.ts'), "export interface User { id: string }\nfetch('https://open');\n");
    await lsp.waitForDiagnostics(openUri, 0);
    const since = lsp.diagnostics.length;
    const scan = lsp.client.sendRequest(SCAN_WORKSPACE_REQUEST, {}) as Promise<ScanWorkspaceResult>;
    await lsp.waitFor('the scan to start', () => lsp.diagnostics.length > since);
    assert.equal(lsp.diagnostics[since]!.uri, openUri, 'the open document is analysed first');
    assert.equal(lsp.diagnostics[since]!.version, 1, 'and published with its editor version');
    const hover = await lsp.hover(openUri, 1, 2);
    assert.ok(hover, 'the hover is answered during the scan');
    const published = lsp.diagnostics.length - since;
    assert.ok(published < 155, `the hover was answered before the scan finished (${published} files published)`);
    const result = await scan;
    assert.equal(result.filesAnalysed, 155);
  });

  it('can be cancelled, and a scanned file keeps its diagnostics when closed', async () => {
    const files: Record<string, string> = { ...BACKEND_FILES };
    for (let i = 0; i < 400; i++) files[`src/generated/client-${i}.ts`] = `export const call${i} = () => fetch('https://svc/${i}');\n`;
    root = makeWorkspace(files);
    lsp = await LspHarness.start({ rules: TEST_RULES, folders: [root] });
    const source = new CancellationTokenSource();
    const scan = lsp.client.sendRequest(SCAN_WORKSPACE_REQUEST, {}, source.token) as Promise<ScanWorkspaceResult>;
    await lsp.waitFor('a few files', () => lsp.diagnostics.length > 5);
    source.cancel();
    const result = await scan;
    assert.equal(result.cancelled, true);
    assert.ok(result.filesAnalysed < 405, `${result.filesAnalysed} files`);
    await lsp.waitFor('the end of progress', () => lsp.progress.some((item) => item.value.kind === 'end'));
    const countAtEnd = lsp.diagnostics.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(lsp.diagnostics.length, countAtEnd, 'nothing is published after cancellation');
    assert.ok(countAtEnd < 405);

    // A file the scan published keeps its (disk) diagnostics after it is opened and closed.
    const scannedUri = lsp.diagnostics[0]!.uri;
    const scannedPath = path.join(root, path.relative(root, new URL(scannedUri).pathname));
    const findingsOnDisk = lsp.diagnostics[0]!.diagnostics.length;
    await lsp.open(scannedPath, 'export const nothing = 1;\n');
    await lsp.waitForDiagnostics(scannedUri, countAtEnd, (params) => params.version === 1 && params.diagnostics.length === 0);
    const beforeClose = lsp.diagnostics.length;
    await lsp.close(scannedUri);
    const afterClose = await lsp.waitForDiagnostics(scannedUri, beforeClose);
    assert.equal(afterClose.version, undefined);
    assert.equal(afterClose.diagnostics.length, findingsOnDisk);

    // A file outside the scan is cleared on close.
    const otherUri = await lsp.open(path.join(root, 'src/scratch.ts'), "fetch('x');\n");
    await lsp.waitForDiagnostics(otherUri, 0, (params) => params.diagnostics.length === 1);
    const beforeOtherClose = lsp.diagnostics.length;
    await lsp.close(otherUri);
    assert.deepEqual((await lsp.waitForDiagnostics(otherUri, beforeOtherClose)).diagnostics, []);
  });

  it('cancels through the progress cancel button', async () => {
    const files: Record<string, string> = { ...BACKEND_FILES };
    for (let i = 0; i < 400; i++) files[`src/generated/client-${i}.ts`] = `export const call${i} = () => fetch('https://svc/${i}');\n`;
    root = makeWorkspace(files);
    lsp = await LspHarness.start({ rules: TEST_RULES, folders: [root] });
    const scan = lsp.client.sendRequest(SCAN_WORKSPACE_REQUEST, {}) as Promise<ScanWorkspaceResult>;
    const token = await lsp.waitFor('the progress token', () => lsp.progressTokens[0] !== undefined && { token: lsp.progressTokens[0]! });
    await lsp.waitFor('a few files', () => lsp.diagnostics.length > 5);
    await lsp.client.sendNotification('window/workDoneProgress/cancel', { token: token.token });
    const result = await scan;
    assert.equal(result.cancelled, true);
    assert.ok(result.filesAnalysed < 405, `${result.filesAnalysed} files`);
  });
});
