import assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DiagnosticSeverity, MarkupContent } from 'vscode-languageserver/node';
import { ruleDocsUrl } from '../../server/src/engine/rule-docs';
import { uriOf } from '../../server/src/lsp/uri';
import { LspHarness } from './helpers/lsp-harness';
import { FETCH_RULE_ID, HELPER_FIX_TITLE, SQL_RULE_ID, TEST_RULES, THROWING_RULE_ID, TIMEOUT_FIX_TITLE } from './helpers/test-rules';
import { BACKEND_FILES, makeWorkspace, removeWorkspace } from './helpers/workspace';

describe('LSP diagnostics', () => {
  let root: string;
  let lsp: LspHarness;
  const docsRoot = '/opt/extensions/backend-advisor';

  beforeEach(async () => {
    root = makeWorkspace();
    lsp = await LspHarness.start({ rules: TEST_RULES, folders: [root], initializationOptions: { docsRoot } });
  });
  afterEach(() => {
    lsp.dispose();
    removeWorkspace(root);
  });

  it('publishes a diagnostic with code, docs link, severity and range after didOpen', async () => {
    const uri = await lsp.open(path.join(root, 'src/users.service.ts'), BACKEND_FILES['src/users.service.ts']!);
    const published = await lsp.waitForDiagnostics(uri, 0);
    assert.equal(published.version, 1);
    assert.equal(published.diagnostics.length, 1);
    const [diagnostic] = published.diagnostics;
    assert.equal(diagnostic!.code, FETCH_RULE_ID);
    assert.equal(diagnostic!.source, 'Backend Advisor');
    assert.equal(diagnostic!.severity, DiagnosticSeverity.Warning);
    assert.equal(diagnostic!.codeDescription?.href, uriOf(path.join(docsRoot, 'docs/rules', `${FETCH_RULE_ID}.md`)));
    // `fetch(` on line 3 (0-based), after "  const response = await ".
    assert.deepEqual(diagnostic!.range.start, { line: 3, character: 25 });
    assert.deepEqual(diagnostic!.range.end, { line: 3, character: '  const response = await fetch(`https://users.internal/users/${id}`)'.length });
    assert.match(String(diagnostic!.message), /fetch\(`https:\/\/users\.internal\/users\/\$\{id\}`\) has no timeout/);
  });

  it('maps rule severities and analyses SQL files', async () => {
    const uri = await lsp.open(path.join(root, 'db/001_init.sql'), BACKEND_FILES['db/001_init.sql']!, 'sql');
    const published = await lsp.waitForDiagnostics(uri, 0);
    assert.equal(published.diagnostics.length, 1);
    assert.equal(published.diagnostics[0]!.code, SQL_RULE_ID);
    assert.equal(published.diagnostics[0]!.severity, DiagnosticSeverity.Information);
    assert.deepEqual(published.diagnostics[0]!.range.start, { line: 1, character: 0 });
  });

  it('re-publishes after an incremental didChange, debounced', async () => {
    const uri = await lsp.open(path.join(root, 'src/users.service.ts'), BACKEND_FILES['src/users.service.ts']!);
    await lsp.waitForDiagnostics(uri, 0);
    const since = lsp.diagnostics.length;
    const sent = Date.now();
    // Insert a second unguarded call after line 3.
    const version = await lsp.change(uri, [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: "  await fetch('https://audit.internal/log');\n" }]);
    const published = await lsp.waitForDiagnostics(uri, since);
    const elapsed = Date.now() - sent;
    assert.equal(published.version, version);
    assert.deepEqual(
      published.diagnostics.map((d) => d.range.start.line),
      [3, 4],
    );
    assert.ok(elapsed >= 120, `published ${elapsed} ms after the change; the 150 ms debounce should have held it`);
    assert.equal(lsp.text(uri).split('\n')[4], "  await fetch('https://audit.internal/log');");
  });

  it('never publishes a stale version after a newer one', async () => {
    const uri = await lsp.open(path.join(root, 'src/users.service.ts'), BACKEND_FILES['src/users.service.ts']!);
    await lsp.waitForDiagnostics(uri, 0);
    const since = lsp.diagnostics.length;
    // Typing quickly: every change lands inside the debounce window of the one before.
    let last = 0;
    for (let i = 0; i < 5; i++) {
      last = await lsp.change(uri, [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: `await fetch('https://x/${i}');\n` }]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const published = await lsp.waitForDiagnostics(uri, since, (params) => params.version === last);
    assert.equal(published.diagnostics.length, 6);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const after = lsp.publicationsFor(uri).slice(1);
    assert.deepEqual(
      after.map((params) => params.version),
      [last],
      'only the newest version is published when edits arrive within the debounce',
    );
  });

  it('drops a run that waited on settings when a newer version arrives meanwhile', async () => {
    const uri = await lsp.open(path.join(root, 'src/users.service.ts'), BACKEND_FILES['src/users.service.ts']!);
    await lsp.waitForDiagnostics(uri, 0);
    lsp.configurationDelay = 300;
    await lsp.changeSettings({ debounce: 0 });
    await lsp.waitFor('the server to ask for settings', () => lsp.configurationRequests >= 2);
    const since = lsp.diagnostics.length;
    const v2 = await lsp.change(uri, [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: "fetch('a');\n" }]);
    // Long enough for v2's debounce to fire, so its run is the one waiting on the settings.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const v3 = await lsp.change(uri, [{ range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } }, text: "fetch('b');\n" }]);
    const published = await lsp.waitForDiagnostics(uri, since, (params) => params.version === v3);
    assert.equal(published.diagnostics.length, 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const versions = lsp.diagnostics.slice(since).filter((params) => params.uri === uri).map((params) => params.version);
    assert.ok(!versions.includes(v2), `version ${v2} was superseded before its settings arrived and must not be published (got ${versions.join(', ')})`);
    const sorted = [...versions].sort((a, b) => a! - b!);
    assert.deepEqual(versions, sorted);
  });

  it('shows a markdown hover with title, explanation, fixes and docs link, without repeating the message', async () => {
    const uri = await lsp.open(path.join(root, 'src/users.service.ts'), BACKEND_FILES['src/users.service.ts']!);
    await lsp.waitForDiagnostics(uri, 0);
    const hover = await lsp.hover(uri, 3, 30);
    assert.ok(hover && MarkupContent.is(hover.contents));
    const markdown = (hover.contents as MarkupContent).value;
    assert.equal((hover.contents as MarkupContent).kind, 'markdown');
    assert.match(markdown, /\*\*Backend Advisor: fetch\(\) without a timeout\*\* \(`test-fetch-timeout`, warning\)/);
    assert.doesNotMatch(markdown, /has no timeout: a slow server holds this request open forever/, 'the diagnostic message is shown by the editor, not repeated');
    assert.match(markdown, /Use `fetch\(url, \{ signal: AbortSignal\.timeout\(5000\) \}\)`/);
    assert.ok(markdown.includes(TIMEOUT_FIX_TITLE) && markdown.includes(HELPER_FIX_TITLE), markdown);
    assert.ok(markdown.includes(`](${uriOf(path.join(docsRoot, 'docs/rules', `${FETCH_RULE_ID}.md`))})`), markdown);
    assert.deepEqual(hover.range?.start, { line: 3, character: 25 });
    assert.equal(await lsp.hover(uri, 0, 3), null);
  });

  it('answers hover for text typed a moment ago, before the debounced run', async () => {
    const uri = await lsp.open(path.join(root, 'src/user.ts'), BACKEND_FILES['src/user.ts']!);
    await lsp.waitForDiagnostics(uri, 0);
    await lsp.change(uri, [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: "fetch('https://late');\n" }]);
    const hover = await lsp.hover(uri, 4, 2);
    assert.ok(hover, 'the hover reflects the current text');
    assert.deepEqual(hover.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 21 } }, 'the hover is for the call typed on line 5');
  });

  it('keeps other rules when one throws, and logs the failure naming rule and file', async () => {
    const filePath = path.join(root, 'src/explode.ts');
    const uri = await lsp.open(filePath, "// explode\nexport const load = () => fetch('https://x');\n");
    const published = await lsp.waitForDiagnostics(uri, 0);
    assert.deepEqual(published.diagnostics.map((d) => d.code), [FETCH_RULE_ID]);
    const log = await lsp.waitFor('the failure log', () => lsp.logs.find((entry) => entry.message.includes(THROWING_RULE_ID)));
    assert.ok(log.message.includes(filePath), log.message);
    assert.match(log.message, /test rule exploded on purpose/);
    const status = await lsp.waitFor('a warning status', () => lsp.statuses.find((item) => item.state === 'warning'));
    assert.match(status.message, new RegExp(THROWING_RULE_ID));
  });

  it('skips a 2 MB minified document and a binary one without diagnostics, and keeps answering', async () => {
    const minifiedPath = path.join(root, 'src/vendor.min.js');
    const minified = `fetch("https://a");${'var a=1;'.repeat(250_000)}`;
    const binaryPath = path.join(root, 'src/blob.ts');
    const binary = `fetch('x')\u0000\u0001\u0002${'\u0000'.repeat(1000)}`;
    const started = Date.now();
    const minifiedUri = await lsp.open(minifiedPath, minified, 'javascript');
    const binaryUri = await lsp.open(binaryPath, binary);
    const first = await lsp.waitForDiagnostics(minifiedUri, 0);
    const second = await lsp.waitForDiagnostics(binaryUri, 0);
    assert.deepEqual(first.diagnostics, []);
    assert.deepEqual(second.diagnostics, []);
    assert.ok(Date.now() - started < 5000, 'skipping must be quick');
    const skipLogs = lsp.logs.filter((entry) => entry.message.startsWith('Skipped'));
    assert.ok(skipLogs.some((entry) => entry.message.includes(minifiedPath) && /MB|minified/.test(entry.message)), JSON.stringify(skipLogs));
    assert.ok(skipLogs.some((entry) => entry.message.includes(binaryPath) && /binary/.test(entry.message)), JSON.stringify(skipLogs));
    assert.equal(await lsp.hover(minifiedUri, 0, 2), null);
    // The server still analyses normal files afterwards.
    const uri = await lsp.open(path.join(root, 'src/users.service.ts'), BACKEND_FILES['src/users.service.ts']!);
    const published = await lsp.waitForDiagnostics(uri, 0);
    assert.equal(published.diagnostics.length, 1);
    // One log line per file and reason, not one per keystroke.
    await lsp.change(binaryUri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }]);
    await lsp.waitForDiagnostics(binaryUri, 0, (params) => params.version === 2);
    assert.equal(lsp.logs.filter((entry) => entry.message.startsWith('Skipped') && entry.message.includes(binaryPath)).length, 1);
  });

  it('ignores documents that are not file: URIs and answers their requests with nothing', async () => {
    await lsp.client.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'typescript', version: 1, text: "fetch('x');" } });
    assert.equal(await lsp.hover('untitled:Untitled-1', 0, 1), null);
    assert.deepEqual(await lsp.client.sendRequest('textDocument/codeAction', { textDocument: { uri: 'untitled:Untitled-1' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, context: { diagnostics: [] } }), []);
    assert.equal(lsp.publicationsFor('untitled:Untitled-1').length, 0);
  });
});

describe('LSP diagnostics without a docs root', () => {
  it('links to the repository docs page', async () => {
    const root = makeWorkspace();
    const lsp = await LspHarness.start({ rules: TEST_RULES, folders: [root] });
    try {
      const uri = await lsp.open(path.join(root, 'src/users.service.ts'), BACKEND_FILES['src/users.service.ts']!);
      const published = await lsp.waitForDiagnostics(uri, 0);
      assert.equal(published.diagnostics[0]!.codeDescription?.href, ruleDocsUrl(FETCH_RULE_ID));
    } finally {
      lsp.dispose();
      removeWorkspace(root);
    }
  });
});
