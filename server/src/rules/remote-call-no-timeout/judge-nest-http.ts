import { ts } from 'ts-morph';
import { insertAfterEdit } from '../../engine/ast/call-arguments';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { resolveName } from '../../engine/ast/scope';
import type { SpanEdit } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { RXJS_MODULES } from '../remote-calls/client-catalogue';
import { timeoutInConfigs } from '../remote-calls/client-values';
import { urlArgument, urlText as urlTextOf, type RemoteCall } from '../remote-calls/find-remote-calls';
import { nestModuleTimeout } from '../remote-calls/nest-http-modules';
import { serviceNameOf } from '../remote-calls/service-name';
import { noTimeoutMessage, type JudgeContext, type Verdict } from './verdict';

/**
 * NestJS HttpService: bounded by the rxjs `timeout` operator on the returned observable, a
 * `timeout` in the call's config, or the `HttpModule.register({ timeout })` of the module that
 * provides the class.
 */
export function judgeNestHttp(remote: RemoteCall, context: JudgeContext): Verdict | undefined {
  const call = remote.call;
  const configIndex = remote.method === 'request' ? 0 : remote.method === 'post' || remote.method === 'put' || remote.method === 'patch' ? 2 : 1;
  const config = call.arguments[configIndex];
  if (config && timeoutInConfigs([config]) !== 'no') return undefined;
  const pipes = pipeCalls(call);
  const timeoutNames = new Set(context.file.imports.localNamesFor(RXJS_MODULES, 'timeout'));
  if (pipes.some((pipe) => pipe.arguments.some((argument) => isOperatorCall(argument, timeoutNames)))) return undefined;
  const module = nestModuleTimeout(remote.className, context.project);
  if (module.hasTimeout) return undefined;

  const ms = context.timeoutMs;
  const url = urlArgument(remote);
  const where = module.moduleName ? `\`${module.moduleName}\` registers HttpModule without a timeout` : 'No HttpModule registration in the project sets a timeout';
  const message = noTimeoutMessage(
    remote.label,
    urlTextOf(url),
    serviceNameOf(url),
    `${where}; pipe it through rxjs \`timeout(${ms})\` or register \`HttpModule.register({ timeout: ${ms} })\`.`,
  );
  const { name, importEdit } = timeoutOperatorName(context.file, call);
  const edits: SpanEdit[] = [];
  const firstPipe = pipes[0];
  if (firstPipe) {
    const firstArgument = firstPipe.arguments[0];
    edits.push(
      firstArgument
        ? { span: { start: firstArgument.getStart(), end: firstArgument.getStart() }, newText: `${name}(${ms}), ` }
        : { span: { start: firstPipe.arguments.pos, end: firstPipe.arguments.pos }, newText: `${name}(${ms})` },
    );
  } else edits.push(insertAfterEdit(call, `.pipe(${name}(${ms}))`));
  if (importEdit) edits.push(importEdit);
  return { message, fixes: [{ title: `Pipe through rxjs \`timeout(${ms})\``, isPreferred: true, edits }] };
}

/** `.pipe(...)` calls chained directly on the observable the call returns. */
function pipeCalls(call: ts.CallExpression): ts.CallExpression[] {
  const pipes: ts.CallExpression[] = [];
  let current: ts.Expression = call;
  for (;;) {
    const access = current.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== current || access.name.text !== 'pipe') return pipes;
    const next = access.parent;
    if (!next || !ts.isCallExpression(next) || next.expression !== access) return pipes;
    pipes.push(next);
    current = next;
  }
}

function isOperatorCall(argument: ts.Expression, names: ReadonlySet<string>): boolean {
  const node = unwrapExpression(argument);
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && names.has(node.expression.text);
}

/** The local name to use for rxjs `timeout`, and the import edit that brings it in when needed. */
function timeoutOperatorName(file: ParsedFile, at: ts.Node): { name: string; importEdit?: SpanEdit } {
  const existing = file.imports.localNamesFor(RXJS_MODULES, 'timeout')[0];
  if (existing) return { name: existing };
  const clash = resolveName('timeout', at) !== undefined || file.imports.get('timeout') !== undefined;
  const name = clash ? 'rxjsTimeout' : 'timeout';
  const specifier = clash ? 'timeout as rxjsTimeout' : 'timeout';
  const ast = file.ast!;
  for (const statement of ast.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== 'rxjs') continue;
    const named = statement.importClause?.namedBindings;
    if (named && ts.isNamedImports(named) && !statement.importClause?.isTypeOnly) {
      const last = named.elements[named.elements.length - 1];
      if (last) return { name, importEdit: insertAfterEdit(last, `, ${specifier}`) };
    }
  }
  const imports = ast.statements.filter((statement) => ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement));
  const last = imports[imports.length - 1];
  if (last) return { name, importEdit: insertAfterEdit(last, `\nimport { ${specifier} } from 'rxjs';`) };
  return { name, importEdit: { span: { start: 0, end: 0 }, newText: `import { ${specifier} } from 'rxjs';\n` } };
}
