import { ts } from 'ts-morph';
import { shortText, unwrapExpression } from '../../engine/ast/call-shape';
import { enclosingClass } from '../../engine/ast/scope';
import { collectCalls } from '../../engine/ast/walk';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { ProjectView } from '../../engine/workspace/project-view';
import {
  AXIOS_METHODS,
  GOT_METHODS,
  GRPC_CLIENT_NON_RPC,
  HTTP_METHODS,
  KY_METHODS,
  NEST_HTTP_METHODS,
  REMOTE_CALL_TEXT_HINT,
  REQUEST_METHODS,
  SUPERAGENT_METHODS,
  UNDICI_FUNCTIONS,
  type ClientKind,
} from './client-catalogue';
import { ClientResolver, type InstanceInfo } from './client-values';

/** One outbound call the rules recognised, with what they need to judge and fix it. */
export interface RemoteCall {
  client: ClientKind;
  call: ts.CallExpression;
  /** `axios.get`, `this.http.get`, `fetch`: where the finding is shown. */
  callee: ts.Expression;
  /** The callee as written, shortened, for messages. */
  label: string;
  /** `get`, `post`, … for `client.method(...)`; undefined for a direct call like `axios(config)`. */
  method?: string;
  /** The axios/got instance the call goes through, when it is one. */
  instance?: InstanceInfo;
  /** For NestJS HttpService calls: the class making them. */
  className?: string;
  /** nice-grpc client created with a deadline middleware and a default deadline. */
  deadlineDefaults?: boolean;
}

const callsCache = new WeakMap<ParsedFile, ts.CallExpression[]>();
/** Both remote-call rules ask for the same file in the same revision: classify its calls once. */
const remoteCache = new WeakMap<ParsedFile, { revision: number; calls: RemoteCall[] }>();

/** Every outbound call in the file made through a client the rules can identify. */
export function findRemoteCalls(file: ParsedFile, project: ProjectView, checkpoint: () => void): RemoteCall[] {
  if (!file.ast || !REMOTE_CALL_TEXT_HINT.test(file.text)) return [];
  const cached = remoteCache.get(file);
  if (cached && cached.revision === project.revision) return cached.calls;
  let calls = callsCache.get(file);
  if (!calls) {
    calls = collectCalls(file.ast, checkpoint).calls;
    callsCache.set(file, calls);
  }
  const resolver = new ClientResolver(file, project);
  const found: RemoteCall[] = [];
  let count = 0;
  for (const call of calls) {
    if (++count % 32 === 0) checkpoint();
    const remote = classify(call, resolver);
    if (remote) found.push(remote);
  }
  remoteCache.set(file, { revision: project.revision, calls: found });
  return found;
}

function classify(call: ts.CallExpression, resolver: ClientResolver): RemoteCall | undefined {
  const callee = unwrapExpression(call.expression);
  const label = labelOf(callee);
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const owner = resolver.describe(callee.expression);
    if (!owner) return undefined;
    const base = { call, callee, label, method };
    switch (owner.client) {
      case 'axios':
        if (!AXIOS_METHODS.has(method)) return undefined;
        return owner.role === 'instance' ? { ...base, client: 'axios', instance: owner.instance } : { ...base, client: 'axios' };
      case 'got':
        if (!GOT_METHODS.has(method)) return undefined;
        return owner.role === 'instance' ? { ...base, client: 'got', instance: owner.instance } : { ...base, client: 'got' };
      case 'undici':
        if (owner.role !== 'namespace' || !UNDICI_FUNCTIONS.has(method)) return undefined;
        return { ...base, client: method === 'fetch' ? 'undici-fetch' : 'undici-request' };
      case 'http':
        return owner.role === 'namespace' && HTTP_METHODS.has(method) ? { ...base, client: 'http' } : undefined;
      case 'request':
        return REQUEST_METHODS.has(method) ? { ...base, client: 'request' } : undefined;
      case 'superagent':
        return SUPERAGENT_METHODS.has(method) ? { ...base, client: 'superagent' } : undefined;
      case 'ky':
        return KY_METHODS.has(method) ? { ...base, client: 'ky' } : undefined;
      case 'nest-http':
        return NEST_HTTP_METHODS.has(method) ? { ...base, client: 'nest-http', className: enclosingClass(call)?.name?.text } : undefined;
      case 'grpc':
        return owner.role === 'client' && !GRPC_CLIENT_NON_RPC.has(method) ? { ...base, client: 'grpc' } : undefined;
      case 'nice-grpc':
        return owner.role === 'client' ? { ...base, client: 'nice-grpc', deadlineDefaults: owner.deadlineDefaults } : undefined;
      default:
        return undefined;
    }
  }
  const fn = resolver.describe(callee);
  if (!fn) return undefined;
  const base = { call, callee, label };
  switch (fn.client) {
    case 'axios':
    case 'got':
      return fn.role === 'instance' ? { ...base, client: fn.client, instance: fn.instance } : fn.role === 'root' ? { ...base, client: fn.client } : undefined;
    case 'fetch':
      return { ...base, client: 'fetch' };
    case 'node-fetch':
      return { ...base, client: 'node-fetch' };
    case 'undici':
      if (fn.role !== 'function' || !UNDICI_FUNCTIONS.has(fn.name)) return undefined;
      return { ...base, client: fn.name === 'fetch' ? 'undici-fetch' : 'undici-request' };
    case 'http':
      return fn.role === 'function' && HTTP_METHODS.has(fn.name) ? { ...base, client: 'http' } : undefined;
    case 'request':
      return { ...base, client: 'request' };
    case 'superagent':
      return { ...base, client: 'superagent' };
    case 'ky':
      return { ...base, client: 'ky' };
    default:
      return undefined;
  }
}

function labelOf(callee: ts.Expression): string {
  return shortText(callee, 40);
}

/** The URL argument of a call, for messages: the first argument unless it is a config object. */
export function urlArgument(remote: RemoteCall): ts.Expression | undefined {
  const first = remote.call.arguments[0];
  if (!first) return undefined;
  const node = unwrapExpression(first);
  if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && /^(url|uri|path|hostname|host)$/.test(property.name.text)) return property.initializer;
    }
    return undefined;
  }
  if (remote.client === 'grpc' || remote.client === 'nice-grpc') return undefined;
  return first;
}

/** A URL expression for messages, without its own quotes: `${USERS_URL}/users/${id}`. */
export function urlText(url: ts.Expression | undefined): string | undefined {
  if (!url) return undefined;
  const full = url.getText().replace(/\s+/g, ' ');
  // Quotes come off before shortening, and inner backticks (nested templates) go, so the text
  // sits safely inside the message's own `code` span.
  const unquoted = /^[`'"].*[`'"]$/.test(full) ? full.slice(1, -1) : full;
  const text = unquoted.replace(/`/g, "'");
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
