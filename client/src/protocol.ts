/**
 * The custom messages shared with the server. The client bundle must stay free of server code
 * (ts-morph alone is megabytes), so the names are repeated here; a test checks they agree with
 * server/src/lsp/protocol.ts.
 */
export const SCAN_WORKSPACE_REQUEST = 'backendAdvisor/scanWorkspace';
export const STATUS_NOTIFICATION = 'backendAdvisor/status';
export const SHOW_RULE_DOCS_COMMAND = 'backendAdvisor.showRuleDocs';

export interface ScanWorkspaceResult {
  filesAnalysed: number;
  filesWithFindings: number;
  findings: number;
  skipped: number;
  cancelled: boolean;
}

export interface StatusParams {
  state: 'ok' | 'warning' | 'error';
  message: string;
  filesAnalysed: number;
  findings: number;
}
