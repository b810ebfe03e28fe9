import { ts } from 'ts-morph';
import { insertAfterEdit, insertArgumentEdit, isCallbackArgument } from '../../engine/ast/call-arguments';
import { chainedMethodNames, unwrapExpression } from '../../engine/ast/call-shape';
import { addPropertyEdit, findProperty, propertyValue } from '../../engine/ast/object-literal';
import { resolveName } from '../../engine/ast/scope';
import { urlArgument, urlText as urlTextOf, type RemoteCall } from '../remote-calls/find-remote-calls';
import { serviceNameOf } from '../remote-calls/service-name';
import { optionsOf } from './init-object';
import { signalAnswer } from './signal-timeout';
import { noTimeoutMessage, type JudgeContext, type Verdict } from './verdict';

/** superagent: `.timeout(ms)` somewhere on the request's fluent chain. */
export function judgeSuperagent(remote: RemoteCall, context: JudgeContext): Verdict | undefined {
  if (chainedMethodNames(remote.call).includes('timeout')) return undefined;
  const ms = context.timeoutMs;
  const url = urlArgument(remote);
  return {
    message: noTimeoutMessage(remote.label, urlTextOf(url), serviceNameOf(url), `Chain \`.timeout(${ms})\` on the request.`),
    fixes: [{ title: `Chain \`.timeout(${ms})\``, isPreferred: true, edits: [insertAfterEdit(remote.call, `.timeout(${ms})`)] }],
  };
}

/**
 * gRPC: grpc-js calls need `{ deadline }` in their call options; nice-grpc calls a `deadline`
 * (with the deadline middleware) or a timing-out `signal`, unless the client has a default deadline.
 */
export function judgeGrpc(remote: RemoteCall, context: JudgeContext): Verdict | undefined {
  if (remote.deadlineDefaults) return undefined;
  const args = remote.call.arguments.slice(1);
  let optionsLiteral: ts.ObjectLiteralExpression | undefined;
  for (const argument of args) {
    const options = optionsOf(argument);
    if (options.kind === 'literal') {
      if (findProperty(options.literal, 'deadline')) return undefined;
      const signal = findProperty(options.literal, 'signal');
      const signalValue = signal && propertyValue(signal);
      if (signalValue && signalAnswer(signalValue) !== 'never') return undefined;
      optionsLiteral ??= options.literal;
    } else {
      const node = unwrapExpression(argument);
      // Options handed in by the caller decide the deadline; not ours to judge.
      if (ts.isIdentifier(node) && /option/i.test(node.text)) return undefined;
      if (ts.isIdentifier(node) && resolveName(node.text, node)?.kind === 'parameter' && !isCallbackArgument(node)) {
        if (remote.client === 'nice-grpc') return undefined;
      }
    }
  }
  const ms = context.timeoutMs;
  const property = remote.client === 'nice-grpc' ? `signal: AbortSignal.timeout(${ms})` : `deadline: Date.now() + ${ms}`;
  const label = remote.label;
  const message =
    `\`${label}\` has no deadline: if the gRPC service stops answering, this call and the work waiting on it hang forever. ` +
    `Pass \`{ ${property} }\` in its call options.`;
  let edit;
  if (optionsLiteral) edit = addPropertyEdit(optionsLiteral, property);
  else {
    const all = remote.call.arguments;
    const lastIndex = all.length - 1;
    const index = lastIndex >= 1 && isCallbackArgument(all[lastIndex]) ? lastIndex : all.length;
    edit = insertArgumentEdit(remote.call, Math.max(index, 1), `{ ${property} }`);
  }
  return { message, fixes: [{ title: `Add \`${property}\``, isPreferred: true, edits: [edit] }] };
}
