import type { ConfigLayer } from '../engine/config/resolve-config';
import { SETTING_DESCRIPTIONS } from '../engine/config/settings-schema';

/** The settings only the editor reads (the engine's are validated by `resolveConfig`). */
export interface EditorSettings {
  enable: boolean;
  /** Milliseconds to wait after a keystroke before re-analysing. */
  debounce: number;
}

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = { enable: true, debounce: 150 };

export const SETTINGS_SECTION = 'backendAdvisor';
export const SETTINGS_SOURCE = 'VS Code settings (backendAdvisor.*)';

/**
 * Splits the `backendAdvisor` section the client sends into the engine's layer and the editor
 * settings. Bad editor values are reported naming the setting, and their default applies.
 */
export function splitSettings(raw: unknown): { layer: ConfigLayer; editor: EditorSettings; problems: string[] } {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  const editor = { ...DEFAULT_EDITOR_SETTINGS };
  if (raw === undefined || raw === null) return { layer: { source: SETTINGS_SOURCE, values }, editor, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${SETTINGS_SOURCE}: the "backendAdvisor" section must be an object; using the defaults.`);
    return { layer: { source: SETTINGS_SOURCE, values }, editor, problems };
  }
  const section = raw as Record<string, unknown>;
  for (const key of Object.keys(SETTING_DESCRIPTIONS)) {
    // VS Code sends `null` for a setting nobody set and that has no default.
    if (section[key] !== undefined && section[key] !== null) values[key] = section[key];
  }
  if (section.enable !== undefined && section.enable !== null) {
    if (typeof section.enable === 'boolean') editor.enable = section.enable;
    else problems.push(`${SETTINGS_SOURCE}: "enable" must be true or false, not ${JSON.stringify(section.enable)}; using true.`);
  }
  if (section.debounce !== undefined && section.debounce !== null) {
    const value = section.debounce;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 10_000) editor.debounce = Math.floor(value);
    else problems.push(`${SETTINGS_SOURCE}: "debounce" must be a number of milliseconds from 0 to 10000, not ${JSON.stringify(value)}; using ${DEFAULT_EDITOR_SETTINGS.debounce}.`);
  }
  return { layer: { source: SETTINGS_SOURCE, values }, editor, problems };
}
