import * as path from 'node:path';
import { ts } from 'ts-morph';
import { insertArgumentEdit, isCallbackArgument } from '../../engine/ast/call-arguments';
import { chainedMethodNames, numericValue, unwrapExpression } from '../../engine/ast/call-shape';
import { addPropertyEdit, findProperty, propertyValue } from '../../engine/ast/object-literal';
import { enclosingFunctionOrFile } from '../../engine/ast/scope';
import type { FileChange } from '../../engine/model/finding';
import type { FixReport, SpanEdit } from '../../engine/model/rule';
import { AXIOS_DATA_METHODS } from '../remote-calls/client-catalogue';
import { clientFactsExtractor } from '../remote-calls/client-facts';
import { timeoutInConfigs, type InstanceInfo } from '../remote-calls/client-values';
import { urlArgument, urlText as urlTextOf, type RemoteCall } from '../remote-calls/find-remote-calls';
import { serviceNameOf } from '../remote-calls/service-name';
import { looksLikeOptions, optionsAt } from './init-object';
import { signalAnswer } from './signal-timeout';
import { noTimeoutMessage, type JudgeContext, type Verdict } from './verdict';

/** Where a call's config object goes: axios(url, config), axios.post(url, data, config), got(url, options)… */
function configIndex(remote: RemoteCall): number {
  const call = remote.call;
  const method = remote.method;
  if (remote.client === 'http' || remote.client === 'request') return looksLikeOptions(call.arguments[0]) ? 0 : 1;
  if (method === undefined) return looksLikeOptions(call.arguments[0]) ? 0 : 1;
  if (method === 'request') return 0;
  if (remote.client === 'axios' && AXIOS_DATA_METHODS.has(method)) return 2;
  return 1;
}

/** axios, got, Node http(s) and request: a `timeout` option (or an instance that has one). */
export function judgeConfigured(remote: RemoteCall, context: JudgeContext): Verdict | undefined {
  const index = configIndex(remote);
  const config = remote.call.arguments[index];
  const inCall = config && !isCallbackArgument(config) ? timeoutInConfigs([config]) : 'no';
  if (inCall !== 'no') return undefined;
  if (remote.client === 'axios' && !remote.instance && context.project.allFacts(clientFactsExtractor).some((entry) => entry.facts.axiosDefaultsTimeout)) return undefined;
  if (remote.client === 'http' && (httpTimeoutElsewhere(remote) || signalInOptions(remote, index))) return undefined;
  const instance = remote.instance;
  if (instance && instance.timeout !== 'no') return undefined;
  if (remote.client === 'axios' && instance && globalAxiosTimeout(context)) return undefined;

  const ms = context.timeoutMs;
  const property = remote.client === 'got' ? `timeout: { request: ${ms} }` : `timeout: ${ms}`;
  const url = urlArgument(remote);
  const urlText = urlTextOf(url);
  const service = serviceNameOf(url, instance?.name);
  const callFix = configFix(remote, index, property, context);
  if (instance?.creation) {
    const creationFix = instanceFix(instance, property, context);
    const where = instance.creation.filePath === context.file.filePath ? '' : ` in ${path.basename(instance.creation.filePath)}`;
    const creator = instance.client === 'axios' ? 'axios.create' : 'got.extend';
    const message = noTimeoutMessage(
      remote.label,
      urlText,
      service,
      `\`${instance.name}\` is created by \`${creator}(...)\`${where} without a timeout; add \`${property}\` there or to this call's config.`,
    );
    const related = relatedCreation(instance, context);
    return { message, fixes: [creationFix, callFix].filter((fix): fix is FixReport => fix !== undefined).map((fix, i) => ({ ...fix, isPreferred: i === 0 && fix.isPreferred })), related };
  }
  const advice = adviceFor(remote, property);
  return { message: noTimeoutMessage(remote.label, urlText, service, advice), fixes: callFix ? [callFix] : [] };
}

function adviceFor(remote: RemoteCall, property: string): string {
  switch (remote.client) {
    case 'axios':
      return `Add \`${property}\` to its config or use an instance created with \`axios.create({ timeout })\`.`;
    case 'got':
      return `Add \`${property}\` to its options (got has no timeout by default).`;
    case 'http':
      return `Add \`${property}\` to its options or call \`.setTimeout(ms)\` on the request.`;
    default:
      return `Add \`${property}\` to its options.`;
  }
}

function configFix(remote: RemoteCall, index: number, property: string, context: JudgeContext): FixReport | undefined {
  const args = remote.call.arguments;
  const title = `Add \`${property}\` to this call`;
  // http.get(url, cb) and request(url, cb): the options go before the callback.
  if ((remote.client === 'http' || remote.client === 'request') && index < args.length && isCallbackArgument(args[index])) {
    return { title, isPreferred: true, edits: [insertArgumentEdit(remote.call, index, `{ ${property} }`)] };
  }
  const options = optionsAt(remote.call, index);
  if (options.kind === 'opaque') return undefined;
  if (options.kind === 'literal') {
    const existing = findProperty(options.literal, 'timeout');
    const value = existing && propertyValue(existing);
    if (value && numericValue(value) === 0) {
      const newValue = remote.client === 'got' ? `{ request: ${context.timeoutMs} }` : String(context.timeoutMs);
      return { title: `Set \`${property}\``, isPreferred: true, edits: [{ span: { start: value.getStart(), end: value.end }, newText: newValue }] };
    }
    return { title, isPreferred: true, edits: [addPropertyEdit(options.literal, property)] };
  }
  if (index < args.length) return undefined;
  return { title, isPreferred: true, edits: [insertArgumentEdit(remote.call, index, `{ ${property} }`)] };
}

/** Edits the `axios.create(...)` / `got.extend(...)` call, in this file or the one that creates the instance. */
function instanceFix(instance: InstanceInfo, property: string, context: JudgeContext): FixReport | undefined {
  const creation = instance.creation;
  if (!creation) return undefined;
  const sameFile = creation.filePath === context.file.filePath;
  const file = sameFile ? context.file : context.project.file(creation.filePath);
  const call = file?.ast && callAt(file.ast, creation.span.start, creation.span.end);
  if (!file || !call) return undefined;
  const first = call.arguments[0];
  let edit: SpanEdit | undefined;
  if (!first) edit = insertArgumentEdit(call, 0, `{ ${property} }`);
  else {
    const literal = unwrapExpression(first);
    if (!ts.isObjectLiteralExpression(literal)) return undefined;
    const existing = findProperty(literal, 'timeout');
    const value = existing && propertyValue(existing);
    if (value) edit = { span: { start: value.getStart(), end: value.end }, newText: instance.client === 'got' ? `{ request: ${context.timeoutMs} }` : String(context.timeoutMs) };
    else edit = addPropertyEdit(literal, property);
  }
  const creator = instance.client === 'axios' ? 'axios.create' : 'got.extend';
  const title = `Add \`${property}\` to the \`${creator}\` of \`${instance.name}\``;
  if (sameFile) return { title, isPreferred: true, edits: [edit] };
  const change: FileChange = { kind: 'edit', filePath: file.filePath, edits: [{ range: file.lineMap.rangeOf(edit.span), newText: edit.newText }] };
  return { title, isPreferred: true, edits: [], otherChanges: [change] };
}

function relatedCreation(instance: InstanceInfo, context: JudgeContext): Verdict['related'] {
  const creation = instance.creation;
  if (!creation) return undefined;
  const message = `\`${instance.name}\` is created here without a timeout`;
  if (creation.filePath === context.file.filePath) return [{ span: creation.span, message }];
  const file = context.project.file(creation.filePath);
  return file ? [{ filePath: file.filePath, range: file.lineMap.rangeOf(creation.span), message }] : undefined;
}

function callAt(root: ts.Node, start: number, end: number): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.end < start || node.pos > end) return;
    if (ts.isCallExpression(node) && node.getStart() === start && node.end === end) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

function globalAxiosTimeout(context: JudgeContext): boolean {
  return context.project.allFacts(clientFactsExtractor).some((entry) => entry.facts.axiosDefaultsTimeout);
}

/** `http.get(...).setTimeout(ms)` chained, or `const req = http.request(...)` followed by `req.setTimeout(...)`. */
function httpTimeoutElsewhere(remote: RemoteCall): boolean {
  if (chainedMethodNames(remote.call).includes('setTimeout')) return true;
  const parent = remote.call.parent;
  if (!parent || !ts.isVariableDeclaration(parent) || !ts.isIdentifier(parent.name)) return false;
  const name = parent.name.text;
  const pattern = new RegExp(`\\b${name}\\s*\\.\\s*setTimeout\\s*\\(`);
  return pattern.test(enclosingFunctionOrFile(remote.call).getText());
}

function signalInOptions(remote: RemoteCall, index: number): boolean {
  const options = optionsAt(remote.call, index);
  if (options.kind !== 'literal') return false;
  const signal = findProperty(options.literal, 'signal');
  const value = signal && propertyValue(signal);
  return !!value && signalAnswer(value) !== 'never';
}
