import type { ActivationContext } from '../../engine/model/rule';
import type { ClientKind } from './client-catalogue';
import { findRemoteCalls } from './find-remote-calls';

const CLIENT_NAMES: Record<ClientKind, string> = {
  fetch: 'fetch',
  'undici-fetch': 'undici',
  'undici-request': 'undici',
  'node-fetch': 'node-fetch',
  axios: 'axios',
  got: 'got',
  http: 'node:http',
  'nest-http': 'NestJS HttpService',
  request: 'request',
  superagent: 'superagent',
  grpc: 'gRPC',
  'nice-grpc': 'nice-grpc',
  ky: 'ky',
};

/**
 * Why the remote-call rules watch a file: the outbound clients `findRemoteCalls` recognises in it
 * (the very calls the rules judge), e.g. "outbound HTTP client (axios, fetch)".
 */
export function remoteCallActivation(context: ActivationContext, applies: (context: ActivationContext) => boolean): string | undefined {
  if (!applies(context)) return undefined;
  const calls = findRemoteCalls(context.file, context.project, () => {});
  if (calls.length === 0) return undefined;
  const clients = [...new Set(calls.map((call) => CLIENT_NAMES[call.client]))].sort();
  const grpcOnly = calls.every((call) => call.client === 'grpc' || call.client === 'nice-grpc');
  return `${grpcOnly ? 'outbound gRPC client' : 'outbound HTTP client'} (${clients.join(', ')})`;
}
