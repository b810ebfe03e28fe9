import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SCAN_WORKSPACE_REQUEST, SHOW_RULE_DOCS_COMMAND, type ScanWorkspaceResult } from '../../server/src/lsp/protocol';
import { scanSummary } from './status-text';

/** Registers the palette commands and the docs command the server's code actions use. */
export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient, outputChannel: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('backendAdvisor.restartServer', async () => {
      outputChannel.info('Restarting the Backend Advisor server.');
      await client.restart();
    }),
    vscode.commands.registerCommand('backendAdvisor.showOutput', () => outputChannel.show(true)),
    vscode.commands.registerCommand('backendAdvisor.scanWorkspace', async () => {
      if (!vscode.workspace.workspaceFolders?.length) {
        void vscode.window.showInformationMessage('Backend Advisor: open a folder to scan; only workspace folders are scanned.');
        return;
      }
      // The server reports progress (with a Cancel button) through window/workDoneProgress.
      try {
        const result = await client.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE_REQUEST, {});
        void vscode.window.showInformationMessage(scanSummary(result));
      } catch (error) {
        outputChannel.error(`Scan Workspace failed: ${error instanceof Error ? error.message : String(error)}`);
        void vscode.window.showErrorMessage('Backend Advisor: the workspace scan failed; see the Backend Advisor output.');
      }
    }),
    vscode.commands.registerCommand(SHOW_RULE_DOCS_COMMAND, async (ruleId?: unknown, href?: unknown) => {
      if (typeof ruleId !== 'string' || !/^[a-z][a-z0-9-]*$/.test(ruleId)) return;
      const target = typeof href === 'string' && href ? vscode.Uri.parse(href) : vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${ruleId}.md`);
      if (target.scheme === 'file') await vscode.commands.executeCommand('markdown.showPreview', target);
      else await vscode.env.openExternal(target);
    }),
  );
}
