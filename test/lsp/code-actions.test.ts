import assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CodeAction, CreateFile, TextDocumentEdit } from 'vscode-languageserver/node';
import { ruleDocsUrl } from '../../server/src/engine/rule-docs';
import { FIX_ALL_KIND, SHOW_RULE_DOCS_COMMAND } from '../../server/src/lsp/protocol';
import { uriOf } from '../../server/src/lsp/uri';
import { FULL_CLIENT_CAPABILITIES, LspHarness } from './helpers/lsp-harness';
import { FETCH_RULE_ID, HELPER_FIX_TITLE, SQL_RULE_ID, TEST_RULES, TIMEOUT_FIX_TITLE } from './helpers/test-rules';
import { BACKEND_FILES, makeWorkspace, removeWorkspace } from './helpers/workspace';

describe('LSP code actions', () => {
  let root: string;
  let lsp: LspHarness;

  beforeEach(async () => {
    root = makeWorkspace();
    lsp = await LspHarness.start({ rules: TEST_RULES, folders: [root] });
  });
  afterEach(() => {
    lsp.dispose();
    removeWorkspace(root);
  });

  async function openAndWait(relative: string, languageId = 'typescript') {
    const uri = await lsp.open(path.join(root, relative), BACKEND_FILES[relative]!, languageId);
    const published = await lsp.waitForDiagnostics(uri, 0);
    return { uri, diagnostics: published.diagnostics };
  }

  /** Applies an action and returns the diagnostics published for the resulting version. */
  async function apply(uri: string, action: CodeAction) {
    assert.ok(action.edit, `${action.title} has an edit`);
    const since = lsp.diagnostics.length;
    await lsp.applyEdit(action.edit);
    return (await lsp.waitForDiagnostics(uri, since, (params) => params.version === lsp.version(uri))).diagnostics;
  }

  function find(actions: CodeAction[], title: string): CodeAction {
    const action = actions.find((candidate) => candidate.title === title);
    assert.ok(action, `no action "${title}" among: ${actions.map((a) => a.title).join(' | ')}`);
    return action;
  }

  it('offers the fixes, fix-all, disable and docs actions in order, with the preferred fix first', async () => {
    const { uri, diagnostics } = await openAndWait('src/users.service.ts');
    const actions = await lsp.codeActions(uri, diagnostics);
    assert.deepEqual(
      actions.map((action) => action.title),
      [TIMEOUT_FIX_TITLE, HELPER_FIX_TITLE, `Disable ${FETCH_RULE_ID} for this line`, `Disable ${FETCH_RULE_ID} for this file`, `Show documentation for ${FETCH_RULE_ID}`],
    );
    assert.equal(actions[0]!.isPreferred, true);
    assert.equal(actions[1]!.isPreferred, false);
    assert.ok(actions.every((action) => action.kind === 'quickfix'));
    assert.equal(actions[0]!.diagnostics?.[0]?.code, FETCH_RULE_ID);
  });

  it('applies the preferred quick fix; the re-published diagnostics drop that finding', async () => {
    const { uri, diagnostics } = await openAndWait('src/users.service.ts');
    const actions = await lsp.codeActions(uri, diagnostics);
    const after = await apply(uri, find(actions, TIMEOUT_FIX_TITLE));
    assert.deepEqual(after, []);
    assert.ok(lsp.text(uri).includes('fetch(`https://users.internal/users/${id}`, { signal: AbortSignal.timeout(5000) })'), lsp.text(uri));
  });

  it('sends a fix that creates a file as CreateFile plus versioned TextDocumentEdits', async () => {
    const { uri, diagnostics } = await openAndWait('src/users.service.ts');
    const helper = find(await lsp.codeActions(uri, diagnostics), HELPER_FIX_TITLE);
    const changes = helper.edit!.documentChanges!;
    const create = changes.find((change): change is CreateFile => 'kind' in change && change.kind === 'create');
    assert.equal(create?.uri, uriOf(path.join(root, 'src/http-timeout.ts')));
    const edits = changes.filter((change): change is TextDocumentEdit => 'textDocument' in change);
    const own = edits.find((edit) => edit.textDocument.uri === uri);
    assert.equal(own?.textDocument.version, 1, 'edits to the open document carry its version');
    const content = edits.find((edit) => edit.textDocument.uri === create!.uri);
    assert.match((content!.edits[0] as { newText: string }).newText, /export const fetchWithTimeout/);
    assert.ok(changes.indexOf(create!) < changes.indexOf(content!), 'the file is created before it is written');
  });

  it('offers "Fix all" only when more than one finding of the rule is fixable, and it fixes them all', async () => {
    const single = await openAndWait('src/users.service.ts');
    const singleActions = await lsp.codeActions(single.uri, single.diagnostics);
    assert.ok(!singleActions.some((action) => action.title.startsWith('Fix all')));

    const { uri, diagnostics } = await openAndWait('src/orders.service.ts');
    assert.equal(diagnostics.length, 2);
    const actions = await lsp.codeActions(uri, [diagnostics[0]!]);
    const fixAll = find(actions, `Fix all ${FETCH_RULE_ID} problems in this file`);
    assert.equal(fixAll.diagnostics?.length, 2);
    const documentEdits = fixAll.edit!.documentChanges!.filter((change): change is TextDocumentEdit => 'textDocument' in change);
    assert.equal(documentEdits.length, 1, 'one TextDocumentEdit per file');
    assert.equal(documentEdits[0]!.edits.length, 2);
    assert.deepEqual(await apply(uri, fixAll), []);
    assert.equal(lsp.text(uri).match(/AbortSignal\.timeout\(5000\)/g)?.length, 2);
  });

  it('answers source.fixAll.backendAdvisor with every preferred fix in the file, only when asked by kind', async () => {
    const { uri, diagnostics } = await openAndWait('src/orders.service.ts');
    const whole = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };
    const plain = await lsp.codeActions(uri, diagnostics, whole);
    assert.ok(!plain.some((action) => action.kind === FIX_ALL_KIND), 'not offered in the light bulb');
    const sourceOnly = await lsp.codeActions(uri, [], whole, ['source.fixAll']);
    assert.deepEqual(sourceOnly.map((action) => action.kind), [FIX_ALL_KIND]);
    assert.deepEqual(await apply(uri, sourceOnly[0]!), []);
    const none = await lsp.codeActions(uri, [], whole, [FIX_ALL_KIND]);
    assert.deepEqual(none, [], 'nothing left to fix');
  });

  it('"Disable for this line" inserts an indented comment that silences the finding', async () => {
    const { uri, diagnostics } = await openAndWait('src/users.service.ts');
    const after = await apply(uri, find(await lsp.codeActions(uri, diagnostics), `Disable ${FETCH_RULE_ID} for this line`));
    assert.deepEqual(after, []);
    assert.equal(lsp.text(uri).split('\n')[3], `  // backend-advisor-disable-next-line ${FETCH_RULE_ID}`);
  });

  it('"Disable for this file" inserts a file comment that silences every finding of the rule', async () => {
    const { uri, diagnostics } = await openAndWait('src/orders.service.ts');
    const after = await apply(uri, find(await lsp.codeActions(uri, [diagnostics[1]!]), `Disable ${FETCH_RULE_ID} for this file`));
    assert.deepEqual(after, []);
    assert.equal(lsp.text(uri).split('\n')[0], `// backend-advisor-disable ${FETCH_RULE_ID}`);
  });

  it('uses -- comments in SQL files', async () => {
    const { uri, diagnostics } = await openAndWait('db/001_init.sql', 'sql');
    const actions = await lsp.codeActions(uri, diagnostics);
    const after = await apply(uri, find(actions, `Disable ${SQL_RULE_ID} for this line`));
    assert.deepEqual(after, []);
    assert.equal(lsp.text(uri).split('\n')[1], `-- backend-advisor-disable-next-line ${SQL_RULE_ID}`);
  });

  it('"Show documentation" runs the client command with the rule id and docs link', async () => {
    const { uri, diagnostics } = await openAndWait('src/users.service.ts');
    const docs = find(await lsp.codeActions(uri, diagnostics), `Show documentation for ${FETCH_RULE_ID}`);
    assert.equal(docs.command?.command, SHOW_RULE_DOCS_COMMAND);
    assert.deepEqual(docs.command?.arguments, [FETCH_RULE_ID, ruleDocsUrl(FETCH_RULE_ID)]);
    assert.equal(docs.edit, undefined);
  });

  it('returns nothing for a range without findings', async () => {
    const { uri } = await openAndWait('src/users.service.ts');
    assert.deepEqual(await lsp.codeActions(uri, [], { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } }), []);
  });
});

describe('LSP code actions for a client without documentChanges', () => {
  it('uses the changes map and leaves out fixes that must create a file', async () => {
    const root = makeWorkspace();
    const capabilities = structuredClone(FULL_CLIENT_CAPABILITIES);
    capabilities.workspace!.workspaceEdit = {};
    const lsp = await LspHarness.start({ rules: TEST_RULES, folders: [root], capabilities });
    try {
      const uri = await lsp.open(path.join(root, 'src/users.service.ts'), BACKEND_FILES['src/users.service.ts']!);
      const { diagnostics } = await lsp.waitForDiagnostics(uri, 0);
      const actions = await lsp.codeActions(uri, diagnostics);
      assert.ok(!actions.some((action) => action.title === HELPER_FIX_TITLE));
      const fix = actions.find((action) => action.title === TIMEOUT_FIX_TITLE)!;
      assert.equal(fix.edit?.documentChanges, undefined);
      assert.equal(fix.edit?.changes?.[uri]?.length, 1);
    } finally {
      lsp.dispose();
      removeWorkspace(root);
    }
  });
});
