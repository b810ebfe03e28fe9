import { ts } from 'ts-morph';
import { isFunctionLike } from './call-shape';

/** What a name used at some point of a file is bound to, found syntactically (no type checker). */
export type Binding =
  | { kind: 'variable'; declaration: ts.VariableDeclaration }
  | { kind: 'parameter'; declaration: ts.ParameterDeclaration }
  | { kind: 'function'; declaration: ts.FunctionDeclaration }
  | { kind: 'class'; declaration: ts.ClassDeclaration }
  | { kind: 'import'; declaration: ts.Node }
  | { kind: 'other'; declaration: ts.Node };

/**
 * The declaration `name` refers to at `from`: the nearest enclosing block, function parameter
 * list or file that declares it. Imports count as declarations of the file. Hoisting order is
 * ignored: a later `const` in the same block still wins over an outer one, as in JavaScript.
 */
export function resolveName(name: string, from: ts.Node): Binding | undefined {
  for (let scope: ts.Node | undefined = from; scope; scope = scope.parent) {
    const found = declaredIn(scope, name);
    if (found) return found;
  }
  return undefined;
}

function declaredIn(scope: ts.Node, name: string): Binding | undefined {
  if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)) {
    return declaredInStatements(scope.statements, name);
  }
  if (isFunctionLike(scope)) {
    for (const parameter of scope.parameters) {
      if (bindsName(parameter.name, name)) return { kind: 'parameter', declaration: parameter };
    }
    if ((ts.isFunctionExpression(scope) || ts.isFunctionDeclaration(scope)) && scope.name?.text === name) {
      return { kind: 'other', declaration: scope };
    }
    return undefined;
  }
  if ((ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) && scope.initializer && ts.isVariableDeclarationList(scope.initializer)) {
    for (const declaration of scope.initializer.declarations) if (bindsName(declaration.name, name)) return { kind: 'variable', declaration };
    return undefined;
  }
  if (ts.isCatchClause(scope) && scope.variableDeclaration && bindsName(scope.variableDeclaration.name, name)) {
    return { kind: 'other', declaration: scope.variableDeclaration };
  }
  if (ts.isClassExpression(scope) && scope.name?.text === name) return { kind: 'other', declaration: scope };
  return undefined;
}

function declaredInStatements(statements: ts.NodeArray<ts.Statement>, name: string): Binding | undefined {
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (bindsName(declaration.name, name)) return { kind: 'variable', declaration };
    } else if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) {
      return { kind: 'function', declaration: statement };
    } else if (ts.isClassDeclaration(statement) && statement.name?.text === name) {
      return { kind: 'class', declaration: statement };
    } else if (ts.isImportDeclaration(statement) && importBinds(statement, name)) {
      return { kind: 'import', declaration: statement };
    } else if (ts.isImportEqualsDeclaration(statement) && statement.name.text === name) {
      return { kind: 'import', declaration: statement };
    } else if ((ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) && ts.isIdentifier(statement.name) && statement.name.text === name) {
      return { kind: 'other', declaration: statement };
    }
  }
  return undefined;
}

function importBinds(statement: ts.ImportDeclaration, name: string): boolean {
  const clause = statement.importClause;
  if (!clause) return false;
  if (clause.name?.text === name) return true;
  const named = clause.namedBindings;
  if (!named) return false;
  if (ts.isNamespaceImport(named)) return named.name.text === name;
  return named.elements.some((element) => element.name.text === name);
}

function bindsName(pattern: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(pattern)) return pattern.text === name;
  for (const element of pattern.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (bindsName(element.name, name)) return true;
  }
  return false;
}

/** The nearest function (or the file) that contains `node`: the region "the same function" means. */
export function enclosingFunctionOrFile(node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current) || ts.isSourceFile(current)) return current;
  }
  return node.getSourceFile();
}

/** The class a node sits in, for `this.x` lookups. Arrow functions keep `this`; other functions do not. */
export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) return current;
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
  }
  return undefined;
}

/** What a class says about its member `name`: a property initializer, a constructor parameter property, or `this.name = …` assignments. */
export interface ClassMember {
  property?: ts.PropertyDeclaration;
  parameter?: ts.ParameterDeclaration;
  assignments: ts.Expression[];
}

const memberCache = new WeakMap<ts.ClassLikeDeclaration, Map<string, ClassMember | undefined>>();

/** A class member by name, memoised per class node: rules ask about the same `this.x` once per call. */
export function classMember(cls: ts.ClassLikeDeclaration, name: string): ClassMember | undefined {
  let byName = memberCache.get(cls);
  if (!byName) memberCache.set(cls, (byName = new Map()));
  if (byName.has(name)) return byName.get(name);
  const member = findClassMember(cls, name);
  byName.set(name, member);
  return member;
}

function findClassMember(cls: ts.ClassLikeDeclaration, name: string): ClassMember | undefined {
  const member: ClassMember = { assignments: [] };
  let found = false;
  for (const element of cls.members) {
    if (ts.isPropertyDeclaration(element) && element.name && ts.isIdentifier(element.name) && element.name.text === name) {
      member.property = element;
      found = true;
    } else if (ts.isConstructorDeclaration(element)) {
      for (const parameter of element.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.getModifiers(parameter)?.length) {
          member.parameter = parameter;
          found = true;
        }
      }
      if (element.body) collectThisAssignments(element.body, name, member.assignments);
    } else if (ts.isMethodDeclaration(element) && element.body && element.name && ts.isIdentifier(element.name) && /^(onModuleInit|init|setup|configure)$/i.test(element.name.text)) {
      collectThisAssignments(element.body, name, member.assignments);
    }
  }
  if (member.assignments.length > 0) found = true;
  return found ? member : undefined;
}

function collectThisAssignments(body: ts.Node, name: string, into: ts.Expression[]): void {
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      node.left.name.text === name
    ) {
      into.push(node.right);
    }
    if (!isFunctionLike(node) || ts.isArrowFunction(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
}

/** The type name written on a declaration (`http: HttpService` -> 'HttpService'), without generics. */
export function declaredTypeName(declaration: { type?: ts.TypeNode }): string | undefined {
  const type = declaration.type;
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  const name = type.typeName;
  return ts.isIdentifier(name) ? name.text : name.right.text;
}

/** The root name of a qualified type (`grpc.Client` -> 'grpc'), or the name itself. */
export function declaredTypeRoot(declaration: { type?: ts.TypeNode }): string | undefined {
  const type = declaration.type;
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  let name: ts.EntityName = type.typeName;
  while (!ts.isIdentifier(name)) name = name.left;
  return name.text;
}
