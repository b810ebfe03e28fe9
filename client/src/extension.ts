import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { createLanguageClient } from './language-client';
import { SKILL_ACTIVATION_REQUEST, STATUS_NOTIFICATION, type SkillActivationResult, type StatusParams } from '../../server/src/lsp/protocol';
import { registerScaffoldCommands } from './scaffolds/scaffold-commands';
import { registerIndexForQueryCommand } from './scaffolds/index-for-query';
import { registerVerifyWithPlannerCommand } from './verify-with-planner';
import { SkillPanel } from './skills/skill-panel';
import { StatusItem } from './status-item';

let client: LanguageClient | undefined;

/** What the extension exports, for the VS Code API test suite (test/vscode). */
export interface BackendAdvisorApi {
  /** The server's skill activation for a document, as the Skills view gets it. */
  skillActivation(uri: vscode.Uri): Promise<SkillActivationResult>;
}

/**
 * Registers everything and starts the server process without waiting for it: activation stays
 * light (the engine and the compiler live in dist/server.js, loaded by the server process only).
 */
export function activate(context: vscode.ExtensionContext): BackendAdvisorApi {
  const started = performance.now();
  const outputChannel = vscode.window.createOutputChannel('Backend Advisor', { log: true });
  const status = new StatusItem();
  context.subscriptions.push(outputChannel, status);
  client = createLanguageClient(context, outputChannel);
  registerCommands(context, client, outputChannel);
  registerScaffoldCommands(context);
  registerIndexForQueryCommand(context, client);
  registerVerifyWithPlannerCommand(context, client, outputChannel);
  const panel = new SkillPanel(client);
  context.subscriptions.push(
    panel,
    vscode.commands.registerCommand('backendAdvisor.skills.refresh', () => panel.refresh()),
    vscode.commands.registerCommand('backendAdvisor.skills.enable', (node) => panel.setSkillEnabled(node, true)),
    vscode.commands.registerCommand('backendAdvisor.skills.disable', (node) => panel.setSkillEnabled(node, false)),
    client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => status.update(params)),
    client.onDidChangeState((event) => {
      if (event.newState === State.Starting) status.starting();
      else if (event.newState === State.Stopped) status.stopped('The server stopped; run "Backend Advisor: Restart Server".');
      else if (event.newState === State.Running) panel.scheduleRefresh(0);
    }),
  );
  const registered = performance.now();
  client.start().catch((error: unknown) => {
    outputChannel.error(`The Backend Advisor server did not start: ${error instanceof Error ? error.message : String(error)}`);
    status.stopped('The server did not start; see the output.');
  });
  const ended = performance.now();
  const api: BackendAdvisorApi = {
    skillActivation: async (uri) => {
      await client?.start();
      return client!.sendRequest<SkillActivationResult>(SKILL_ACTIVATION_REQUEST, { uri: uri.toString() });
    },
  };
  outputChannel.info(`Activated in ${(ended - started).toFixed(1)} ms (registering ${(registered - started).toFixed(1)} ms, launching the server process ${(ended - registered).toFixed(1)} ms; the server analyses in its own process).`);
  return api;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
