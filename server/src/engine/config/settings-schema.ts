import type { ConfiguredSeverity } from '../model/severity';

/**
 * Every setting the engine reads, typed once. The VS Code settings (`backendAdvisor.*`) and the
 * `.backend-advisor.json` file share these keys; package.json's `contributes.configuration` is
 * checked against this list by a test so the two never drift.
 */
export interface RuleSetting {
  severity?: ConfiguredSeverity;
  options?: Record<string, unknown>;
}

export interface EngineSettings {
  /** Per-rule severity or `{ severity, options }`. */
  rules: Record<string, ConfiguredSeverity | RuleSetting>;
  /** Globs, relative to the workspace root; when non-empty only matching files are analysed. */
  include: string[];
  /** Globs, relative to the workspace root, of files never analysed. */
  exclude: string[];
  /** Files larger than this many bytes are skipped with a message. */
  maxFileSize: number;
  /** Time budget, in milliseconds, for one rule on one file. */
  ruleTimeout: number;
}

export const SETTING_DEFAULTS: EngineSettings = {
  rules: {},
  include: [],
  exclude: [],
  maxFileSize: 1_000_000,
  ruleTimeout: 2_000,
};

/** Documentation of each key, used for messages and for the settings table in README. */
export const SETTING_DESCRIPTIONS: Record<keyof EngineSettings, string> = {
  rules: 'Severity (`error`, `warning`, `info`, `hint`, `off`) or `{ "severity", "options" }` per rule id.',
  include: 'Globs relative to the workspace root; when set, only matching files are analysed.',
  exclude: 'Globs relative to the workspace root of files never analysed (node_modules, build output and .gitignore entries are always skipped).',
  maxFileSize: 'Files larger than this many bytes are skipped with a message.',
  ruleTimeout: 'Milliseconds one rule may spend on one file before its result for that file is dropped.',
};

/** Settings that only the editor reads; they are not part of the engine's configuration. */
export const EDITOR_ONLY_SETTINGS = ['enable', 'debounce', 'trace.server'] as const;

/** Folders never analysed, whatever the configuration says. */
export const ALWAYS_EXCLUDED_DIRECTORIES = ['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.turbo', '.cache'];
