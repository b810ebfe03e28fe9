import type { ScanWorkspaceResult, StatusParams } from '../../server/src/lsp/protocol';

/** The language status item's short text and its detail line, from the server's status. */
export function statusText(status: StatusParams): { text: string; detail: string } {
  const icon = status.state === 'error' ? '$(error)' : status.state === 'warning' ? '$(warning)' : '$(check)';
  const count = status.findings === 0 ? 'no findings' : `${status.findings} finding${status.findings === 1 ? '' : 's'}`;
  return { text: `${icon} Backend Advisor: ${count}`, detail: status.message };
}

/** What the Scan Workspace command reports when it finishes. */
export function scanSummary(result: ScanWorkspaceResult): string {
  const files = `${result.filesAnalysed} file${result.filesAnalysed === 1 ? '' : 's'}`;
  const skipped = result.skipped > 0 ? `; ${result.skipped} skipped (see the Backend Advisor output for why)` : '';
  if (result.cancelled) return `Backend Advisor: scan cancelled after ${files}; ${result.findings} findings so far${skipped}.`;
  if (result.findings === 0) return `Backend Advisor: scanned ${files}, no findings${skipped}.`;
  return `Backend Advisor: scanned ${files}, ${result.findings} finding${result.findings === 1 ? '' : 's'} in ${result.filesWithFindings} file${result.filesWithFindings === 1 ? '' : 's'} (see the Problems panel)${skipped}.`;
}
