import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DiagnosticSeverity, FileChangeType, MessageType } from 'vscode-languageserver/node';
import { uriOf } from '../../server/src/lsp/uri';
import { LspHarness } from './helpers/lsp-harness';
import { FETCH_RULE_ID, TEST_RULES } from './helpers/test-rules';
import { BACKEND_FILES, makeWorkspace, removeWorkspace, writeFile } from './helpers/workspace';

describe('LSP settings', () => {
  let root: string;
  let lsp: LspHarness;
  let uri: string;

  beforeEach(async () => {
    root = makeWorkspace();
    lsp = await LspHarness.start({ rules: TEST_RULES, folders: [root] });
    uri = await lsp.open(path.join(root, 'src/users.service.ts'), BACKEND_FILES['src/users.service.ts']!);
    assert.equal((await lsp.waitForDiagnostics(uri, 0)).diagnostics.length, 1);
  });
  afterEach(() => {
    lsp.dispose();
    removeWorkspace(root);
  });

  async function republished(accept: (count: number) => boolean) {
    const since = lsp.diagnostics.length;
    return (await lsp.waitForDiagnostics(uri, since, (params) => accept(params.diagnostics.length))).diagnostics;
  }

  it('pulls settings per folder: severity off removes the finding, error raises it', async () => {
    let next = republished((count) => count === 0);
    await lsp.changeSettings({ rules: { [FETCH_RULE_ID]: 'off' } });
    assert.deepEqual(await next, []);
    next = republished((count) => count === 1);
    await lsp.changeSettings({ rules: { [FETCH_RULE_ID]: { severity: 'error' } } });
    assert.equal((await next)[0]!.severity, DiagnosticSeverity.Error);
    assert.equal(lsp.messages.length, 0, 'valid settings show no warning');
  });

  it('warns once, naming the setting, about a bad value and keeps the defaults', async () => {
    const next = republished(() => true);
    await lsp.changeSettings({ maxFileSize: 'big', debounce: -5 });
    const diagnostics = await next;
    assert.equal(diagnostics.length, 1, 'defaults still apply');
    const warning = await lsp.waitFor('a warning message', () => lsp.messages.find((message) => message.type === MessageType.Warning));
    assert.match(warning.message, /maxFileSize/);
    assert.match(warning.message, /1 more/);
    assert.ok(lsp.logs.some((entry) => entry.message.includes('"debounce" must be')), 'every problem is logged');
    // The same problems again: no second message.
    const again = republished(() => true);
    await lsp.changeSettings({ maxFileSize: 'big', debounce: -5 });
    await again;
    assert.equal(lsp.messages.length, 1);
    const status = await lsp.waitFor('a warning status', () => lsp.statuses.at(-1)?.state === 'warning' && lsp.statuses.at(-1));
    assert.match(status.message, /Configuration problems/);
  });

  it('names an unknown rule id in the warning', async () => {
    await lsp.changeSettings({ rules: { 'no-such-rule': 'error' } });
    const warning = await lsp.waitFor('a warning message', () => lsp.messages[0]);
    assert.match(warning.message, /unknown rule "no-such-rule"/);
  });

  it('enable: false clears the diagnostics', async () => {
    const next = republished((count) => count === 0);
    await lsp.changeSettings({ enable: false });
    assert.deepEqual(await next, []);
  });

  it('re-analyses when .backend-advisor.json changes, and reports a broken file by name and line', async () => {
    const configPath = writeFile(root, '.backend-advisor.json', `{\n  // team decision\n  "rules": { "${FETCH_RULE_ID}": "off" },\n}\n`);
    let next = republished((count) => count === 0);
    await lsp.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(configPath), type: FileChangeType.Created }] });
    assert.deepEqual(await next, []);

    fs.writeFileSync(configPath, '{\n  "rules": {\n    "test-fetch-timeout": "off"\n  \n');
    next = republished((count) => count === 1);
    await lsp.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(configPath), type: FileChangeType.Changed }] });
    assert.equal((await next).length, 1, 'a broken file means defaults, so the finding is back');
    const warning = await lsp.waitFor('a warning message', () => lsp.messages[0]);
    assert.ok(warning.message.includes(configPath), warning.message);
    assert.match(warning.message, /line \d+/);
  });

  it('re-analyses open documents when a watched source file changes', async () => {
    const since = lsp.diagnostics.length;
    await lsp.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(root, 'package.json')), type: FileChangeType.Changed }] });
    await lsp.waitForDiagnostics(uri, since);
  });
});

describe('LSP settings for a client that cannot pull configuration', () => {
  it('uses the settings pushed with didChangeConfiguration', async () => {
    const root = makeWorkspace();
    const lsp = await LspHarness.start({ rules: TEST_RULES, folders: [root], capabilities: { workspace: {} } });
    try {
      const uri = await lsp.open(path.join(root, 'src/users.service.ts'), BACKEND_FILES['src/users.service.ts']!);
      assert.equal((await lsp.waitForDiagnostics(uri, 0)).diagnostics.length, 1);
      const since = lsp.diagnostics.length;
      await lsp.client.sendNotification('workspace/didChangeConfiguration', { settings: { backendAdvisor: { rules: { [FETCH_RULE_ID]: 'off' } } } });
      assert.deepEqual((await lsp.waitForDiagnostics(uri, since)).diagnostics, []);
      assert.equal(lsp.configurationRequests, 0);
    } finally {
      lsp.dispose();
      removeWorkspace(root);
    }
  });
});

describe('LSP with several workspace folders', () => {
  it("gives each folder its own configuration, and analyses a file outside every folder", async () => {
    const api = makeWorkspace();
    const worker = makeWorkspace({ ...BACKEND_FILES, '.backend-advisor.json': JSON.stringify({ rules: { [FETCH_RULE_ID]: 'error' } }) });
    const outside = makeWorkspace({});
    const lsp = await LspHarness.start({ rules: TEST_RULES, folders: [api, worker] });
    try {
      const apiUri = await lsp.open(path.join(api, 'src/users.service.ts'), BACKEND_FILES['src/users.service.ts']!);
      const workerUri = await lsp.open(path.join(worker, 'src/users.service.ts'), BACKEND_FILES['src/users.service.ts']!);
      const strayUri = await lsp.open(path.join(outside, 'script.ts'), "await fetch('https://example.org');\n");
      assert.equal((await lsp.waitForDiagnostics(apiUri, 0)).diagnostics[0]!.severity, DiagnosticSeverity.Warning);
      assert.equal((await lsp.waitForDiagnostics(workerUri, 0)).diagnostics[0]!.severity, DiagnosticSeverity.Error);
      assert.equal((await lsp.waitForDiagnostics(strayUri, 0)).diagnostics.length, 1);

      // Once the worker folder is removed, its file is a stray: the folder's .backend-advisor.json no longer applies.
      const since = lsp.diagnostics.length;
      await lsp.client.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: uriOf(worker), name: 'worker' }] } });
      const after = await lsp.waitForDiagnostics(workerUri, since);
      assert.equal(after.diagnostics[0]!.severity, DiagnosticSeverity.Warning);
    } finally {
      lsp.dispose();
      for (const root of [api, worker, outside]) removeWorkspace(root);
    }
  });
});
