import type { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import type { FileChange } from '../engine/model/finding';
import { uriOf } from './uri';

export interface EditCapabilities {
  /** The client accepts `documentChanges` (versioned edits). */
  documentChanges: boolean;
  /** The client can create files through a workspace edit. */
  createFiles: boolean;
}

/**
 * Turns a fix's changes into a WorkspaceEdit the client can apply, or undefined when it needs
 * something the client cannot do (creating a file without resource operations). Versioned edits
 * let the client refuse a fix computed for an older text instead of corrupting the file.
 */
export function toWorkspaceEdit(changes: readonly FileChange[], capabilities: EditCapabilities, versionOf: (filePath: string) => number | null): WorkspaceEdit | undefined {
  const needsCreate = changes.some((change) => change.kind === 'create');
  if (needsCreate && !(capabilities.documentChanges && capabilities.createFiles)) return undefined;
  if (!capabilities.documentChanges) {
    const map: Record<string, TextEdit[]> = {};
    for (const change of changes) {
      if (change.kind !== 'edit') continue;
      (map[uriOf(change.filePath)] ??= []).push(...change.edits);
    }
    return { changes: map };
  }
  const documentChanges: Array<TextDocumentEdit | CreateFile> = [];
  for (const change of changes) {
    const uri = uriOf(change.filePath);
    if (change.kind === 'create') {
      documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: true } });
      documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: change.content }] });
    } else {
      documentChanges.push({ textDocument: { uri, version: versionOf(change.filePath) }, edits: change.edits });
    }
  }
  return { documentChanges };
}
