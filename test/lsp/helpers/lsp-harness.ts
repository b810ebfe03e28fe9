import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  createConnection,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  type ClientCapabilities,
  type CodeAction,
  type Command,
  type Diagnostic,
  type Hover,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnyRule } from '../../../server/src/engine/model/rule';
import { startServer } from '../../../server/src/lsp/language-server';
import type { StatusParams } from '../../../server/src/lsp/protocol';
import { filePathOf, uriOf } from '../../../server/src/lsp/uri';

export const FULL_CLIENT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
  },
  window: { workDoneProgress: true, showMessage: {} },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
  },
};

export interface HarnessOptions {
  rules: readonly AnyRule[];
  /** Workspace folders (absolute paths). */
  folders: string[];
  /** The `backendAdvisor` settings section answered to workspace/configuration. */
  settings?: Record<string, unknown>;
  initializationOptions?: unknown;
  capabilities?: ClientCapabilities;
}

/**
 * A language client in the same process as the server, talking JSON-RPC over a pair of
 * in-memory streams: the real protocol layer, without spawning anything.
 */
export class LspHarness {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  readonly progress: Array<{ token: string | number; value: { kind: string; percentage?: number; message?: string; title?: string; cancellable?: boolean } }> = [];
  readonly statuses: StatusParams[] = [];
  readonly progressTokens: Array<string | number> = [];
  settings: Record<string, unknown>;
  /** Milliseconds the client takes to answer workspace/configuration, to hold analyses waiting on settings. */
  configurationDelay = 0;
  configurationRequests = 0;
  private readonly documents = new Map<string, TextDocument>();

  private constructor(
    readonly client: ProtocolConnection,
    private readonly streams: PassThrough[],
    private readonly disposeServer: () => void,
    options: HarnessOptions,
  ) {
    this.settings = options.settings ?? {};
  }

  static async start(options: HarnessOptions): Promise<LspHarness> {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    startServer(serverConnection, { rules: options.rules });
    serverConnection.listen();
    const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    const harness = new LspHarness(client, [toServer, toClient], () => serverConnection.dispose(), options);
    harness.listen();
    client.listen();
    await client.sendRequest('initialize', {
      processId: null,
      rootUri: options.folders[0] ? uriOf(options.folders[0]) : null,
      workspaceFolders: options.folders.map((folder) => ({ uri: uriOf(folder), name: path.basename(folder) })),
      capabilities: options.capabilities ?? FULL_CLIENT_CAPABILITIES,
      initializationOptions: options.initializationOptions,
    });
    await client.sendNotification('initialized', {});
    return harness;
  }

  private listen(): void {
    const client = this.client;
    client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => void this.diagnostics.push(params));
    client.onNotification('window/logMessage', (params: LogMessageParams) => void this.logs.push(params));
    client.onNotification('window/showMessage', (params: ShowMessageParams) => void this.messages.push(params));
    client.onNotification('backendAdvisor/status', (params: StatusParams) => void this.statuses.push(params));
    client.onRequest('workspace/configuration', async (params: { items: Array<{ section?: string; scopeUri?: string }> }) => {
      this.configurationRequests++;
      const answer = params.items.map((item) => (item.section === 'backendAdvisor' ? structuredClone(this.settings) : null));
      if (this.configurationDelay > 0) await new Promise((resolve) => setTimeout(resolve, this.configurationDelay));
      return answer;
    });
    client.onRequest('window/showMessageRequest', (params: ShowMessageParams) => {
      this.messages.push(params);
      return null;
    });
    client.onRequest('client/registerCapability', () => null);
    client.onRequest('client/unregisterCapability', () => null);
    client.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      this.progressTokens.push(params.token);
      client.onProgress(WorkDoneProgress.type, params.token, (value) => void this.progress.push({ token: params.token, value }));
      return null;
    });
  }

  /** Resolves with the predicate's first truthy value; fails naming what was awaited. */
  async waitFor<T>(description: string, predicate: () => T | undefined | false | null, timeout = 8000): Promise<T> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${description}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** The first diagnostics published for `uri` after publication number `since` that satisfy `accept`. */
  waitForDiagnostics(uri: string, since: number, accept: (params: PublishDiagnosticsParams) => boolean = () => true, timeout?: number): Promise<PublishDiagnosticsParams> {
    return this.waitFor(
      `diagnostics for ${uri}`,
      () => this.diagnostics.slice(since).find((params) => params.uri === uri && accept(params)),
      timeout,
    );
  }

  publicationsFor(uri: string): PublishDiagnosticsParams[] {
    return this.diagnostics.filter((params) => params.uri === uri);
  }

  /** Sends new settings the way VS Code does: a bare notification, after which the server pulls. */
  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.client.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  async open(filePath: string, text: string, languageId = 'typescript'): Promise<string> {
    const uri = uriOf(filePath);
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  async change(uri: string, contentChanges: TextDocumentContentChangeEvent[]): Promise<number> {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    const version = document.version + 1;
    this.documents.set(uri, TextDocument.update(document, contentChanges, version));
    await this.client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(uri: string): string {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document.getText();
  }

  version(uri: string): number {
    return this.documents.get(uri)?.version ?? -1;
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  async codeActions(uri: string, diagnostics: Diagnostic[], range = diagnostics[0]!.range, only?: string[]): Promise<CodeAction[]> {
    const result: Array<CodeAction | Command> = await this.client.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: only ? { diagnostics, only } : { diagnostics },
    });
    return result as CodeAction[];
  }

  /**
   * Applies a workspace edit as an editor would: edits to open documents become an incremental
   * didChange (last edit first, so earlier positions stay valid). Returns the files created.
   */
  async applyEdit(edit: WorkspaceEdit): Promise<string[]> {
    const created: string[] = [];
    const byUri = new Map<string, TextEdit[]>();
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) byUri.set(uri, [...(byUri.get(uri) ?? []), ...edits]);
    for (const change of edit.documentChanges ?? []) {
      if ('kind' in change) {
        if (change.kind === 'create') created.push(filePathOf(change.uri) ?? change.uri);
        continue;
      }
      const document = this.documents.get(change.textDocument.uri);
      if (document && change.textDocument.version !== null && change.textDocument.version !== document.version) {
        throw new Error(`edit for version ${change.textDocument.version} of ${change.textDocument.uri}, which is at ${document.version}`);
      }
      byUri.set(change.textDocument.uri, [...(byUri.get(change.textDocument.uri) ?? []), ...(change.edits as TextEdit[])]);
    }
    for (const [uri, edits] of byUri) {
      if (!this.documents.has(uri)) continue;
      const ordered = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
      await this.change(uri, ordered.map((item) => ({ range: item.range, text: item.newText })));
    }
    return created;
  }

  dispose(): void {
    this.client.dispose();
    this.disposeServer();
    for (const stream of this.streams) stream.destroy();
  }
}
