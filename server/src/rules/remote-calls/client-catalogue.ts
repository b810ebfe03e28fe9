/**
 * The outbound clients the remote-call rules know, and the calls of each that go over the
 * network. A client is recognised by where it is imported from, never by a method name alone.
 */
export type ClientKind =
  | 'fetch'
  | 'undici-fetch'
  | 'undici-request'
  | 'node-fetch'
  | 'axios'
  | 'got'
  | 'http'
  | 'nest-http'
  | 'request'
  | 'superagent'
  | 'grpc'
  | 'nice-grpc'
  | 'ky';

export const AXIOS_MODULES = ['axios'];
export const GOT_MODULES = ['got'];
export const NODE_FETCH_MODULES = ['node-fetch'];
export const UNDICI_MODULES = ['undici'];
export const HTTP_MODULES = ['http', 'https', 'node:http', 'node:https'];
export const NEST_AXIOS_MODULES = ['@nestjs/axios'];
export const REQUEST_MODULES = ['request', 'request-promise', 'request-promise-native'];
export const SUPERAGENT_MODULES = ['superagent'];
export const GRPC_MODULES = ['@grpc/grpc-js', 'grpc'];
export const NICE_GRPC_MODULES = ['nice-grpc'];
export const KY_MODULES = ['ky', 'ky-universal'];
export const RXJS_MODULES = ['rxjs', 'rxjs/operators'];

/** axios methods whose config is the second argument. */
export const AXIOS_URL_METHODS = new Set(['get', 'delete', 'head', 'options', 'getUri']);
/** axios methods whose config is the third argument, after the body. */
export const AXIOS_DATA_METHODS = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);
export const AXIOS_METHODS = new Set([...AXIOS_URL_METHODS, ...AXIOS_DATA_METHODS, 'request']);
AXIOS_METHODS.delete('getUri');

export const GOT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'stream']);
export const HTTP_METHODS = new Set(['request', 'get']);
export const UNDICI_FUNCTIONS = new Set(['fetch', 'request', 'stream']);
export const NEST_HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'request']);
export const REQUEST_METHODS = new Set(['get', 'post', 'put', 'patch', 'del', 'delete', 'head']);
export const SUPERAGENT_METHODS = new Set(['get', 'post', 'put', 'patch', 'del', 'delete', 'head', 'options']);
export const KY_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head']);

/** Methods of a grpc-js client that are not RPCs. */
export const GRPC_CLIENT_NON_RPC = new Set(['close', 'getChannel', 'waitForReady', 'makeUnaryRequest', 'makeClientStreamRequest', 'makeServerStreamRequest', 'makeBidiStreamRequest', 'constructor', 'toString', 'bind', 'call', 'apply']);

/** Cheap test run before parsing anything: a file mentioning none of these makes no remote call we know. */
export const REMOTE_CALL_TEXT_HINT = /fetch|axios|got|http|request|superagent|grpc|HttpService/;
