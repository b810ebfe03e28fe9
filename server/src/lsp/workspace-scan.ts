import type { CancellationToken, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { CancellationSignal } from '../engine/run/cancellation';
import type { DocumentAnalyser } from './document-analyser';
import type { ScanWorkspaceResult } from './protocol';
import { uriOf } from './uri';
import type { Folder, WorkspaceFolders } from './workspace-folders';

export interface ScanDependencies {
  folders: WorkspaceFolders;
  analyser: DocumentAnalyser;
  /** Version and text of the document open at `uri`, if it is open. */
  openDocument(uri: string): { version: number; text: string } | undefined;
  progress: WorkDoneProgressReporter & { token?: CancellationToken };
  /** Called for every file the scan published diagnostics for. */
  scanned(uri: string): void;
}

/**
 * Analyses every file of every workspace folder and publishes the results (an empty list clears
 * a file that has no findings). One file per turn of the event loop, so requests about the file
 * being edited are answered between files; open documents go first because the user is looking
 * at them.
 */
export async function scanWorkspace(deps: ScanDependencies, cancellation: CancellationSignal): Promise<ScanWorkspaceResult> {
  const result: ScanWorkspaceResult = { filesAnalysed: 0, filesWithFindings: 0, findings: 0, skipped: 0, cancelled: false };
  const signal: CancellationSignal = {
    get isCancellationRequested() {
      return cancellation.isCancellationRequested || deps.progress.token?.isCancellationRequested === true;
    },
  };
  deps.progress.begin('Backend Advisor: scanning the workspace', 0, 'finding files', true);
  try {
    const work: Array<{ folder: Folder; filePath: string; uri: string }> = [];
    for (const folder of deps.folders.workspaceFolders()) {
      await folder.ready;
      if (!folder.editor.enable) continue;
      for (const filePath of folder.engine.discover()) {
        // A file in a nested workspace folder belongs to that folder's engine and settings.
        if (deps.folders.forFile(filePath) === folder) work.push({ folder, filePath, uri: uriOf(filePath) });
      }
    }
    work.sort((a, b) => Number(deps.openDocument(b.uri) !== undefined) - Number(deps.openDocument(a.uri) !== undefined));
    let lastPercent = -1;
    for (let i = 0; i < work.length; i++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal.isCancellationRequested) {
        result.cancelled = true;
        break;
      }
      const { folder, filePath, uri } = work[i]!;
      const open = deps.openDocument(uri);
      if (open) folder.engine.index.setOverlay(filePath, open.text, open.version);
      const outcome = deps.analyser.analyse(folder, filePath, signal);
      if (!outcome) {
        result.cancelled = true;
        break;
      }
      deps.analyser.publish(uri, open ? open.version : null, outcome.findings, outcome.ruleFailure);
      deps.scanned(uri);
      result.filesAnalysed++;
      if (outcome.skipped) result.skipped++;
      if (outcome.findings.length > 0) result.filesWithFindings++;
      result.findings += outcome.findings.length;
      const percent = Math.floor(((i + 1) * 100) / work.length);
      if (percent !== lastPercent) {
        lastPercent = percent;
        deps.progress.report(percent, `${i + 1} of ${work.length} files`);
      }
    }
  } finally {
    deps.progress.done();
  }
  return result;
}
