import { ts } from 'ts-morph';

/**
 * A human name for the service a URL expression points at, for messages and generated names:
 * `${USERS_SERVICE_URL}/users` -> 'users', `'http://billing-api:8080/x'` -> 'billing'.
 */
export function serviceNameOf(url: ts.Expression | undefined, instanceName?: string): string | undefined {
  if (instanceName) {
    const base = instanceName.replace(/^this\./, '').replace(/(Http)?(Client|Api|Http|Service|Instance)$/i, '');
    if (base && !/^(http|api|client|axios|got|instance|default)$/i.test(base)) return splitWords(base).join(' ');
  }
  if (!url) return undefined;
  const text = url.getText();
  const constant = /\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*?)_(?:SERVICE_)?(?:BASE_)?(?:URL|URI|HOST|ENDPOINT|API)\b/.exec(text);
  if (constant) return constant[1]!.toLowerCase().replace(/_/g, ' ');
  const camel = /\b([a-z][a-zA-Z0-9]*?)(?:Service)?(?:Base)?(?:Url|Uri|Host|Endpoint)\b/.exec(text);
  if (camel && !/^(base|api|service|target|remote)$/i.test(camel[1]!)) return splitWords(camel[1]!).join(' ');
  const host = /\/\/([a-z][a-z0-9]*)(?:[-.](?:service|svc|api|internal))?[-.:/]/i.exec(text);
  if (host && !/^(localhost|www|api)$/i.test(host[1]!)) return host[1]!.toLowerCase();
  return undefined;
}

function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/** `users service` -> 'usersService'-style identifiers for generated declarations. */
export function camelIdentifier(words: string, suffix: string): string {
  const parts = words.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const head = parts.map((part, index) => (index === 0 ? part.toLowerCase() : part[0]!.toUpperCase() + part.slice(1).toLowerCase())).join('');
  const safe = /^[A-Za-z_]/.test(head) ? head : `remote${head}`;
  return `${safe || 'remote'}${suffix}`;
}
