import { ts } from 'ts-morph';
import { walkTree } from '../../engine/ast/walk';
import { defineRule } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { isTestFile } from '../../engine/source/test-files';
import type { ProjectView } from '../../engine/workspace/project-view';
import { tokenEvidence, type TokenEvidence } from '../auth-tokens/token-flow';
import { judgeTokenName } from '../auth-tokens/token-words';
import { directStorageWrite, literalText, storageWrapperFacts, storageWrappersIn, wrapperWrite, type StorageWrite } from '../auth-tokens/web-storage';

export const RULE_ID = 'token-in-web-storage';

const EXPLANATION = [
  'Web storage is readable by every script on the page, so one XSS or one compromised npm package can copy the token and replay it from anywhere until it expires.',
  '',
  'The usual pattern instead:',
  '- the **refresh token** lives in an `httpOnly; Secure; SameSite` cookie scoped to the refresh route, which script cannot read;',
  '- the **access token** is short-lived (minutes) and kept **in memory** (a module variable or an auth store), sent as `Authorization: Bearer …`;',
  '- on page load or a 401, the app calls the refresh endpoint, which rotates the refresh token and returns a new access token.',
  '',
  'For a NestJS + TypeORM backend, the command "Backend Advisor: Scaffold JWT Auth with Refresh-Token Rotation" (`backendAdvisor.scaffold.jwtAuth`, in the command palette) writes the server side of this pattern, with hashed refresh tokens.',
].join('\n');

/** Whether the file imports a function or class that another project file exports as a storage wrapper. */
function importsStorageWrapper(file: ParsedFile, project: ProjectView): boolean {
  for (const [, binding] of file.imports.entries()) {
    if (!binding.module.startsWith('.') || binding.imported === '*' || binding.imported === 'default') continue;
    const target = project.resolveImport(file.filePath, binding.module);
    const wrappers = target ? project.factsOf(storageWrapperFacts, target) : undefined;
    if (wrappers?.some((wrapper) => (wrapper.className ?? wrapper.name) === binding.imported)) return true;
  }
  return false;
}

/** Auth tokens written to localStorage / sessionStorage, directly or through a storage wrapper of the project. */
export const tokenInWebStorage = defineRule({
  meta: {
    id: RULE_ID,
    skill: 'api-designer',
    title: 'Auth token stored in localStorage or sessionStorage',
    defaultSeverity: 'warning',
    fixable: false,
    languages: ['typescript', 'javascript'],
  },
  options: {},
  check(context) {
    const file = context.file;
    const ast = file.ast;
    if (!ast || isTestFile(file.filePath)) return;
    const mentionsStorage = /localStorage|sessionStorage/.test(file.text);
    // Wrappers declared elsewhere are only reached through relative imports.
    if (!mentionsStorage && !/from\s+['"]\.|require\(\s*['"]\./.test(file.text)) return;
    // Without storage in this file, only imported wrappers can write there: no walk unless one is imported.
    if (!mentionsStorage && !importsStorageWrapper(file, context.project)) return;
    const localWrappers = mentionsStorage ? storageWrappersIn(file) : [];
    walkTree(
      ast,
      (node) => {
        let write: StorageWrite | undefined = mentionsStorage ? directStorageWrite(node) : undefined;
        if (!write && ts.isCallExpression(node)) write = wrapperWrite(node, file, localWrappers, context.project);
        if (!write) return;
        if (isInsideWrapper(write, localWrappers)) return;
        const reason = judgeWrite(write, file);
        if (!reason) return;
        const start = write.node.getStart(ast);
        const end = ts.isCallExpression(write.node) ? write.node.expression.end : (write.node as ts.BinaryExpression).left.end;
        const via = write.via ? ` (through \`${write.via}\`, which writes to ${write.storage})` : '';
        context.report({
          span: { start, end },
          message: `\`${write.callee}\`${via} stores ${reason} in ${write.storage}, where any script on the page (an XSS, a compromised dependency) can read it and replay it. Keep the refresh token in an httpOnly cookie and the access token in memory.`,
          explanation: EXPLANATION,
        });
      },
      () => context.checkpoint(),
    );
  },
});

function judgeWrite(write: StorageWrite, file: import('../../engine/source/parsed-file').ParsedFile): string | undefined {
  const key = write.keyName ?? literalText(write.key);
  if (key !== undefined) {
    const verdict = judgeTokenName(key);
    if (verdict.isToken) return `an auth token under the key '${key}'`;
  }
  if (!write.value) return undefined;
  const evidence = tokenEvidence(write.value, file);
  if (!evidence) return undefined;
  // A key that names something else (`theme`, `tokenizer-settings`) outweighs a vague value name.
  if (key !== undefined && !evidence.qualified && evidence.kind === 'name') return undefined;
  return describe(evidence);
}

function describe(evidence: TokenEvidence): string {
  switch (evidence.kind) {
    case 'signed':
      return `a token from \`${evidence.label}\``;
    case 'header':
      return 'the bearer token from the Authorization header';
    case 'login-response':
      return `${evidence.label}, which carries the auth tokens`;
    case 'field':
      return `an object holding the auth token field \`${evidence.label}\``;
    default:
      return `the auth token \`${evidence.label}\``;
  }
}

/** The write inside a wrapper's own body is reported at the wrapper's callers, where the key is known. */
function isInsideWrapper(write: StorageWrite, wrappers: readonly { name: string }[]): boolean {
  if (write.via || wrappers.length === 0) return false;
  for (let node: ts.Node | undefined = write.node.parent; node; node = node.parent) {
    const name = (node as { name?: ts.Node }).name;
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && name && ts.isIdentifier(name) && wrappers.some((w) => w.name === name.text)) return parameterPassedThrough(write, node);
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) {
      const variable = node.parent.name.text;
      if (wrappers.some((w) => w.name === variable)) return parameterPassedThrough(write, node);
    }
  }
  return false;
}

function parameterPassedThrough(write: StorageWrite, fn: ts.SignatureDeclaration): boolean {
  const names = new Set(fn.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : '')));
  const key = write.key && ts.isIdentifier(write.key) ? write.key.text : undefined;
  const value = write.value && ts.isIdentifier(write.value) ? write.value.text : undefined;
  // Only when neither key nor value says "token" by itself.
  return (key !== undefined && names.has(key) && !judgeTokenName(key).isToken) || (value !== undefined && names.has(value) && !judgeTokenName(value).isToken);
}
