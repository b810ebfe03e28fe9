import type { AnyRule } from '../engine/model/rule';
import { CONFIGURED_SEVERITIES, type ConfiguredSeverity, type Severity } from '../engine/model/severity';
import { UsageError } from './exit-codes';

export const FORMATS = ['stylish', 'json', 'sarif'] as const;
export type ReportFormat = (typeof FORMATS)[number];

export const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** What `scan` was asked to do, validated. */
export interface ScanOptions {
  paths: string[];
  format: ReportFormat;
  output?: string;
  failOn: FailOn;
  config?: string;
  root?: string;
  ruleOverrides: Record<string, ConfiguredSeverity>;
  /** Check index findings on an embedded Postgres planner (loads PGlite). */
  verify: boolean;
}

export interface RawScanOptions {
  format?: string;
  output?: string;
  failOn?: string;
  config?: string;
  root?: string;
  rule?: string[];
  verify?: boolean;
}

export function validateScanOptions(paths: string[], raw: RawScanOptions, rules: readonly AnyRule[]): ScanOptions {
  const format = raw.format ?? 'stylish';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format "${format}" is not a report format; use one of ${FORMATS.join(', ')}.`);
  }
  const failOn = raw.failOn ?? 'error';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on "${failOn}" is not a threshold; use one of ${FAIL_ON.join(', ')}.`);
  }
  return {
    paths: paths.length > 0 ? paths : ['.'],
    format: format as ReportFormat,
    output: raw.output,
    failOn: failOn as FailOn,
    config: raw.config,
    root: raw.root,
    ruleOverrides: parseRuleFlags(raw.rule ?? [], rules),
    verify: raw.verify === true,
  };
}

/** `--rule id=severity`, repeatable; a later flag for the same rule wins. */
export function parseRuleFlags(flags: readonly string[], rules: readonly AnyRule[]): Record<string, ConfiguredSeverity> {
  const overrides: Record<string, ConfiguredSeverity> = {};
  const known = rules.map((rule) => rule.meta.id);
  for (const flag of flags) {
    const match = /^([^=\s]+)=(\S+)$/.exec(flag.trim());
    if (!match) throw new UsageError(`--rule "${flag}" must look like RULE-ID=SEVERITY, e.g. --rule remote-call-no-timeout=off.`);
    const [, id, severity] = match as unknown as [string, string, string];
    if (!known.includes(id)) {
      throw new UsageError(`--rule "${flag}" names an unknown rule "${id}"; known rules: ${known.join(', ') || '(none)'}. Run "backend-advisor rules" to list them.`);
    }
    if (!(CONFIGURED_SEVERITIES as readonly string[]).includes(severity)) {
      throw new UsageError(`--rule "${flag}": "${severity}" is not a severity; use one of ${CONFIGURED_SEVERITIES.join(', ')}.`);
    }
    overrides[id] = severity as ConfiguredSeverity;
  }
  return overrides;
}

/** The most serious severity that does not yet fail the run, as a predicate. */
export function failsOn(failOn: FailOn, severity: Severity): boolean {
  switch (failOn) {
    case 'never':
      return false;
    case 'error':
      return severity === 'error';
    case 'warning':
      return severity === 'error' || severity === 'warning';
    case 'info':
      return severity !== 'hint';
  }
}
