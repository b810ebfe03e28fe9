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

/** Which skills watch a file and why; the client's skill panel asks on every editor change. */
export const SKILL_ACTIVATION_REQUEST = 'backendAdvisor/skillActivation';

export interface SkillActivationParams {
  /** The document in the active editor; omitted when no editor is open (rules only). */
  uri?: string;
}

export interface SkillRuleInfo {
  id: string;
  title: string;
  /** The severity in force for the file's folder, or `off`. */
  severity: 'error' | 'warning' | 'info' | 'hint' | 'off';
  /** Whether the rule reads files of this file's language. */
  appliesToFile: boolean;
}

export interface SkillInfo {
  /** `database-optimizer`, `api-designer`, `microservices-architect` or `nestjs-expert`. */
  skill: string;
  label: string;
  active: boolean;
  /** Why the skill applies, e.g. "TypeORM repository calls", "SQL file". */
  reasons: string[];
  rules: SkillRuleInfo[];
}

export interface SkillActivationResult {
  uri?: string;
  /** Why the file is not analysed (excluded, disabled, skipped), when it is not. */
  notAnalysed?: string;
  skills: SkillInfo[];
}

/**
 * "Create Index for the Query Under the Cursor": the server finds the index advice at the
 * position and returns the same edit its quick fix would make (a new migration, an `@Index`,
 * an `@@index`), or a message saying why there is none.
 */
export const INDEX_FOR_QUERY_REQUEST = 'backendAdvisor/indexForQuery';

export interface IndexForQueryParams {
  uri: string;
  position: { line: number; character: number };
}

export interface IndexForQueryResult {
  /** What the edit does (the fix's title), or why nothing can be done. */
  message: string;
  /** A WorkspaceEdit (LSP shape) when there is an index to create. */
  edit?: unknown;
  /** Files the edit creates or changes, as URIs, to open once it is applied. */
  open?: string[];
}

/**
 * "Verify with Postgres Planner" on an index finding: the server explains the finding's query on
 * an embedded Postgres (PGlite, started on the first request, with workDoneProgress) holding the
 * folder's schema, now and with the proposed index. Offered as a code action on index findings
 * (with the finding's position as the argument) and in the command palette (the cursor).
 */
export const VERIFY_WITH_PLANNER_COMMAND = 'backendAdvisor.verifyWithPlanner';
export const VERIFY_WITH_PLANNER_REQUEST = 'backendAdvisor/verifyWithPlanner';

export interface VerifyWithPlannerParams {
  uri: string;
  position: { line: number; character: number };
}

export interface VerifyWithPlannerResult {
  /** One sentence: what the planner chose now and with the proposed index, or why it could not say. */
  message: string;
  /** The query, the index and both plans in full, for the output channel. */
  report?: string;
  /** True when the planner uses the proposed index. */
  proposalUsed?: boolean;
}
