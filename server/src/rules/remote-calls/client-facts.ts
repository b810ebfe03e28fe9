import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { findProperty, propertyValue } from '../../engine/ast/object-literal';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { FactExtractor, ProjectView } from '../../engine/workspace/project-view';
import { ClientResolver, tokenKey, type InstanceInfo } from './client-values';
import { scanClientConfig } from './config-scan';

/** What one file tells other files about outbound clients. */
export interface ClientFacts {
  /** Exported axios/got instances by export name ('default' for the default export). */
  exports: Record<string, InstanceInfo>;
  /** NestJS providers `{ provide: TOKEN, useValue | useFactory: axios.create(...) }`. */
  providers: Array<{ token: string; instance: InstanceInfo }>;
  /** `axios.defaults.timeout = n` with n > 0 on the axios default export. */
  axiosDefaultsTimeout: boolean;
  /** `axiosRetry(axios, …)` on the axios default export. */
  axiosRetryGlobal: boolean;
}

export const clientFactsExtractor: FactExtractor<ClientFacts> = {
  id: 'remote-calls/client-facts',
  textHint: /axios|got/,
  extract: extractClientFacts,
};

function extractClientFacts(file: ParsedFile, project: ProjectView): ClientFacts {
  const facts: ClientFacts = { exports: {}, providers: [], axiosDefaultsTimeout: false, axiosRetryGlobal: false };
  const ast = file.ast;
  if (!ast) return facts;
  const resolver = new ClientResolver(file, project, { followImports: false });
  const scan = scanClientConfig(file);
  for (const name of file.imports.localNamesFor(['axios'])) {
    const binding = file.imports.get(name);
    if (binding?.imported !== 'default' && binding?.imported !== '*') continue;
    if (scan.defaultsTimeout.has(name)) facts.axiosDefaultsTimeout = true;
    if (scan.retried.has(name)) facts.axiosRetryGlobal = true;
  }

  const exportedLocals = new Map<string, string>();
  for (const statement of ast.statements) {
    if (ts.isVariableStatement(statement) && hasExportModifier(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) exportedLocals.set(declaration.name.text, declaration.name.text);
      }
    } else if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
      const value = resolver.describe(statement.expression);
      if (value?.role === 'instance') facts.exports['default'] = value.instance;
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) exportedLocals.set(element.name.text, (element.propertyName ?? element.name).text);
    }
  }
  for (const [exported, local] of exportedLocals) {
    const value = describeTopLevel(resolver, ast, local);
    if (value?.role === 'instance') facts.exports[exported] = value.instance;
  }

  if (/\bprovide\b/.test(file.text)) {
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const provider = providerOf(node, resolver);
        if (provider) facts.providers.push(provider);
      }
      ts.forEachChild(node, visit);
    };
    visit(ast);
  }
  return facts;
}

/** Resolves a top-level name of the file (a synthesised identifier has no parent to start from). */
function describeTopLevel(resolver: ClientResolver, ast: ts.SourceFile, name: string) {
  for (const statement of ast.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) {
        return resolver.describeCreation(declaration.initializer, name);
      }
    }
  }
  return undefined;
}

function providerOf(object: ts.ObjectLiteralExpression, resolver: ClientResolver): { token: string; instance: InstanceInfo } | undefined {
  const provide = findProperty(object, 'provide');
  const tokenExpression = provide && propertyValue(provide);
  const token = tokenExpression && tokenKey(tokenExpression);
  if (!token) return undefined;
  const useValue = findProperty(object, 'useValue');
  const useFactory = findProperty(object, 'useFactory');
  let created: ts.Expression | undefined;
  if (useValue) created = propertyValue(useValue);
  else if (useFactory) {
    const factory = propertyValue(useFactory);
    const fn = factory && unwrapExpression(factory);
    if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) created = returnedExpression(fn);
  }
  if (!created) return undefined;
  const value = resolver.describeCreation(created, token);
  return value?.role === 'instance' ? { token, instance: value.instance } : undefined;
}

function returnedExpression(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression | undefined {
  if (!ts.isBlock(fn.body)) return fn.body;
  for (let i = fn.body.statements.length - 1; i >= 0; i--) {
    const statement = fn.body.statements[i]!;
    if (ts.isReturnStatement(statement)) return statement.expression;
  }
  return undefined;
}

function hasExportModifier(statement: ts.VariableStatement): boolean {
  return ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}
