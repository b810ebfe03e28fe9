import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { uriOf } from '../../server/src/lsp/uri';
import { FULL_CLIENT_CAPABILITIES } from './helpers/lsp-harness';
import { makeWorkspace, removeWorkspace } from './helpers/workspace';

const repo = path.resolve(import.meta.dirname, '../..');
const serverPath = path.join(repo, 'dist/server.js');
const RULE_ID = 'remote-call-no-timeout';

const SOURCE = [
  'export async function loadProfile(url: string) {',
  '  const response = await fetch(url);',
  '  return response.json();',
  '}',
  '',
].join('\n');

/** The shipped artifact, spawned as an editor other than VS Code would: `node dist/server.js --stdio`. */
describe('dist/server.js over stdio', () => {
  let root: string;
  let child: ChildProcessWithoutNullStreams;
  let client: ProtocolConnection;
  const diagnostics: PublishDiagnosticsParams[] = [];
  let stderr = '';

  before(() => {
    if (!fs.existsSync(serverPath)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
    root = makeWorkspace({
      'package.json': JSON.stringify({ name: 'profile-service', version: '1.0.0' }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true } }),
      'src/profile.ts': SOURCE,
    });
    child = spawn(process.execPath, [serverPath, '--stdio'], { cwd: root });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    client = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => void diagnostics.push(params));
    client.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    client.onRequest('client/registerCapability', () => null);
    client.onRequest('window/workDoneProgress/create', () => null);
    client.listen();
  });

  after(() => {
    client.dispose();
    if (child.exitCode === null) child.kill();
    removeWorkspace(root);
  });

  async function waitFor<T>(what: string, predicate: () => T | undefined, timeout = 15_000): Promise<T> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = predicate();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; server stderr: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('answers initialize, reports fetch(url) without a signal, and its quick fix removes the finding', async () => {
    const init: InitializeResult = await client.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: 'profile-service' }],
      capabilities: FULL_CLIENT_CAPABILITIES,
      initializationOptions: { docsRoot: repo },
    });
    assert.equal(init.serverInfo?.name, 'Backend Advisor');
    assert.ok(init.capabilities.hoverProvider);
    assert.deepEqual(init.capabilities.textDocumentSync, { openClose: true, change: 2 });
    await client.sendNotification('initialized', {});

    const filePath = path.join(root, 'src/profile.ts');
    const uri = uriOf(filePath);
    let document = TextDocument.create(uri, 'typescript', 1, SOURCE);
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: SOURCE } });
    const first = await waitFor('diagnostics', () => diagnostics.find((params) => params.uri === uri));
    const finding = first.diagnostics.find((diagnostic) => diagnostic.code === RULE_ID);
    assert.ok(finding, `expected a ${RULE_ID} finding, got ${JSON.stringify(first.diagnostics)}`);
    assert.equal(finding.range.start.line, 1);
    assert.equal(finding.source, 'Backend Advisor');
    assert.equal(finding.codeDescription?.href, uriOf(path.join(repo, 'docs/rules', `${RULE_ID}.md`)));
    assert.match(String(finding.message), /fetch/);

    const actions: CodeAction[] = await client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: finding.range, context: { diagnostics: [finding] } });
    const preferred = actions.find((action) => action.isPreferred && action.edit);
    assert.ok(preferred, `a preferred quick fix among ${actions.map((action) => action.title).join(' | ')}`);
    const edits = (preferred.edit!.documentChanges ?? [])
      .filter((change): change is TextDocumentEdit => 'textDocument' in change && change.textDocument.uri === uri)
      .flatMap((change) => change.edits as TextEdit[]);
    assert.ok(edits.length > 0);
    const fixed = TextDocument.applyEdits(document, edits);
    document = TextDocument.update(document, [{ text: fixed }], 2);
    const since = diagnostics.length;
    await client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    const second = await waitFor('re-published diagnostics', () => diagnostics.slice(since).find((params) => params.uri === uri && params.version === 2));
    assert.deepEqual(second.diagnostics.filter((diagnostic) => diagnostic.code === RULE_ID), [], `after the fix:\n${fixed}`);
    assert.match(fixed, /signal|timeout/i);

    await client.sendRequest('shutdown');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await client.sendNotification('exit');
    assert.equal(await exited, 0);
  });
});
