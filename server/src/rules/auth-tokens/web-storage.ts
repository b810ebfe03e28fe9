import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { classMember, declaredTypeName, enclosingClass, resolveName } from '../../engine/ast/scope';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { FactExtractor, ProjectView } from '../../engine/workspace/project-view';
import { importOf } from './libraries';

/** A write to `localStorage` / `sessionStorage`: the key and value expressions, and what to call it. */
export interface StorageWrite {
  node: ts.Node;
  storage: 'localStorage' | 'sessionStorage';
  key?: ts.Expression;
  /** A key written as a property name: `localStorage.token = …`. */
  keyName?: string;
  value?: ts.Expression;
  callee: string;
  /** The wrapper function through which the write happens, if any. */
  via?: string;
}

/** `localStorage`, `window.localStorage`, `globalThis.sessionStorage`, unless a local name shadows it. */
export function storageOf(expression: ts.Expression): 'localStorage' | 'sessionStorage' | undefined {
  const node = unwrapExpression(expression);
  if (ts.isIdentifier(node)) {
    if (node.text !== 'localStorage' && node.text !== 'sessionStorage') return undefined;
    return resolveName(node.text, node) ? undefined : node.text;
  }
  if (ts.isPropertyAccessExpression(node) && (node.name.text === 'localStorage' || node.name.text === 'sessionStorage')) {
    const root = unwrapExpression(node.expression);
    if (ts.isIdentifier(root) && /^(window|globalThis|self)$/.test(root.text)) return node.name.text;
  }
  return undefined;
}

/** Direct writes to web storage at `node`: `setItem` calls and property assignments. */
export function directStorageWrite(node: ts.Node): StorageWrite | undefined {
  if (ts.isCallExpression(node)) {
    const callee = unwrapExpression(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'setItem') return undefined;
    const storage = storageOf(callee.expression);
    if (!storage) return undefined;
    return { node, storage, key: node.arguments[0], value: node.arguments[1], callee: `${storage}.setItem` };
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = node.left;
    if (ts.isPropertyAccessExpression(left)) {
      const storage = storageOf(left.expression);
      if (storage) return { node, storage, keyName: left.name.text, value: node.right, callee: `${storage}.${left.name.text}` };
    } else if (ts.isElementAccessExpression(left)) {
      const storage = storageOf(left.expression);
      if (storage) return { node, storage, key: left.argumentExpression, value: node.right, callee: `${storage}[…]` };
    }
  }
  return undefined;
}

/** A project function or method that writes its own parameters to web storage: `saveItem(key, value)`. */
export interface StorageWrapper {
  name: string;
  /** The class whose method it is, if a method. */
  className?: string;
  keyIndex?: number;
  valueIndex?: number;
  storage: 'localStorage' | 'sessionStorage';
  exported: boolean;
}

/** Wrappers declared in one file: the storage key is a parameter passed straight through, so the callers decide what is stored. */
export function storageWrappersIn(file: ParsedFile): StorageWrapper[] {
  const ast = file.ast;
  if (!ast || !/localStorage|sessionStorage/.test(file.text)) return [];
  const wrappers: StorageWrapper[] = [];
  const consider = (fn: ts.SignatureDeclaration & { body?: ts.Node }, name: string, exported: boolean, className?: string): void => {
    if (!fn.body) return;
    const parameters = fn.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : undefined));
    const visit = (node: ts.Node): void => {
      const write = directStorageWrite(node);
      if (write) {
        const indexOf = (expression: ts.Expression | undefined): number | undefined => {
          if (!expression) return undefined;
          let inner = unwrapExpression(expression);
          // `JSON.stringify(value)`
          if (ts.isCallExpression(inner) && inner.arguments[0] && /^JSON\.stringify$|^String$/.test(inner.expression.getText(ast))) inner = unwrapExpression(inner.arguments[0]);
          if (!ts.isIdentifier(inner)) return undefined;
          const index = parameters.indexOf(inner.text);
          return index >= 0 ? index : undefined;
        };
        const keyIndex = indexOf(write.key);
        const valueIndex = indexOf(write.value);
        if (keyIndex !== undefined) wrappers.push({ name, className, keyIndex, valueIndex, storage: write.storage, exported });
        return;
      }
      if (!ts.isFunctionDeclaration(node) && !ts.isClassDeclaration(node)) ts.forEachChild(node, visit);
    };
    ts.forEachChild(fn.body, visit);
  };
  for (const statement of ast.statements) {
    const exported = !!ts.getModifiers(statement as ts.HasModifiers)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isFunctionDeclaration(statement) && statement.name) consider(statement, statement.name.text, exported);
    else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer && unwrapExpression(declaration.initializer);
        if (ts.isIdentifier(declaration.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) consider(init, declaration.name.text, exported);
      }
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      for (const member of statement.members) {
        if (ts.isMethodDeclaration(member) && ts.isIdentifier(member.name)) consider(member, member.name.text, exported, statement.name.text);
      }
    }
  }
  return wrappers;
}

export const storageWrapperFacts: FactExtractor<StorageWrapper[]> = {
  id: 'token-in-web-storage/wrappers',
  textHint: /localStorage|sessionStorage/,
  extract: (file) => storageWrappersIn(file).filter((wrapper) => wrapper.exported),
};

/**
 * A call of a storage wrapper: a function of this file, an imported project function, or a
 * method of an injected / constructed class declared in another project file.
 */
export function wrapperWrite(call: ts.CallExpression, file: ParsedFile, local: readonly StorageWrapper[], project: ProjectView): StorageWrite | undefined {
  const callee = unwrapExpression(call.expression);
  let wrapper: StorageWrapper | undefined;
  if (ts.isIdentifier(callee)) {
    wrapper = local.find((candidate) => !candidate.className && candidate.name === callee.text);
    if (!wrapper) {
      const binding = importOf(file, callee.text, call);
      if (binding && binding.module.startsWith('.') && binding.imported !== '*' && binding.imported !== 'default') {
        const target = project.resolveImport(file.filePath, binding.module);
        wrapper = target ? project.factsOf(storageWrapperFacts, target)?.find((candidate) => !candidate.className && candidate.name === binding.imported) : undefined;
      }
    }
  } else if (ts.isPropertyAccessExpression(callee)) {
    const className = receiverClassName(callee.expression);
    if (className) {
      wrapper = local.find((candidate) => candidate.className === className && candidate.name === callee.name.text);
      const binding = wrapper ? undefined : importOf(file, className, call);
      if (binding && binding.module.startsWith('.')) {
        const target = project.resolveImport(file.filePath, binding.module);
        wrapper = target ? project.factsOf(storageWrapperFacts, target)?.find((candidate) => candidate.className === binding.imported && candidate.name === callee.name.text) : undefined;
      }
    }
  }
  if (!wrapper) return undefined;
  const where = wrapper.className ? `${wrapper.className}.${wrapper.name}` : wrapper.name;
  return {
    node: call,
    storage: wrapper.storage,
    key: wrapper.keyIndex !== undefined ? call.arguments[wrapper.keyIndex] : undefined,
    value: wrapper.valueIndex !== undefined ? call.arguments[wrapper.valueIndex] : undefined,
    callee: callee.getText(file.ast),
    via: where,
  };
}

/** The class of `this.storage` (declared type) or of `storage` (a `new X()` or a typed parameter). */
function receiverClassName(expression: ts.Expression): string | undefined {
  const node = unwrapExpression(expression);
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = enclosingClass(node);
    const member = cls && classMember(cls, node.name.text);
    const declaration = member?.parameter ?? member?.property;
    if (declaration) {
      const typeName = declaredTypeName(declaration);
      if (typeName) return typeName;
      const init = member?.property?.initializer && unwrapExpression(member.property.initializer);
      if (init && ts.isNewExpression(init) && ts.isIdentifier(init.expression)) return init.expression.text;
    }
    return undefined;
  }
  if (ts.isIdentifier(node)) {
    const binding = resolveName(node.text, node);
    if (binding?.kind === 'parameter' || binding?.kind === 'variable') {
      const typeName = declaredTypeName(binding.declaration);
      if (typeName) return typeName;
      const init = binding.kind === 'variable' && binding.declaration.initializer && unwrapExpression(binding.declaration.initializer);
      if (init && ts.isNewExpression(init) && ts.isIdentifier(init.expression)) return init.expression.text;
    }
  }
  return undefined;
}

/** The text of a key: a string literal, or a `const` of this file holding one. */
export function literalText(expression: ts.Expression | undefined, depth = 0): string | undefined {
  if (!expression || depth > 3) return undefined;
  const node = unwrapExpression(expression);
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isIdentifier(node)) {
    const binding = resolveName(node.text, node);
    if (binding?.kind === 'variable' && ts.isIdentifier(binding.declaration.name) && binding.declaration.initializer) return literalText(binding.declaration.initializer, depth + 1);
    return undefined;
  }
  if (ts.isPropertyAccessExpression(node)) {
    // `KEYS.token` / `StorageKey.AccessToken` (an object literal or enum of this file)
    const owner = unwrapExpression(node.expression);
    if (!ts.isIdentifier(owner)) return undefined;
    const binding = resolveName(owner.text, owner);
    const declaration = binding?.declaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const init = unwrapExpression(declaration.initializer);
      if (ts.isObjectLiteralExpression(init)) {
        for (const property of init.properties) {
          if (ts.isPropertyAssignment(property) && property.name.getText() === node.name.text) return literalText(property.initializer, depth + 1);
        }
      }
    } else if (declaration && ts.isEnumDeclaration(declaration)) {
      const member = declaration.members.find((candidate) => candidate.name.getText() === node.name.text);
      if (member?.initializer) return literalText(member.initializer, depth + 1);
    }
  }
  return undefined;
}
