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
