import { ts } from 'ts-morph';
import { numericValue, unwrapExpression } from '../../engine/ast/call-shape';
import { findProperty, hasSpread, propertyValue } from '../../engine/ast/object-literal';
import { classMember, declaredTypeName, enclosingClass, resolveName } from '../../engine/ast/scope';
import type { Span } from '../../engine/model/location';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { ProjectView } from '../../engine/workspace/project-view';
import {
  AXIOS_MODULES,
  GOT_MODULES,
  GRPC_MODULES,
  HTTP_MODULES,
  KY_MODULES,
  NEST_AXIOS_MODULES,
  NICE_GRPC_MODULES,
  NODE_FETCH_MODULES,
  REQUEST_MODULES,
  SUPERAGENT_MODULES,
  UNDICI_MODULES,
} from './client-catalogue';
import { expressionKey, scanClientConfig } from './config-scan';
import { clientFactsExtractor } from './client-facts';

/** Whether a client instance bounds its calls: a timeout, retries. 'unknown' when the config is not visible. */
export type Answer = 'yes' | 'no' | 'unknown';

/** An axios or got instance and what its creation says. */
export interface InstanceInfo {
  client: 'axios' | 'got';
  /** How the instance is named at its creation (`usersApi`, `this.client`). */
  name: string;
  timeout: Answer;
  retry: Answer;
  /** The `axios.create(...)` / `got.extend(...)` call, when found. */
  creation?: { filePath: string; span: Span };
}

/** What an expression denotes, as far as the remote-call rules care. */
export type ClientValue =
  | { client: 'axios' | 'got' | 'request' | 'superagent' | 'ky' | 'node-fetch' | 'fetch'; role: 'root' }
  | { client: 'axios' | 'got'; role: 'instance'; instance: InstanceInfo }
  | { client: 'undici' | 'http'; role: 'namespace' }
  | { client: 'undici' | 'http'; role: 'function'; name: string }
  | { client: 'nest-http'; role: 'service' }
  | { client: 'grpc'; role: 'namespace' | 'package' | 'constructor' | 'client' }
  | { client: 'nice-grpc'; role: 'namespace' | 'client'; deadlineDefaults: boolean }
  | { client: 'nice-grpc'; role: 'factory'; deadlineMiddleware: boolean };

export interface ResolverOptions {
  /** Follow imports of project files through their facts (off while extracting those facts). */
  followImports: boolean;
}

/**
 * Works out which client an expression is, by syntax: imports, variable initialisers, class
 * members and constructor parameters. Memoised per declaration for the life of one rule run.
 */
export class ClientResolver {
  private readonly memo = new Map<ts.Node, ClientValue | null>();

  constructor(
    readonly file: ParsedFile,
    readonly project: ProjectView,
    private readonly options: ResolverOptions = { followImports: true },
  ) {}

  describe(expression: ts.Expression): ClientValue | undefined {
    const node = unwrapExpression(expression);
    if (ts.isIdentifier(node)) return this.describeIdentifier(node);
    if (ts.isPropertyAccessExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ThisKeyword) return this.describeThisMember(node);
      const owner = this.describe(node.expression);
      if (!owner) return undefined;
      return memberOf(owner, node.name.text);
    }
    if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
      const owner = this.describe(node.expression);
      return owner && memberOf(owner, node.argumentExpression.text);
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) return this.describeCreation(node, expressionKey(node));
    return undefined;
  }

  private describeIdentifier(identifier: ts.Identifier): ClientValue | undefined {
    const name = identifier.text;
    const binding = resolveName(name, identifier);
    if (!binding) return name === 'fetch' ? { client: 'fetch', role: 'root' } : undefined;
    // Names bound by one import statement share its declaration node; key them by their own binding.
    const declaration = binding.kind === 'import' ? (this.file.imports.get(name)?.node ?? binding.declaration) : binding.declaration;
    if (this.memo.has(declaration)) return this.memo.get(declaration) ?? undefined;
    this.memo.set(declaration, null);
    let value: ClientValue | undefined;
    if (binding.kind === 'import' || (binding.kind === 'variable' && this.file.imports.get(name)?.node === binding.declaration)) {
      value = this.describeImport(name);
    } else if (binding.kind === 'variable') {
      const init = binding.declaration.initializer;
      if (init && ts.isIdentifier(binding.declaration.name)) value = this.describeCreation(init, name);
    } else if (binding.kind === 'parameter') {
      value = this.describeParameter(binding.declaration);
    }
    this.memo.set(declaration, value ?? null);
    return value;
  }

  private describeImport(localName: string): ClientValue | undefined {
    const imported = this.file.imports.get(localName);
    if (!imported) return undefined;
    const value = describeModuleBinding(imported.module, imported.imported);
    if (value) return value;
    if (!this.options.followImports || !imported.module.startsWith('.')) return undefined;
    const target = this.project.resolveImport(this.file.filePath, imported.module);
    if (!target) return undefined;
    const facts = this.project.factsOf(clientFactsExtractor, target);
    const exported = facts?.exports[imported.imported];
    return exported ? { client: exported.client, role: 'instance', instance: exported } : undefined;
  }

  private describeThisMember(access: ts.PropertyAccessExpression): ClientValue | undefined {
    const cls = enclosingClass(access);
    if (!cls) return undefined;
    const member = classMember(cls, access.name.text);
    if (!member) return undefined;
    const key = member.property ?? member.parameter ?? member.assignments[0];
    if (!key) return undefined;
    if (this.memo.has(key)) return this.memo.get(key) ?? undefined;
    this.memo.set(key, null);
    const name = `this.${access.name.text}`;
    let value: ClientValue | undefined;
    if (member.property?.initializer) value = this.describeCreation(member.property.initializer, name);
    else if (member.assignments[0]) value = this.describeCreation(member.assignments[0], name);
    else if (member.parameter) value = this.describeParameter(member.parameter);
    else if (member.property) value = this.describeTyped(member.property);
    this.memo.set(key, value ?? null);
    return value;
  }

  private describeParameter(parameter: ts.ParameterDeclaration): ClientValue | undefined {
    const typed = this.describeTyped(parameter);
    if (!typed || typed.client !== 'axios' || typed.role !== 'root') return typed;
    // An injected AxiosInstance: its creation is the provider registered for the @Inject token.
    const token = injectToken(parameter);
    if (!token || !this.options.followImports) return undefined;
    for (const { facts } of this.project.allFacts(clientFactsExtractor)) {
      const provider = facts.providers.find((candidate) => candidate.token === token);
      if (provider) return { client: provider.instance.client, role: 'instance', instance: provider.instance };
    }
    return undefined;
  }

  /** A declaration known by its type only: `HttpService`, `AxiosInstance` (the caller decides what the latter means). */
  private describeTyped(declaration: ts.ParameterDeclaration | ts.PropertyDeclaration): ClientValue | undefined {
    const typeName = declaredTypeName(declaration);
    if (!typeName) return undefined;
    const imported = this.file.imports.get(typeName);
    if (typeName === 'HttpService' && imported && NEST_AXIOS_MODULES.includes(imported.module)) return { client: 'nest-http', role: 'service' };
    if (typeName === 'AxiosInstance' && imported && AXIOS_MODULES.includes(imported.module)) return { client: 'axios', role: 'root' };
    return undefined;
  }

  /** What a creating expression yields: `axios.create(...)`, `got.extend(...)`, `new Client(...)`, `createClient(...)`. */
  describeCreation(expression: ts.Expression, boundName: string): ClientValue | undefined {
    const node = unwrapExpression(expression);
    if (ts.isAwaitExpression(node)) return undefined;
    if (ts.isNewExpression(node)) {
      const constructor = this.describe(node.expression);
      if (constructor?.client === 'grpc' && (constructor.role === 'package' || constructor.role === 'constructor')) return { client: 'grpc', role: 'client' };
      return undefined;
    }
    if (!ts.isCallExpression(node)) return ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ? this.describe(node) : undefined;
    const callee = unwrapExpression(node.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const owner = this.describe(callee.expression);
      const method = callee.name.text;
      if (!owner) return undefined;
      if (owner.client === 'axios' && owner.role === 'root' && method === 'create') {
        return { client: 'axios', role: 'instance', instance: this.instanceOf('axios', node, boundName, undefined) };
      }
      if (owner.client === 'got' && method === 'extend') {
        const parent = owner.role === 'instance' ? owner.instance : undefined;
        return { client: 'got', role: 'instance', instance: this.instanceOf('got', node, boundName, parent) };
      }
      if (owner.client === 'nice-grpc' && owner.role === 'factory' && method === 'use') {
        return { client: 'nice-grpc', role: 'factory', deadlineMiddleware: owner.deadlineMiddleware || isDeadlineMiddleware(node.arguments[0]) };
      }
      if (owner.client === 'nice-grpc' && owner.role === 'factory' && method === 'create') {
        return { client: 'nice-grpc', role: 'client', deadlineDefaults: owner.deadlineMiddleware && hasDefaultDeadline(node.arguments[2]) };
      }
      if (owner.client === 'grpc' && owner.role === 'namespace' && method === 'loadPackageDefinition') return { client: 'grpc', role: 'package' };
      if (owner.client === 'grpc' && owner.role === 'namespace' && method === 'makeGenericClientConstructor') return { client: 'grpc', role: 'constructor' };
      return undefined;
    }
    const fn = this.describe(callee);
    if (fn?.client === 'grpc' && fn.role === 'namespace') return undefined;
    if (fn?.client === 'nice-grpc' && fn.role === 'client') return undefined;
    if (ts.isIdentifier(callee)) {
      const imported = this.file.imports.get(callee.text);
      if (imported && GRPC_MODULES.includes(imported.module)) {
        if (imported.imported === 'loadPackageDefinition') return { client: 'grpc', role: 'package' };
        if (imported.imported === 'makeGenericClientConstructor') return { client: 'grpc', role: 'constructor' };
      }
      if (imported && NICE_GRPC_MODULES.includes(imported.module)) {
        // Without the deadline middleware a `deadline` default is not applied, so only `signal`-free defaults matter here.
        if (imported.imported === 'createClient') return { client: 'nice-grpc', role: 'client', deadlineDefaults: false };
        if (imported.imported === 'createClientFactory') return { client: 'nice-grpc', role: 'factory', deadlineMiddleware: false };
      }
    }
    return undefined;
  }

  private instanceOf(client: 'axios' | 'got', creation: ts.CallExpression, name: string, parent: InstanceInfo | undefined): InstanceInfo {
    const scan = scanClientConfig(this.file);
    const configs = client === 'axios' ? creation.arguments.slice(0, 1) : creation.arguments;
    let timeout = timeoutInConfigs(configs);
    if (timeout === 'no' && parent) timeout = parent.timeout;
    if (scan.defaultsTimeout.has(name)) timeout = 'yes';
    let retry: Answer;
    if (client === 'axios') retry = scan.retried.has(name) ? 'yes' : 'no';
    else {
      const own = gotRetryInConfigs(configs);
      retry = own === 'default' ? (parent?.retry ?? 'yes') : own;
    }
    const source = creation.getSourceFile();
    return { client, name, timeout, retry, creation: { filePath: this.file.filePath, span: { start: creation.getStart(source), end: creation.end } } };
  }
}

/** What importing `imported` from `module` gives, for the client packages. */
export function describeModuleBinding(module: string, imported: string): ClientValue | undefined {
  const whole = imported === 'default' || imported === '*';
  if (AXIOS_MODULES.includes(module)) return whole || imported === 'axios' ? { client: 'axios', role: 'root' } : undefined;
  if (GOT_MODULES.includes(module)) return whole || imported === 'got' ? { client: 'got', role: 'root' } : undefined;
  if (NODE_FETCH_MODULES.includes(module)) return whole ? { client: 'node-fetch', role: 'root' } : undefined;
  if (KY_MODULES.includes(module)) return whole ? { client: 'ky', role: 'root' } : undefined;
  if (REQUEST_MODULES.includes(module)) return whole ? { client: 'request', role: 'root' } : undefined;
  if (SUPERAGENT_MODULES.includes(module)) return whole || imported === 'request' ? { client: 'superagent', role: 'root' } : undefined;
  if (UNDICI_MODULES.includes(module)) return whole ? { client: 'undici', role: 'namespace' } : { client: 'undici', role: 'function', name: imported };
  if (HTTP_MODULES.includes(module)) return whole ? { client: 'http', role: 'namespace' } : { client: 'http', role: 'function', name: imported };
  if (GRPC_MODULES.includes(module)) return whole ? { client: 'grpc', role: 'namespace' } : undefined;
  if (/_grpc_pb(\.js)?$/.test(module)) return { client: 'grpc', role: 'package' };
  if (NICE_GRPC_MODULES.includes(module)) return whole ? { client: 'nice-grpc', role: 'namespace', deadlineDefaults: false } : undefined;
  return undefined;
}

function memberOf(owner: ClientValue, member: string): ClientValue | undefined {
  if ((owner.client === 'undici' || owner.client === 'http') && owner.role === 'namespace') return { client: owner.client, role: 'function', name: member };
  if (owner.client === 'grpc' && owner.role === 'package') return owner;
  if (owner.client === 'grpc' && owner.role === 'namespace') return undefined;
  if ((owner.client === 'axios' || owner.client === 'got' || owner.client === 'request' || owner.client === 'superagent') && owner.role === 'root' && member === 'default') return owner;
  return undefined;
}

/** `timeout` among call or creation configs: 'yes' when set to something other than 0, 'unknown' when a config is opaque. */
export function timeoutInConfigs(configs: readonly ts.Expression[]): Answer {
  let opaque = false;
  for (const config of configs) {
    const answer = timeoutInConfig(config);
    if (answer === 'yes') return 'yes';
    if (answer === 'unknown') opaque = true;
  }
  return opaque ? 'unknown' : 'no';
}

function timeoutInConfig(config: ts.Expression): Answer {
  const node = unwrapExpression(config);
  if (ts.isIdentifier(node) && node.text === 'undefined') return 'no';
  if (node.kind === ts.SyntaxKind.NullKeyword) return 'no';
  // `hasHeaders ? { headers } : undefined`: bounded only if every branch is.
  if (ts.isConditionalExpression(node)) {
    const answers = [timeoutInConfig(node.whenTrue), timeoutInConfig(node.whenFalse)];
    if (answers.includes('unknown')) return 'unknown';
    return answers.every((answer) => answer === 'yes') ? 'yes' : 'no';
  }
  if (ts.isIdentifier(node)) {
    const literal = literalOf(node);
    return literal ? timeoutInConfig(literal) : 'unknown';
  }
  if (!ts.isObjectLiteralExpression(node)) return 'unknown';
  const property = findProperty(node, 'timeout');
  const value = property && propertyValue(property);
  if (value) {
    const number = numericValue(value);
    if (number === 0) return 'no';
    return 'yes';
  }
  return hasSpread(node) ? 'unknown' : 'no';
}

/** got's `retry` option: 'no' for `retry: { limit: 0 }` or `retry: 0`, 'default' when absent. */
function gotRetryInConfigs(configs: readonly ts.Expression[]): Answer | 'default' {
  for (const config of configs) {
    const node = unwrapExpression(config);
    if (!ts.isObjectLiteralExpression(node)) continue;
    const property = findProperty(node, 'retry');
    const value = property && propertyValue(property);
    if (!value) continue;
    const inner = unwrapExpression(value);
    if (numericValue(inner) === 0) return 'no';
    if (ts.isObjectLiteralExpression(inner)) {
      const limit = findProperty(inner, 'limit');
      const limitValue = limit && propertyValue(limit);
      if (limitValue && numericValue(limitValue) === 0) return 'no';
    }
    return 'yes';
  }
  return 'default';
}

/** The object literal a `const x = { … }` in scope holds, if that is what `identifier` names. */
export function literalOf(identifier: ts.Identifier): ts.ObjectLiteralExpression | undefined {
  const binding = resolveName(identifier.text, identifier);
  if (binding?.kind !== 'variable' || !binding.declaration.initializer) return undefined;
  const init = unwrapExpression(binding.declaration.initializer);
  return ts.isObjectLiteralExpression(init) ? init : undefined;
}

function injectToken(parameter: ts.ParameterDeclaration): string | undefined {
  for (const modifier of ts.getDecorators(parameter) ?? []) {
    const expression = modifier.expression;
    if (!ts.isCallExpression(expression) || !ts.isIdentifier(expression.expression) || expression.expression.text !== 'Inject') continue;
    const token = expression.arguments[0];
    if (token) return tokenKey(token);
  }
  return undefined;
}

/** A provider token as text: an identifier's name or a string's content. */
export function tokenKey(token: ts.Expression): string | undefined {
  const node = unwrapExpression(token);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isStringLiteralLike(node)) return `'${node.text}'`;
  return undefined;
}

function isDeadlineMiddleware(argument: ts.Expression | undefined): boolean {
  return !!argument && /deadline/i.test(argument.getText());
}

function hasDefaultDeadline(argument: ts.Expression | undefined): boolean {
  if (!argument) return false;
  const node = unwrapExpression(argument);
  if (!ts.isObjectLiteralExpression(node)) return false;
  return node.properties.some((property) => {
    const value = propertyValue(property);
    const inner = value && unwrapExpression(value);
    return !!inner && ts.isObjectLiteralExpression(inner) && !!findProperty(inner, 'deadline');
  });
}
