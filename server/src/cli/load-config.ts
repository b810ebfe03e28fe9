import * as fs from 'node:fs';
import * as path from 'node:path';
import { findConfigFile, parseConfigText } from '../engine/config/config-file';
import type { ConfigLayer } from '../engine/config/resolve-config';
import { SETTING_DESCRIPTIONS } from '../engine/config/settings-schema';
import type { AnyRule } from '../engine/model/rule';
import type { ConfiguredSeverity } from '../engine/model/severity';
import { UsageError } from './exit-codes';

export interface LoadedConfig {
  layers: ConfigLayer[];
  /** Keys this version does not know: printed, then ignored, so a newer config still runs. */
  warnings: string[];
  /** The file the settings came from, if any. */
  file?: string;
}

/**
 * The configuration layers for a scan: `.backend-advisor.json` at the root (or `--config`), then
 * the `--rule` flags, which win. Unknown keys, rules and options are warnings; a file that is
 * missing, not JSON or not an object is a UsageError (exit 2): CI must not quietly run with
 * defaults because of a typo.
 */
export function loadScanConfig(root: string, cwd: string, explicitFile: string | undefined, ruleOverrides: Record<string, ConfiguredSeverity>, rules: readonly AnyRule[]): LoadedConfig {
  const warnings: string[] = [];
  const layers: ConfigLayer[] = [];
  let file: string | undefined;
  if (explicitFile !== undefined) {
    file = path.resolve(cwd, explicitFile);
    if (!fs.existsSync(file)) throw new UsageError(`--config ${explicitFile}: the file does not exist (looked at ${file}).`);
  } else {
    file = findConfigFile(root);
  }
  if (file) {
    const values = readConfigValues(file);
    layers.push({ source: file, values: withoutUnknownKeys(values, file, rules, warnings) });
  }
  if (Object.keys(ruleOverrides).length > 0) layers.push({ source: '--rule', values: { rules: ruleOverrides } });
  return { layers, warnings, file };
}

function readConfigValues(file: string): Record<string, unknown> {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new UsageError(`${file} is not a file; the configuration must be a JSON file.`);
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Could not read the configuration ${file}: ${(error as Error).message}.`);
  }
  const { layer, problem } = parseConfigText(file, text.replace(/^\uFEFF/, ''));
  if (problem || !layer) throw new UsageError(cliWording(problem ?? `${file} could not be parsed.`));
  const values = layer.values;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new UsageError(`${file}: the configuration must be a JSON object such as { "rules": { ... } }, not ${Array.isArray(values) ? 'an array' : JSON.stringify(values)}.`);
  }
  return values as Record<string, unknown>;
}

/**
 * A copy of the values without the keys this version does not know, each reported as a
 * warning. What remains is validated by the engine, and any problem there is a real error.
 */
function withoutUnknownKeys(values: Record<string, unknown>, file: string, rules: readonly AnyRule[], warnings: string[]): Record<string, unknown> {
  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === '$schema') continue;
    if (!(key in SETTING_DESCRIPTIONS)) {
      warnings.push(`${file}: unknown setting "${key}" is ignored (known settings: ${Object.keys(SETTING_DESCRIPTIONS).join(', ')}).`);
      continue;
    }
    known[key] = key === 'rules' ? withoutUnknownRules(value, file, rules, warnings) : value;
  }
  return known;
}

function withoutUnknownRules(value: unknown, file: string, rules: readonly AnyRule[], warnings: string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const kept: Record<string, unknown> = {};
  for (const [id, setting] of Object.entries(value)) {
    const rule = rules.find((candidate) => candidate.meta.id === id);
    if (!rule) {
      warnings.push(`${file}: "rules" names an unknown rule "${id}", which is ignored (known rules: ${rules.map((r) => r.meta.id).join(', ') || 'none'}).`);
      continue;
    }
    kept[id] = withoutUnknownOptions(setting, file, rule, warnings);
  }
  return kept;
}

function withoutUnknownOptions(setting: unknown, file: string, rule: AnyRule, warnings: string[]): unknown {
  if (typeof setting !== 'object' || setting === null || Array.isArray(setting)) return setting;
  const options = (setting as { options?: unknown }).options;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return setting;
  const schema = rule.options as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const [key, optionValue] of Object.entries(options)) {
    if (key in schema) kept[key] = optionValue;
    else warnings.push(`${file}: rules["${rule.meta.id}"].options.${key} is not an option of this rule and is ignored (known: ${Object.keys(schema).join(', ') || 'none'}).`);
  }
  return { ...setting, options: kept };
}

/** The engine words parse problems for the editor (TypeScript's wording, "using the defaults"); the CLI stops instead. */
function cliWording(problem: string): string {
  return problem
    .replace(/The root value of a 'tsconfig\.json' file must be an object\.?/, 'the configuration must be a JSON object such as { "rules": { ... } }.')
    .replace(/\.\./g, '.')
    .replace(/ Using the defaults until it is fixed\.$/, ' Fix the file and run again.');
}
