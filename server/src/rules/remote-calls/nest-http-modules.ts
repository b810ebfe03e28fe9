import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { findProperty, hasSpread, propertyValue } from '../../engine/ast/object-literal';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { FactExtractor, ProjectView } from '../../engine/workspace/project-view';
import { NEST_AXIOS_MODULES } from './client-catalogue';

/** An `HttpModule` a NestJS module imports, and whether its registration sets a timeout. */
export interface HttpModuleUse {
  hasTimeout: boolean;
}

/** A `@Module({...})` class that imports HttpModule, and the classes it provides. */
export interface NestModuleFacts {
  name: string;
  /** Class names listed in `providers` and `controllers`. */
  members: string[];
  httpModules: HttpModuleUse[];
}

export const nestHttpModulesExtractor: FactExtractor<NestModuleFacts[]> = {
  id: 'remote-calls/nest-http-modules',
  textHint: /HttpModule/,
  extract: extractModules,
};

function extractModules(file: ParsedFile, _project: ProjectView): NestModuleFacts[] {
  const modules: NestModuleFacts[] = [];
  const ast = file.ast;
  if (!ast) return modules;
  const httpModuleNames = new Set(file.imports.localNamesFor(NEST_AXIOS_MODULES, 'HttpModule'));
  if (httpModuleNames.size === 0) return modules;
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node)) {
      const metadata = moduleMetadata(node);
      if (metadata) {
        modules.push({
          name: node.name?.text ?? 'default',
          members: [...classNames(metadata, 'providers'), ...classNames(metadata, 'controllers')],
          httpModules: httpModuleUses(metadata, httpModuleNames),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(ast);
  return modules;
}

function moduleMetadata(cls: ts.ClassDeclaration): ts.ObjectLiteralExpression | undefined {
  for (const decorator of ts.getDecorators(cls) ?? []) {
    const expression = decorator.expression;
    if (ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === 'Module') {
      const argument = expression.arguments[0];
      if (argument && ts.isObjectLiteralExpression(argument)) return argument;
    }
  }
  return undefined;
}

function classNames(metadata: ts.ObjectLiteralExpression, key: string): string[] {
  const property = findProperty(metadata, key);
  const value = property && propertyValue(property);
  if (!value || !ts.isArrayLiteralExpression(value)) return [];
  const names: string[] = [];
  for (const element of value.elements) {
    if (ts.isIdentifier(element)) names.push(element.text);
    else if (ts.isObjectLiteralExpression(element)) {
      const useClass = findProperty(element, 'useClass');
      const target = useClass && propertyValue(useClass);
      if (target && ts.isIdentifier(target)) names.push(target.text);
    }
  }
  return names;
}

function httpModuleUses(metadata: ts.ObjectLiteralExpression, names: Set<string>): HttpModuleUse[] {
  const property = findProperty(metadata, 'imports');
  const value = property && propertyValue(property);
  if (!value || !ts.isArrayLiteralExpression(value)) return [];
  const uses: HttpModuleUse[] = [];
  for (const element of value.elements) {
    const node = unwrapExpression(element);
    if (ts.isIdentifier(node) && names.has(node.text)) uses.push({ hasTimeout: false });
    else if (ts.isCallExpression(node)) {
      const callee = unwrapExpression(node.expression);
      if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || !names.has(callee.expression.text)) continue;
      if (callee.name.text === 'register') uses.push({ hasTimeout: configHasTimeout(node.arguments[0]) });
      else if (callee.name.text === 'registerAsync') uses.push({ hasTimeout: asyncConfigHasTimeout(node.arguments[0]) });
    }
  }
  return uses;
}

function configHasTimeout(config: ts.Expression | undefined): boolean {
  if (!config) return false;
  const node = unwrapExpression(config);
  if (!ts.isObjectLiteralExpression(node)) return true; // built elsewhere: assume the author set it
  const timeout = findProperty(node, 'timeout');
  const value = timeout && propertyValue(timeout);
  if (value) return !(ts.isNumericLiteral(value) && Number(value.text) === 0);
  return hasSpread(node);
}

function asyncConfigHasTimeout(options: ts.Expression | undefined): boolean {
  if (!options) return false;
  const node = unwrapExpression(options);
  if (!ts.isObjectLiteralExpression(node)) return true;
  const factory = findProperty(node, 'useFactory');
  const fn = factory && propertyValue(factory);
  if (!fn) return true; // useClass / useExisting: the options come from a class we do not read
  const inner = unwrapExpression(fn);
  if (!ts.isArrowFunction(inner) && !ts.isFunctionExpression(inner)) return true;
  if (!ts.isBlock(inner.body)) return configHasTimeout(inner.body);
  const returns: ts.Expression[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isReturnStatement(child) && child.expression) returns.push(child.expression);
    if (!ts.isFunctionLike(child)) ts.forEachChild(child, visit);
  };
  ts.forEachChild(inner.body, visit);
  return returns.length > 0 && returns.every((expression) => configHasTimeout(expression));
}

/**
 * Whether HttpService calls made from class `className` have a module-level timeout: from the
 * modules that provide the class, or failing that from every HttpModule import in the project.
 */
export function nestModuleTimeout(className: string | undefined, project: ProjectView): { hasTimeout: boolean; moduleName?: string } {
  const all = project.allFacts(nestHttpModulesExtractor).flatMap((entry) => entry.facts);
  const owning = className ? all.filter((module) => module.members.includes(className) && module.httpModules.length > 0) : [];
  const considered = owning.length > 0 ? owning : all.filter((module) => module.httpModules.length > 0);
  if (considered.length === 0) return { hasTimeout: false };
  const hasTimeout = considered.every((module) => module.httpModules.every((use) => use.hasTimeout));
  return { hasTimeout, moduleName: owning[0]?.name };
}
