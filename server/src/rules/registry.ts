import type { AnyRule } from '../engine/model/rule';
import { remoteCallNoBreaker } from './remote-call-no-breaker/rule';
import { remoteCallNoTimeout } from './remote-call-no-timeout/rule';

/**
 * Every rule the product has. Adding a rule: write its module under `rules/<id>/`, its page at
 * `docs/rules/<id>.md`, its tests beside it, and add it here.
 */
export const RULES: readonly AnyRule[] = [
  remoteCallNoTimeout,
  remoteCallNoBreaker,
];

export function findRule(id: string): AnyRule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
