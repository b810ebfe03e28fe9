import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'sql', 'prisma'] as const;
/**
 * schema.prisma is matched by name too: without the Prisma extension VS Code calls it plain text,
 * and its foreign keys without an index are still worth a squiggle.
 */
export const DOCUMENT_SELECTOR = [...LANGUAGES.map((language) => ({ scheme: 'file', language })), { scheme: 'file', pattern: '**/*.prisma' }];

/** Files whose change can alter findings in other files: configuration, dependencies, path mappings. */
/**
 * Configuration files change what is reported; source files change the facts other files depend
 * on (an axios instance created elsewhere, an HttpModule registration), e.g. after a git checkout.
 */
const WATCHED_FILES = ['**/.backend-advisor.json', '**/package.json', '**/tsconfig*.json', '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,sql}'];

/**
 * The client for dist/server.js over IPC. Its id, `backendAdvisor`, makes the library honour the
 * `backendAdvisor.trace.server` setting.
 */
export function createLanguageClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const watchers = WATCHED_FILES.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  context.subscriptions.push(...watchers);
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { fileEvents: watchers },
    outputChannel,
    traceOutputChannel: outputChannel,
    diagnosticCollectionName: 'backendAdvisor',
    initializationOptions: { docsRoot: context.extensionPath },
  };
  return new LanguageClient('backendAdvisor', 'Backend Advisor', serverOptions, clientOptions);
}
