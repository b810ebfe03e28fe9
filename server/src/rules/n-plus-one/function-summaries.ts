import { ts } from 'ts-morph';
import { isFunctionLike, unwrapExpression } from '../../engine/ast/call-shape';
import { classMember, enclosingClass, resolveName } from '../../engine/ast/scope';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { FactExtractor, ProjectView } from '../../engine/workspace/project-view';
import { HandleResolver } from './handles';
import { recogniseDbCall } from './recognise-calls';

/** A query a function runs, where it is, for the related location. */
export interface QuerySite {
  start: number;
  end: number;
  callee: string;
  access: 'read' | 'write';
  /** A Knex / Drizzle builder the function returns unsent: it runs only where the caller awaits it. */
  returnsBuilder?: boolean;
}

/** A call a function makes that may lead to a query in the project's own code. */
export type CallRef =
  | { kind: 'this'; method: string }
  | { kind: 'member'; typeName: string; typeModule?: string; method: string }
  | { kind: 'function'; name: string; module?: string };

export interface FunctionSummary {
  /** The first query on the function's main path, if it runs one itself. */
  query?: QuerySite;
  /** Project calls on its main path, followed when it runs no query itself. */
  calls: CallRef[];
}

export interface FileSummaries {
  /** `Class.method` or a function's name. */
  functions: Record<string, FunctionSummary>;
  /** `export * from './x'` and `export { A } from './x'` specifiers, for barrel files. */
  reexports: string[];
}

/**
 * Per-function summaries of one file: does it query on its main path, and which project
 * functions does it call there. Cached per file version by the project index, so an edit
 * re-summarises only the edited file, and a call chain is re-walked from cached summaries.
 */
export const functionSummaries: FactExtractor<FileSummaries> = {
  id: 'n-plus-one/function-summaries',
  extract(file: ParsedFile, project: ProjectView): FileSummaries {
    const summaries: FileSummaries = { functions: {}, reexports: [] };
    const ast = file.ast;
    if (!ast) return summaries;
    const handles = new HandleResolver(file, project);
    for (const statement of ast.statements) {
      if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) summaries.reexports.push(statement.moduleSpecifier.text);
      if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
        summaries.functions[statement.name.text] = summarise(statement.body, handles, file);
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          const init = declaration.initializer && unwrapExpression(declaration.initializer);
          if (ts.isIdentifier(declaration.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
            summaries.functions[declaration.name.text] = summarise(init.body, handles, file);
          }
        }
      } else if (ts.isClassDeclaration(statement) && statement.name) {
        for (const member of statement.members) {
          if ((ts.isMethodDeclaration(member) || ts.isGetAccessorDeclaration(member)) && member.body && ts.isIdentifier(member.name)) {
            summaries.functions[`${statement.name.text}.${member.name.text}`] = summarise(member.body, handles, file);
          }
        }
      }
    }
    return summaries;
  },
};

function summarise(body: ts.Node, handles: HandleResolver, file: ParsedFile): FunctionSummary {
  const summary: FunctionSummary = { calls: [] };
  visitMainPath(body, (node) => {
    if (summary.query) return;
    const db = recogniseDbCall(node, handles);
    if (db) {
      const returned = !!db.whole && (db.orm === 'knex' || db.orm === 'drizzle') && !isAwaited(db.whole);
      summary.query = { start: db.reportFrom.getStart(file.ast), end: db.callee.end, callee: db.display, access: db.access, ...(returned ? { returnsBuilder: true } : {}) };
      return;
    }
    if (ts.isCallExpression(node)) {
      const ref = callRefOf(node, file);
      if (ref) summary.calls.push(ref);
    }
  });
  return summary;
}

function isAwaited(node: ts.Node): boolean {
  let current = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent))) current = current.parent;
  return !!current.parent && ts.isAwaitExpression(current.parent);
}

/**
 * Calls on the path every run takes: not in a branch, a catch, a loop body (a loop in the
 * helper is its own finding) or a nested function. Conditions themselves always run.
 */
function visitMainPath(node: ts.Node, visit: (call: ts.CallExpression | ts.TaggedTemplateExpression) => void): void {
  const step = (current: ts.Node): void => {
    if (isFunctionLike(current) || ts.isClassLike(current)) return;
    if (ts.isIfStatement(current)) return step(current.expression);
    if (ts.isConditionalExpression(current)) return step(current.condition);
    if (ts.isSwitchStatement(current)) return step(current.expression);
    if (ts.isBinaryExpression(current) && /^(AmpersandAmpersandToken|BarBarToken|QuestionQuestionToken)$/.test(ts.SyntaxKind[current.operatorToken.kind] ?? '')) return step(current.left);
    if (ts.isTryStatement(current)) {
      step(current.tryBlock);
      if (current.finallyBlock) step(current.finallyBlock);
      return;
    }
    if (ts.isForOfStatement(current) || ts.isForInStatement(current)) return step(current.expression);
    if (ts.isForStatement(current) || ts.isWhileStatement(current) || ts.isDoStatement(current)) return;
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && /^(then|catch|finally)$/.test(current.expression.name.text)) {
      return step(current.expression.expression);
    }
    ts.forEachChild(current, step);
    if (ts.isCallExpression(current) || ts.isTaggedTemplateExpression(current)) visit(current);
  };
  step(node);
}

/** What a call refers to, in terms another file can resolve: `this.m()`, `this.svc.m()`, `helper()`. */
export function callRefOf(call: ts.CallExpression, file: ParsedFile): CallRef | undefined {
  const callee = unwrapExpression(call.expression);
  if (ts.isIdentifier(callee)) {
    const binding = file.imports.get(callee.text);
    if (binding) return binding.imported === '*' || binding.imported === 'default' ? undefined : { kind: 'function', name: binding.imported, module: binding.module };
    return { kind: 'function', name: callee.text };
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const receiver = unwrapExpression(callee.expression);
  if (receiver.kind === ts.SyntaxKind.ThisKeyword) return { kind: 'this', method };
  let declaration: { type?: ts.TypeNode } | undefined;
  if (ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = enclosingClass(call);
    const member = cls && classMember(cls, receiver.name.text);
    declaration = member?.parameter ?? member?.property;
  } else if (ts.isIdentifier(receiver)) {
    // A parameter or variable typed with a project class: `repository: PricingRepository`.
    const binding = resolveName(receiver.text, receiver);
    if (binding?.kind === 'parameter' || binding?.kind === 'variable') declaration = binding.declaration;
  }
  if (declaration) {
    const type = declaration.type;
    if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
    const typeName = type.typeName.text;
    const binding = file.imports.get(typeName);
    if (binding && binding.imported === '*') return undefined;
    return { kind: 'member', typeName: binding?.imported ?? typeName, typeModule: binding?.module, method };
  }
  return undefined;
}

export function calleeText(callee: ts.Expression): string {
  return callee.getText().replace(/\s+/g, '');
}
