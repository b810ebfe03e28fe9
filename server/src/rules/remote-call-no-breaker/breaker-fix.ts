import { ts } from 'ts-morph';
import { outermostChainCall } from '../../engine/ast/call-shape';
import type { FixReport, SpanEdit } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { urlArgument, type RemoteCall } from '../remote-calls/find-remote-calls';
import { camelIdentifier, serviceNameOf } from '../remote-calls/service-name';

const PROMISE_CLIENTS = new Set(['fetch', 'undici-fetch', 'node-fetch', 'undici-request', 'axios', 'got', 'superagent', 'nice-grpc']);
const COCKATIEL_NAMES = ['circuitBreaker', 'ConsecutiveBreaker', 'ExponentialBackoff', 'handleAll', 'retry', 'wrap'];

/**
 * The expression that yields the call's promise, which the fix wraps: the call with its fluent
 * chain (`got(u).json()`), or for HttpService the `firstValueFrom(...)` around it. Callback and
 * observable APIs have none.
 */
export function promiseExpression(remote: RemoteCall): ts.Expression | undefined {
  const chain = outermostChainCall(remote.call);
  if (PROMISE_CLIENTS.has(remote.client)) return chain;
  if (remote.client !== 'nest-http') return undefined;
  const parent = chain.parent;
  if (parent && ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && /^(firstValueFrom|lastValueFrom)$/.test(parent.expression.text)) return parent;
  return undefined;
}

/** Routes the call through a module-level cockatiel policy or opossum breaker, whichever the package depends on. */
export function breakerFix(remote: RemoteCall, file: ParsedFile, library: 'cockatiel' | 'opossum'): FixReport | undefined {
  const target = promiseExpression(remote);
  const ast = file.ast;
  if (!target || !ast) return undefined;
  if (library === 'opossum' && file.language !== 'typescript') return undefined;
  const url = urlArgument(remote);
  const service = serviceNameOf(url, remote.instance?.name) ?? 'remote service';
  const original = target.getText();
  const topLevel = topLevelNames(ast);
  const edits: SpanEdit[] = [];
  let title: string;
  if (library === 'cockatiel') {
    const name = camelIdentifier(service, 'Policy');
    if (!topLevel.has(name)) {
      const { aliases, importText } = cockatielImport(file);
      const a = (n: string): string => aliases.get(n) ?? n;
      const declaration =
        `const ${name} = ${a('wrap')}(\n` +
        `  ${a('retry')}(${a('handleAll')}, { maxAttempts: 3, backoff: new ${a('ExponentialBackoff')}() }),\n` +
        `  ${a('circuitBreaker')}(${a('handleAll')}, { halfOpenAfter: 10_000, breaker: new ${a('ConsecutiveBreaker')}(5) }),\n` +
        `);`;
      edits.push(afterImports(ast, importText, declaration));
    }
    edits.push({ span: { start: target.getStart(ast), end: target.end }, newText: `${name}.execute(() => ${original})` });
    title = `Route \`${remote.label}\` through the cockatiel policy \`${name}\` (retry with backoff + circuit breaker)`;
  } else {
    const breaker = camelIdentifier(service, 'Breaker');
    const helper = `with${breaker[0]!.toUpperCase()}${breaker.slice(1)}`;
    if (!topLevel.has(helper)) {
      const local = file.imports.localNamesFor(['opossum'], 'default')[0] ?? file.imports.localNamesFor(['opossum'], '*')[0];
      const className = local ?? 'CircuitBreaker';
      const importText = local ? '' : `import CircuitBreaker from 'opossum';`;
      const declaration =
        `const ${breaker} = new ${className}((operation: () => Promise<unknown>) => operation(), {\n` +
        `  timeout: 10_000,\n  errorThresholdPercentage: 50,\n  resetTimeout: 30_000,\n});\n` +
        `function ${helper}<T>(operation: () => Promise<T>): Promise<T> {\n` +
        `  return ${breaker}.fire(operation) as Promise<T>;\n}`;
      edits.push(afterImports(ast, importText, declaration));
    }
    edits.push({ span: { start: target.getStart(ast), end: target.end }, newText: `${helper}(() => ${original})` });
    title = `Route \`${remote.label}\` through the opossum circuit breaker \`${breaker}\``;
  }
  return { title, isPreferred: false, edits };
}

function cockatielImport(file: ParsedFile): { aliases: Map<string, string>; importText: string } {
  const aliases = new Map<string, string>();
  const missing: string[] = [];
  for (const name of COCKATIEL_NAMES) {
    const existing = file.imports.localNamesFor(['cockatiel'], name)[0];
    if (existing) {
      aliases.set(name, existing);
      continue;
    }
    const clash = file.imports.get(name) !== undefined;
    const local = clash ? `${name}Policy` : name;
    aliases.set(name, local);
    missing.push(clash ? `${name} as ${local}` : name);
  }
  return { aliases, importText: missing.length > 0 ? `import { ${missing.join(', ')} } from 'cockatiel';` : '' };
}

/** One edit after the last import: the new import line, then the module-level declaration. */
function afterImports(ast: ts.SourceFile, importText: string, declaration: string): SpanEdit {
  const imports = ast.statements.filter((statement) => ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement));
  const last = imports[imports.length - 1];
  if (!last) return { span: { start: 0, end: 0 }, newText: `${importText ? `${importText}\n` : ''}\n${declaration}\n\n` };
  return { span: { start: last.end, end: last.end }, newText: `${importText ? `\n${importText}` : ''}\n\n${declaration}` };
}

function topLevelNames(ast: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of ast.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
    } else if (ts.isFunctionDeclaration(statement) && statement.name) names.add(statement.name.text);
  }
  return names;
}
