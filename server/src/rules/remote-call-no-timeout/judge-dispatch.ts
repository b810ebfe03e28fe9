import type { RemoteCall } from '../remote-calls/find-remote-calls';
import { judgeGrpc, judgeSuperagent } from './judge-chained';
import { judgeFetch, judgeUndiciRequest } from './judge-fetch';
import { judgeNestHttp } from './judge-nest-http';
import type { JudgeContext, Verdict } from './verdict';

/** The clients whose deadline is a signal, an operator or a chained call rather than a config key. */
export function judgeChainedTimeout(remote: RemoteCall, context: JudgeContext): Verdict | undefined {
  switch (remote.client) {
    case 'fetch':
    case 'undici-fetch':
    case 'node-fetch':
      return judgeFetch(remote, context);
    case 'undici-request':
      return judgeUndiciRequest(remote, context);
    case 'nest-http':
      return judgeNestHttp(remote, context);
    case 'superagent':
      return judgeSuperagent(remote, context);
    case 'grpc':
    case 'nice-grpc':
      return judgeGrpc(remote, context);
    default:
      return undefined;
  }
}
