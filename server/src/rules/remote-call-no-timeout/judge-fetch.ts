import { insertArgumentEdit } from '../../engine/ast/call-arguments';
import { numericValue, shortText } from '../../engine/ast/call-shape';
import { addPropertyEdit, findProperty, hasSpread, propertyValue, replacePropertyEdit } from '../../engine/ast/object-literal';
import type { FixReport, SpanEdit } from '../../engine/model/rule';
import { urlArgument, urlText as urlTextOf, type RemoteCall } from '../remote-calls/find-remote-calls';
import { serviceNameOf } from '../remote-calls/service-name';
import { optionsAt } from './init-object';
import { signalAnswer } from './signal-timeout';
import { noTimeoutMessage, type JudgeContext, type Verdict } from './verdict';

/** Global fetch, undici's fetch and node-fetch: a timing-out `signal` (or node-fetch's `timeout`). */
export function judgeFetch(remote: RemoteCall, context: JudgeContext): Verdict | undefined {
  const ms = context.timeoutMs;
  const init = optionsAt(remote.call, 1);
  if (init.kind === 'opaque') return undefined;
  const url = urlArgument(remote);
  const urlText = urlTextOf(url);
  const service = serviceNameOf(url);
  const nodeFetch = remote.client === 'node-fetch';
  const preferred = nodeFetch ? `timeout: ${ms}` : `signal: AbortSignal.timeout(${ms})`;
  const advice = nodeFetch
    ? `Pass \`timeout: ${ms}\` (node-fetch v2) or a \`signal: AbortSignal.timeout(${ms})\`.`
    : `Pass \`signal: AbortSignal.timeout(${ms})\` in its init.`;

  if (init.kind === 'missing') {
    return {
      message: noTimeoutMessage(remote.label, urlText, service, advice),
      fixes: [fix(`Add \`${preferred}\``, [insertArgumentEdit(remote.call, 1, `{ ${preferred} }`)])],
    };
  }
  const literal = init.literal;
  const signal = findProperty(literal, 'signal');
  const signalValue = signal && propertyValue(signal);
  if (signal && !signalValue) return undefined;
  if (signal && signalValue) {
    if (signalAnswer(signalValue) !== 'never') return undefined;
    const original = signalValue.getText();
    const merged = `signal: AbortSignal.any([${original}, AbortSignal.timeout(${ms})])`;
    return {
      message: noTimeoutMessage(remote.label, urlText, service, `Combine it with a deadline: \`AbortSignal.any([${shortText(signalValue, 24)}, AbortSignal.timeout(${ms})])\`.`, 'has a signal that never times out'),
      fixes: [fix('Combine the signal with `AbortSignal.timeout`', [replacePropertyEdit(signal, merged)])],
    };
  }
  const timeout = findProperty(literal, 'timeout');
  const timeoutValue = timeout && propertyValue(timeout);
  if (timeout && timeoutValue) {
    if (nodeFetch) {
      if (numericValue(timeoutValue) !== 0) return undefined;
      return {
        message: noTimeoutMessage(remote.label, urlText, service, `\`timeout: 0\` disables node-fetch's timeout; set \`timeout: ${ms}\`.`),
        fixes: [fix(`Set \`timeout: ${ms}\``, [{ span: { start: timeoutValue.getStart(), end: timeoutValue.end }, newText: String(ms) }])],
      };
    }
    const kept = timeoutValue.getText();
    return {
      message: noTimeoutMessage(
        remote.label,
        urlText,
        service,
        `Its \`timeout\` option only works in Bun — Node's fetch ignores it; use \`signal: AbortSignal.timeout(${shortText(timeoutValue, 16)})\`.`,
      ),
      fixes: [fix(`Replace \`timeout\` with \`signal: AbortSignal.timeout(${shortText(timeoutValue, 16)})\``, [replacePropertyEdit(timeout, `signal: AbortSignal.timeout(${kept})`)])],
    };
  }
  if (hasSpread(literal)) return undefined;
  return {
    message: noTimeoutMessage(remote.label, urlText, service, advice),
    fixes: [fix(`Add \`${preferred}\``, [addPropertyEdit(literal, preferred)])],
  };
}

/** undici `request`/`stream` time out by default (headersTimeout/bodyTimeout 300 s) unless a timeout is set to 0. */
export function judgeUndiciRequest(remote: RemoteCall, context: JudgeContext): Verdict | undefined {
  const options = optionsAt(remote.call, 1);
  if (options.kind !== 'literal') return undefined;
  const signal = findProperty(options.literal, 'signal');
  const signalValue = signal && propertyValue(signal);
  if (signalValue && signalAnswer(signalValue) !== 'never') return undefined;
  const edits: SpanEdit[] = [];
  const disabled: string[] = [];
  for (const name of ['headersTimeout', 'bodyTimeout']) {
    const property = findProperty(options.literal, name);
    const value = property && propertyValue(property);
    if (value && numericValue(value) === 0) {
      disabled.push(name);
      edits.push({ span: { start: value.getStart(), end: value.end }, newText: String(context.timeoutMs) });
    }
  }
  if (disabled.length === 0) return undefined;
  const url = urlArgument(remote);
  return {
    message: noTimeoutMessage(
      remote.label,
      urlTextOf(url),
      serviceNameOf(url),
      `\`${disabled.join('` and `')}: 0\` turns off undici's default limits; set ${disabled.length > 1 ? 'them' : 'it'} to ${context.timeoutMs}.`,
    ),
    fixes: [fix(`Set ${disabled.map((name) => `\`${name}: ${context.timeoutMs}\``).join(' and ')}`, edits)],
  };
}

function fix(title: string, edits: SpanEdit[]): FixReport {
  return { title, isPreferred: true, edits };
}
