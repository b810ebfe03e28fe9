import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { createLanguageClient } from './language-client';
import { STATUS_NOTIFICATION, type StatusParams } from '../../server/src/lsp/protocol';
import { StatusItem } from './status-item';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const outputChannel = vscode.window.createOutputChannel('Backend Advisor', { log: true });
  const status = new StatusItem();
  context.subscriptions.push(outputChannel, status);
  client = createLanguageClient(context, outputChannel);
  registerCommands(context, client, outputChannel);
  context.subscriptions.push(
    client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => status.update(params)),
    client.onDidChangeState((event) => {
      if (event.newState === State.Starting) status.starting();
      else if (event.newState === State.Stopped) status.stopped('The server stopped; run "Backend Advisor: Restart Server".');
    }),
  );
  try {
    await client.start();
  } catch (error) {
    outputChannel.error(`The Backend Advisor server did not start: ${error instanceof Error ? error.message : String(error)}`);
    status.stopped('The server did not start; see the output.');
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
