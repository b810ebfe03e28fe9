import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { VERIFY_WITH_PLANNER_COMMAND, VERIFY_WITH_PLANNER_REQUEST, type VerifyWithPlannerParams, type VerifyWithPlannerResult } from '../../server/src/lsp/protocol';

/**
 * "Backend Advisor: Verify with Postgres Planner". The server does the work (the embedded
 * Postgres runs in its worker, with progress shown while it starts); the client says what the
 * planner chose and writes both plans to the output channel. From a code action the finding's
 * document and position come as arguments; from the palette, the cursor.
 */
export function registerVerifyWithPlannerCommand(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(VERIFY_WITH_PLANNER_COMMAND, async (uri?: string, position?: { line: number; character: number }) => {
      const editor = vscode.window.activeTextEditor;
      const params: VerifyWithPlannerParams | undefined =
        typeof uri === 'string' && position ? { uri, position } : editor ? { uri: editor.document.uri.toString(), position: editor.selection.active } : undefined;
      if (!params) {
        void vscode.window.showInformationMessage('Backend Advisor: put the cursor on an index finding (a query flagged by unindexed-filter, for example) first.');
        return;
      }
      await client.start();
      const result = await client.sendRequest<VerifyWithPlannerResult>(VERIFY_WITH_PLANNER_REQUEST, params);
      if (result.report) output.info(`Verify with Postgres Planner\n${result.report}`);
      const show = result.report ? 'Show Plans' : undefined;
      const choice = await (result.proposalUsed === false ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(`Backend Advisor: ${result.message}`, ...(show ? [show] : []));
      if (choice === show && show) output.show(true);
    }),
  );
}
