import { defineRule } from '../../engine/model/rule';
import { remoteCallActivation } from '../remote-calls/activation';
import { isScriptFile, isServerSideFile, isTestFile } from '../remote-calls/file-kind';
import { findRemoteCalls, urlArgument, urlText } from '../remote-calls/find-remote-calls';
import { serviceNameOf } from '../remote-calls/service-name';
import { breakerFix } from './breaker-fix';
import { isProtected } from './wrapping';

const RULE_ID = 'remote-call-no-breaker';

const EXPLANATION = [
  'When a dependency fails or slows down, calling it again and again on every request keeps this service busy',
  'waiting, piles up retries from every caller, and passes the outage upstream — a cascading failure.',
  '',
  'Put each dependency behind a **circuit breaker** (stop calling for a while after repeated failures, then probe)',
  'combined with **retry with exponential backoff** for transient errors: cockatiel (`wrap(retry(…), circuitBreaker(…))`),',
  'opossum (`new CircuitBreaker(fn)`), `axios-retry`, `p-retry`, or rxjs `retry({ count, delay })` for NestJS HttpService.',
  '',
  'When cockatiel or opossum is a dependency, the quick fix adds a module-level policy/breaker and routes the call',
  'through it. Otherwise run **Backend Advisor: Scaffold circuit-breaker client** (`backendAdvisor.scaffold.circuitBreaker`).',
  'See docs/rules/remote-call-no-breaker.md.',
].join('\n');

/** Server-side calls to other services with neither retry-with-backoff nor a circuit breaker. */
export const remoteCallNoBreaker = defineRule({
  meta: {
    id: RULE_ID,
    skill: 'microservices-architect',
    title: 'Call to another service without retry-with-backoff or a circuit breaker',
    defaultSeverity: 'info',
    fixable: true,
    languages: ['typescript', 'javascript'],
  },
  options: {},
  activation(context) {
    return remoteCallActivation(context, ({ file, project }) => !isTestFile(file.filePath) && !isScriptFile(file.filePath) && isServerSideFile(file, project));
  },
  check(context) {
    const file = context.file;
    if (isTestFile(file.filePath) || isScriptFile(file.filePath)) return;
    const calls = findRemoteCalls(file, context.project, () => context.checkpoint());
    if (calls.length === 0 || !isServerSideFile(file, context.project)) return;
    const dependencies = context.project.dependenciesOf(file.filePath);
    const library = dependencies.has('cockatiel') ? 'cockatiel' : dependencies.has('opossum') ? 'opossum' : undefined;
    for (const remote of calls) {
      context.checkpoint();
      if (remote.instance && remote.instance.retry === 'unknown') continue;
      if (isProtected(remote, file, context.project)) continue;
      const url = urlArgument(remote);
      const service = serviceNameOf(url, remote.instance?.name);
      const target = url ? ` to \`${urlText(url)}\`` : '';
      const message =
        `\`${remote.label}\`${target} calls ${service ? `the ${service} service` : 'another service'} with neither retry-with-backoff nor a circuit breaker: ` +
        `when it fails or slows down, the failure cascades into this service and its callers. Wrap it in a cockatiel policy or an opossum circuit breaker.`;
      const fix = library ? breakerFix(remote, file, library) : undefined;
      context.report({
        span: { start: remote.callee.getStart(file.ast), end: remote.callee.end },
        message,
        fixes: fix ? [fix] : [],
        explanation: EXPLANATION,
      });
    }
  },
});
