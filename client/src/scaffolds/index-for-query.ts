import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { INDEX_FOR_QUERY_REQUEST, type IndexForQueryParams, type IndexForQueryResult } from '../../../server/src/lsp/protocol';

/**
 * "Create Index for the Query Under the Cursor". The server computes the index (the same fix the
 * index rules offer on hover, written in the project's own style), so this command and the
 * quick fix can never disagree; the client only applies the edit and opens what it wrote.
 */
export function registerIndexForQueryCommand(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('backendAdvisor.scaffold.indexForQuery', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Backend Advisor: put the cursor on a query (a SQL statement or an ORM call) first.');
        return;
      }
      await client.start();
      const params: IndexForQueryParams = { uri: editor.document.uri.toString(), position: editor.selection.active };
      const result = await client.sendRequest<IndexForQueryResult>(INDEX_FOR_QUERY_REQUEST, params);
      if (!result.edit) {
        void vscode.window.showInformationMessage(`Backend Advisor: ${result.message}`);
        return;
      }
      const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit as Parameters<typeof client.protocol2CodeConverter.asWorkspaceEdit>[0]);
      if (!edit || !(await vscode.workspace.applyEdit(edit))) {
        void vscode.window.showWarningMessage(`Backend Advisor: the edit was not applied (${result.message}); a file it writes may already exist or have changed.`);
        return;
      }
      // Like the other scaffolds, what the command writes is saved: a migration is a file on disk.
      for (const uri of result.open ?? []) {
        const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
        if (document.isDirty) await document.save();
        await vscode.window.showTextDocument(document, { preview: false });
      }
      void vscode.window.showInformationMessage(`Backend Advisor: ${result.message}`);
    }),
  );
}
