import * as path from 'node:path';
import { FileChangeType, type FileEvent } from 'vscode-languageserver/node';
import { CONFIG_FILE_NAME } from '../engine/config/config-file';
import { languageOf } from '../engine/source/file-language';
import { filePathOf } from './uri';
import type { Folder, WorkspaceFolders } from './workspace-folders';

/**
 * Brings the engines up to date with files changed outside the editor. Returns the folders whose
 * `.backend-advisor.json` changed: they must reload their configuration.
 */
export function handleWatchedFileChanges(
  changes: readonly FileEvent[],
  folders: WorkspaceFolders,
  documents: { isOpen(uri: string): boolean; clear(uri: string): void },
): Folder[] {
  const reconfigure = new Set<Folder>();
  for (const change of changes) {
    const filePath = filePathOf(change.uri);
    if (!filePath) continue;
    if (path.basename(filePath) === CONFIG_FILE_NAME) {
      for (const folder of folders.all()) if (folder.root === path.dirname(filePath)) reconfigure.add(folder);
      continue;
    }
    for (const folder of folders.all()) {
      const index = folder.engine.index;
      if (change.type === FileChangeType.Deleted) index.removeFile(filePath);
      else if (change.type === FileChangeType.Created && folder.isWorkspaceFolder && languageOf(filePath) && isInside(folder.root, filePath) && folder.engine.accepts(filePath)) {
        index.addFile(filePath);
      } else index.changed(filePath);
    }
    if (change.type === FileChangeType.Deleted && !documents.isOpen(change.uri)) documents.clear(change.uri);
  }
  return [...reconfigure];
}

function isInside(root: string, filePath: string): boolean {
  const relative = path.relative(root, filePath);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
