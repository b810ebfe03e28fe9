import { defineRule } from '../../engine/model/rule';
import { findRemoteCalls, type RemoteCall } from '../remote-calls/find-remote-calls';
import { isTestFile } from '../remote-calls/file-kind';
import { judgeConfigured } from './judge-config';
import { judgeChainedTimeout } from './judge-dispatch';
import { EXPLANATION, RULE_ID, type JudgeContext, type Verdict } from './verdict';

export interface RemoteCallNoTimeoutOptions {
  timeoutMs: number;
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
  },
  check(context) {
    const file = context.file;
    if (isTestFile(file.filePath)) return;
    const judgeContext: JudgeContext = { file, project: context.project, timeoutMs: context.options.timeoutMs };
    for (const remote of findRemoteCalls(file, context.project, () => context.checkpoint())) {
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
