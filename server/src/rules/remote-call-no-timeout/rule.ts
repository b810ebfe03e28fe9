import { defineRule } from '../../engine/model/rule';
import { findRemoteCalls, type RemoteCall } from '../remote-calls/find-remote-calls';
import { remoteCallActivation } from '../remote-calls/activation';
import { isBrowserCode, isTestFile } from '../remote-calls/file-kind';
import { judgeConfigured } from './judge-config';
import { judgeChainedTimeout } from './judge-dispatch';
import { EXPLANATION, RULE_ID, type JudgeContext, type Verdict } from './verdict';

export interface RemoteCallNoTimeoutOptions {
  timeoutMs: number;
  includeBrowserCode: boolean;
}

/** Outbound HTTP and gRPC calls that can wait forever. */
export const remoteCallNoTimeout = defineRule<RemoteCallNoTimeoutOptions>({
  meta: {
    id: RULE_ID,
    skill: 'microservices-architect',
    title: 'Outbound HTTP or gRPC call without a timeout',
    defaultSeverity: 'warning',
    fixable: true,
    languages: ['typescript', 'javascript'],
  },
  options: {
    timeoutMs: { type: 'integer', default: 5000, minimum: 1, description: 'Milliseconds the quick fixes use for the timeout they add.' },
    includeBrowserCode: {
      type: 'boolean',
      default: false,
      description: 'Also report calls in browser code (files of a front-end package, or importing a UI framework).',
    },
  },
  activation(context) {
    // The options are not known here; browser code is reported only on request, so it does not count.
    return remoteCallActivation(context, ({ file, project }) => !isTestFile(file.filePath) && !isBrowserCode(file, project));
  },
  check(context) {
    const file = context.file;
    if (isTestFile(file.filePath)) return;
    const calls = findRemoteCalls(file, context.project, () => context.checkpoint());
    // A hung request in a browser ties up one tab, not a server's workers; the advice is for backends.
    if (calls.length === 0 || (!context.options.includeBrowserCode && isBrowserCode(file, context.project))) return;
    const judgeContext: JudgeContext = { file, project: context.project, timeoutMs: context.options.timeoutMs };
    for (const remote of calls) {
      context.checkpoint();
      const verdict = judge(remote, judgeContext);
      if (!verdict) continue;
      context.report({
        span: { start: remote.callee.getStart(file.ast), end: remote.callee.end },
        message: verdict.message,
        related: verdict.related,
        fixes: verdict.fixes,
        explanation: EXPLANATION,
      });
    }
  },
});

function judge(remote: RemoteCall, context: JudgeContext): Verdict | undefined {
  switch (remote.client) {
    case 'axios':
    case 'got':
    case 'http':
    case 'request':
      return judgeConfigured(remote, context);
    case 'ky':
      return undefined; // ky times out after 10 s by default
    default:
      return judgeChainedTimeout(remote, context);
  }
}
