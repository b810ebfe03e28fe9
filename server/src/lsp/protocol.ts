/**
 * The custom messages between the Backend Advisor client and server. The client imports this
 * file directly, so it must stay free of imports: the client bundle carries no engine code
 * (a test checks the bundle).
 */
export const SCAN_WORKSPACE_REQUEST = 'backendAdvisor/scanWorkspace';
export const STATUS_NOTIFICATION = 'backendAdvisor/status';
export const SHOW_RULE_DOCS_COMMAND = 'backendAdvisor.showRuleDocs';
export const FIX_ALL_KIND = 'source.fixAll.backendAdvisor';

export interface ScanWorkspaceResult {
  filesAnalysed: number;
  filesWithFindings: number;
  findings: number;
  skipped: number;
  cancelled: boolean;
}

export type StatusState = 'ok' | 'warning' | 'error';

export interface StatusParams {
  state: StatusState;
  message: string;
  filesAnalysed: number;
  /** Findings currently published, across every file. */
  findings: number;
}

/** What the client passes in `initializationOptions`. */
export interface InitializationOptions {
  /** The extension's folder; rule docs are read from `<docsRoot>/docs/rules/<id>.md`. */
  docsRoot?: string;
}
