import type { AnyRule } from '../model/rule';
import { validateOptions } from '../model/rule-options';
import { CONFIGURED_SEVERITIES, type ConfiguredSeverity, type Severity } from '../model/severity';
import { SETTING_DEFAULTS, SETTING_DESCRIPTIONS, type EngineSettings } from './settings-schema';

/** A rule as it will run: its severity after configuration, and its validated options. */
export interface ActiveRule {
  rule: AnyRule;
  severity: Severity;
  options: unknown;
}

export interface ResolvedConfig {
  settings: EngineSettings;
  rules: ActiveRule[];
  /** Each says what is wrong and names the source and the key; defaults applied in its place. */
  problems: string[];
}

/** One layer of raw configuration and where it came from, for messages ("VS Code settings", a file path). */
export interface ConfigLayer {
  source: string;
  values: unknown;
}

/**
 * Validates and merges configuration layers in order (later layers win) over the defaults.
 * Never throws: a bad value is reported and its default kept, so a typo cannot silence the tool.
 */
export function resolveConfig(layers: ConfigLayer[], allRules: readonly AnyRule[]): ResolvedConfig {
  const problems: string[] = [];
  const settings: EngineSettings = { ...SETTING_DEFAULTS, rules: {} };
  const ruleIds = new Set(allRules.map((rule) => rule.meta.id));

  for (const layer of layers) {
    if (layer.values === undefined || layer.values === null) continue;
    if (typeof layer.values !== 'object' || Array.isArray(layer.values)) {
      problems.push(`${layer.source}: the configuration must be a JSON object; using the defaults.`);
      continue;
    }
    for (const [key, value] of Object.entries(layer.values as Record<string, unknown>)) {
      if (key === '$schema') continue;
      if (!(key in SETTING_DESCRIPTIONS)) {
        problems.push(`${layer.source}: unknown setting "${key}" (known: ${Object.keys(SETTING_DESCRIPTIONS).join(', ')}).`);
        continue;
      }
      applySetting(settings, key as keyof EngineSettings, value, `${layer.source}: "${key}"`, ruleIds, problems);
    }
  }

  const rules: ActiveRule[] = [];
  for (const rule of allRules) {
    const setting = settings.rules[rule.meta.id];
    const configured: ConfiguredSeverity = (typeof setting === 'string' ? setting : setting?.severity) ?? rule.meta.defaultSeverity;
    const rawOptions = typeof setting === 'object' ? setting.options : undefined;
    const { options, problems: optionProblems } = validateOptions(rule.options, rawOptions, `rules["${rule.meta.id}"].options`);
    problems.push(...optionProblems);
    if (configured !== 'off') rules.push({ rule, severity: configured, options });
  }
  return { settings, rules, problems };
}

function applySetting(
  settings: EngineSettings,
  key: keyof EngineSettings,
  value: unknown,
  where: string,
  ruleIds: Set<string>,
  problems: string[],
): void {
  switch (key) {
    case 'rules': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`${where} must be an object mapping rule ids to a severity; ignored.`);
        return;
      }
      for (const [id, ruleValue] of Object.entries(value)) {
        if (!ruleIds.has(id)) {
          problems.push(`${where} names an unknown rule "${id}" (known: ${[...ruleIds].join(', ')}).`);
          continue;
        }
        const checked = checkRuleSetting(ruleValue, `${where}["${id}"]`, problems);
        if (checked) {
          const previous = settings.rules[id];
          settings.rules[id] = typeof checked === 'object' && typeof previous === 'object' ? { ...previous, ...checked } : checked;
        }
      }
      return;
    }
    case 'include':
    case 'exclude':
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) settings[key] = value;
      else problems.push(`${where} must be an array of glob strings; using ${JSON.stringify(settings[key])}.`);
      return;
    case 'maxFileSize':
    case 'ruleTimeout':
      if (typeof value === 'number' && Number.isFinite(value) && value > 0) settings[key] = Math.floor(value);
      else problems.push(`${where} must be a positive number, not ${JSON.stringify(value)}; using ${settings[key]}.`);
      return;
  }
}

function checkRuleSetting(value: unknown, where: string, problems: string[]): ConfiguredSeverity | { severity?: ConfiguredSeverity; options?: Record<string, unknown> } | undefined {
  if (typeof value === 'string') {
    if ((CONFIGURED_SEVERITIES as readonly string[]).includes(value)) return value as ConfiguredSeverity;
    problems.push(`${where} must be one of ${CONFIGURED_SEVERITIES.join(', ')}, not "${value}"; using the rule's default.`);
    return undefined;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { severity, options, ...rest } = value as Record<string, unknown>;
    for (const extra of Object.keys(rest)) problems.push(`${where}.${extra} is not recognised (use "severity" and "options").`);
    const result: { severity?: ConfiguredSeverity; options?: Record<string, unknown> } = {};
    if (severity !== undefined) {
      if (typeof severity === 'string' && (CONFIGURED_SEVERITIES as readonly string[]).includes(severity)) result.severity = severity as ConfiguredSeverity;
      else problems.push(`${where}.severity must be one of ${CONFIGURED_SEVERITIES.join(', ')}, not ${JSON.stringify(severity)}; using the rule's default.`);
    }
    if (options !== undefined) {
      if (typeof options === 'object' && options !== null && !Array.isArray(options)) result.options = options as Record<string, unknown>;
      else problems.push(`${where}.options must be an object; using the rule's defaults.`);
    }
    return result;
  }
  problems.push(`${where} must be a severity string or { "severity", "options" }, not ${JSON.stringify(value)}.`);
  return undefined;
}
