import type { FindingReport, FixReport } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { ProjectView } from '../../engine/workspace/project-view';

export const RULE_ID = 'remote-call-no-timeout';

/** What a judge says about an unbounded call: the message and the fixes it can offer. */
export interface Verdict {
  message: string;
  fixes: FixReport[];
  related?: FindingReport['related'];
}

export interface JudgeContext {
  file: ParsedFile;
  project: ProjectView;
  timeoutMs: number;
}

/** "`axios.get` to `${URL}/users` has no timeout: if the users service stops answering, …" */
export function noTimeoutMessage(label: string, url: string | undefined, service: string | undefined, advice: string, what = 'has no timeout'): string {
  const target = url ? ` to \`${url}\`` : '';
  const who = service ? `the ${service} service` : 'the remote service';
  return `\`${label}\`${target} ${what}: if ${who} stops answering, this request and the work waiting on it hang forever. ${advice}`;
}

export const EXPLANATION = [
  'An outbound call without a timeout waits as long as the other side keeps the connection open — with a',
  'stuck or overloaded service, that is forever. Each waiting request holds a socket, memory and often a',
  'database connection or a worker slot, so one slow dependency ends up exhausting this service too.',
  '',
  'Give every remote call a deadline that fits the caller’s own budget: `AbortSignal.timeout(ms)` for',
  '`fetch`, `timeout` for axios, got, `http.request` and request, `.timeout(ms)` for superagent,',
  '`deadline` for gRPC, the rxjs `timeout` operator for NestJS `HttpService`.',
  '',
  'The quick fix adds such a deadline (the `timeoutMs` option, 5000 ms by default); tune the number to the',
  'endpoint. See docs/rules/remote-call-no-timeout.md.',
].join('\n');
