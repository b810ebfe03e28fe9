/** Severities a finding can carry, ordered from most to least serious. */
export const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a user may configure for a rule: a severity, or `off`. */
export type ConfiguredSeverity = Severity | 'off';
export const CONFIGURED_SEVERITIES: readonly ConfiguredSeverity[] = [...SEVERITIES, 'off'];

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** True when `severity` is at least as serious as `threshold`. */
export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] <= RANK[threshold];
}

export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[a] - RANK[b];
}
