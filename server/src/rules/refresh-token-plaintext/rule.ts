import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { propertyName } from '../../engine/ast/object-literal';
import { resolveName } from '../../engine/ast/scope';
import { walkTree } from '../../engine/ast/walk';
import { defineRule, type FixReport, type SpanEdit } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { isTestFile } from '../../engine/source/test-files';
import type { ProjectView } from '../../engine/workspace/project-view';
import { hashingImports } from '../auth-tokens/libraries';
import { isInertValue } from '../auth-tokens/token-flow';
import { isBrowserCode, isScriptFile } from '../remote-calls/file-kind';
import { argumentCall, isDbLookup, isDbWrite, isHashed, isRefreshColumn, isUnderWhere, plaintextToken, rawSqlWrite, savedAfterAssignment, taggedSqlWrite } from './token-writes';

const EXPLANATION = [
  'A refresh token is a long-lived credential: whoever holds it can mint access tokens for weeks. Stored as-is, one database leak (a backup, a read replica, an SQL injection, a support dashboard) hands out a working session for every user.',
  '',
  'Store a hash and compare hashes, as with passwords. A refresh token is random and long, so a fast `sha256` is enough and lets you look the row up by hash; `bcrypt` / `argon2` also work when you find the row by user id and then `compare`.',
  '',
  'The quick fix hashes the value where it is written, with bcrypt or argon2 when the package is a dependency (and the token is never looked up by value), else with `crypto` sha-256; in the same file it also hashes the lookups (`where: { refreshToken }`) and turns `stored === presented` comparisons into the matching compare. Rows written before the change no longer match: users sign in once more.',
].join('\n');

/** A refresh token written to the database without hashing on its way. */
export const refreshTokenPlaintext = defineRule({
  meta: {
    id: 'refresh-token-plaintext',
    skill: 'api-designer',
    title: 'Refresh token stored in the database unhashed',
    defaultSeverity: 'warning',
    fixable: true,
    languages: ['typescript', 'javascript'],
  },
  options: {},
  check(context) {
    const file = context.file;
    const ast = file.ast;
    if (!ast || isTestFile(file.filePath) || isScriptFile(file.filePath) || !/refresh[_-]?token/i.test(file.text)) return;
    if (/\.(seed|fixture|mock)s?\.[cm]?[jt]s$|\/(seeds?|mocks|migrations?)\//.test(file.filePath) || isBrowserCode(file, context.project)) return;
    const report = (at: ts.Node, what: string, where: string, fix: FixReport | undefined): void => {
      context.report({
        span: { start: at.getStart(ast), end: at.end },
        message: `${where} stores the refresh token ${what} as it is: anyone who reads the table (a leaked backup, an injection) can use it to sign in as that user. Store a hash (bcrypt, argon2 or sha-256) and compare hashes.`,
        fixes: fix ? [fix] : [],
        explanation: EXPLANATION,
      });
    };
    walkTree(
      ast,
      (node) => {
        if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
          const name = propertyName(node);
          if (!name || !isRefreshColumn(name) || isUnderWhere(node)) return;
          const value = ts.isPropertyAssignment(node) ? node.initializer : node.name;
          if (isInertValue(value)) return;
          const object = node.parent;
          if (!ts.isObjectLiteralExpression(object)) return;
          const call = argumentCall(object);
          if (!call || !isDbWrite(call, file)) return;
          if (isProviderToken(value, call, file)) return;
          const what = plaintextToken(value, file);
          if (!what) return;
          report(node, what, `\`${calleeText(call, file)}\``, hashFix(node, value, file, context.project));
          return;
        }
        if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && isRefreshColumn(node.left.name.text)) {
          if (isInertValue(node.right)) return;
          const save = savedAfterAssignment(node, file);
          if (!save || isProviderToken(node.right, save, file)) return;
          const what = plaintextToken(node.right, file);
          if (!what) return;
          report(node, what, `\`${calleeText(save, file)}\` (after \`${node.left.getText(ast)} = …\`)`, hashFix(node, node.right, file, context.project));
          return;
        }
        const raw = ts.isCallExpression(node) ? rawSqlWrite(node) : ts.isTaggedTemplateExpression(node) ? taggedSqlWrite(node) : undefined;
        if (!raw) return;
        for (const parameter of raw.parameters) {
          if (isInertValue(parameter) || isHashed(unwrapExpression(parameter), file)) continue;
          const what = plaintextToken(parameter, file);
          if (!what || !/refresh|`rt`|token/i.test(what)) continue;
          report(parameter, what, 'This SQL write', undefined);
        }
      },
      () => context.checkpoint(),
    );
  },
});

const PROVIDER = /\brefresh_token\b|oauth|provider|tokenSet|credentials|google|github|gitlab|bitbucket|slack|microsoft|azure|discord|linear|notion|atlassian|jira|salesforce|hubspot|dropbox|zoom/i;

/**
 * A third party's refresh token (an OAuth provider's `refresh_token`) stored to call its API later:
 * it has to be readable, so hashing is not the fix (encrypting it is, and another matter).
 */
function isProviderToken(value: ts.Expression, write: ts.CallExpression, file: ParsedFile): boolean {
  const node = unwrapExpression(value);
  let text = node.getText(file.ast);
  if (ts.isIdentifier(node)) {
    const binding = resolveName(node.text, node);
    if (binding?.kind === 'variable' && binding.declaration.initializer) text += ' ' + binding.declaration.initializer.getText(file.ast);
  }
  return PROVIDER.test(text) || /(integration|authentication|oauth|provider|connection|account)/i.test(write.expression.getText(file.ast));
}

function calleeText(call: ts.CallExpression, file: ParsedFile): string {
  const text = call.expression.getText(file.ast).replace(/\s+/g, '');
  return text.length > 48 ? `…${text.slice(-47)}` : text;
}

type Hasher = 'bcrypt' | 'argon2' | 'sha256';

/** Hashes the written value, and the lookups and comparisons of the same file with the matching function. */
function hashFix(site: ts.Node, value: ts.Expression, file: ParsedFile, project: ProjectView): FixReport | undefined {
  const ast = file.ast!;
  const imports = hashingImports(file);
  const dependencies = project.dependenciesOf(file.filePath);
  const lookups = lookupValues(file);
  const comparisons = comparisonsOf(file);
  const asyncWrite = isInAsyncFunction(site);
  let hasher: Hasher = 'sha256';
  if (lookups.length === 0 && (imports.bcrypt || dependencies.has('bcrypt'))) hasher = 'bcrypt';
  else if (lookups.length === 0 && asyncWrite && comparisons.every((comparison) => isInAsyncFunction(comparison.node)) && (imports.argon2 || dependencies.has('argon2'))) hasher = 'argon2';
  const edits: SpanEdit[] = [];
  let importText = '';
  const bcrypt = imports.bcrypt ?? 'bcrypt';
  const argon2 = imports.argon2 ?? 'argon2';
  const sha = imports.createHash ?? (imports.crypto ? `${imports.crypto}.createHash` : 'createHash');
  if (hasher === 'bcrypt' && !imports.bcrypt) importText = `import * as bcrypt from '${dependencies.has('bcrypt') ? 'bcrypt' : 'bcryptjs'}';\n`;
  if (hasher === 'argon2' && !imports.argon2) importText = "import * as argon2 from 'argon2';\n";
  if (hasher === 'sha256' && !imports.createHash && !imports.crypto) importText = "import { createHash } from 'node:crypto';\n";
  const valueText = value.getText(ast);
  const hashOf = (text: string, async: boolean): string => {
    if (hasher === 'bcrypt') return async ? `await ${bcrypt}.hash(${text}, 10)` : `${bcrypt}.hashSync(${text}, 10)`;
    if (hasher === 'argon2') return `await ${argon2}.hash(${text})`;
    return `${sha}('sha256').update(${text}).digest('hex')`;
  };
  if (ts.isShorthandPropertyAssignment(site)) edits.push({ span: { start: site.getStart(ast), end: site.end }, newText: `${valueText}: ${hashOf(valueText, asyncWrite)}` });
  else edits.push({ span: { start: value.getStart(ast), end: value.end }, newText: hashOf(valueText, asyncWrite) });
  if (hasher === 'sha256') {
    for (const lookup of lookups) {
      const text = lookup.value.getText(ast);
      const newText = `${sha}('sha256').update(${text}).digest('hex')`;
      edits.push(ts.isShorthandPropertyAssignment(lookup.property) ? { span: { start: lookup.property.getStart(ast), end: lookup.property.end }, newText: `${text}: ${newText}` } : { span: { start: lookup.value.getStart(ast), end: lookup.value.end }, newText });
    }
  }
  for (const comparison of comparisons) {
    const { stored, presented, negated } = comparison;
    const storedText = stored.getText(ast);
    const presentedText = presented.getText(ast);
    let check: string;
    if (hasher === 'bcrypt') check = isInAsyncFunction(comparison.node) ? `(await ${bcrypt}.compare(${presentedText}, ${storedText} ?? ''))` : `${bcrypt}.compareSync(${presentedText}, ${storedText} ?? '')`;
    else if (hasher === 'argon2') check = `(await ${argon2}.verify(${storedText} ?? '', ${presentedText}))`;
    else {
      edits.push({ span: { start: presented.getStart(ast), end: presented.end }, newText: `${sha}('sha256').update(${presentedText}).digest('hex')` });
      continue;
    }
    edits.push({ span: { start: comparison.node.getStart(ast), end: comparison.node.end }, newText: negated ? `!${check}` : check });
  }
  if (importText) {
    const lastImport = [...ast.statements].reverse().find((statement) => ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement));
    const at = lastImport ? lastImport.end + 1 : 0;
    edits.push({ span: { start: at, end: at }, newText: importText });
  }
  const name = hasher === 'sha256' ? 'sha-256 (node:crypto)' : hasher;
  return { title: `Hash the refresh token with ${name}${edits.length > 2 ? ' and compare hashes in this file' : ''}`, isPreferred: true, edits };
}

interface Lookup {
  property: ts.PropertyAssignment | ts.ShorthandPropertyAssignment;
  value: ts.Expression;
}

/** `where: { refreshToken: presented }` and `findOneBy({ refreshToken })`: the row is found by the token's value. */
function lookupValues(file: ParsedFile): Lookup[] {
  const found: Lookup[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
      const name = propertyName(node);
      const value = ts.isPropertyAssignment(node) ? node.initializer : node.name;
      if (name && isRefreshColumn(name) && !isInertValue(value) && !isHashed(unwrapExpression(value), file) && ts.isObjectLiteralExpression(node.parent)) {
        const call = argumentCall(node.parent);
        if (call && (isUnderWhere(node) ? isDbLookup(call, file) || isDbWrite(call, file) : isDbLookup(call, file))) found.push({ property: node, value });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file.ast!);
  return found;
}

interface Comparison {
  node: ts.BinaryExpression;
  stored: ts.Expression;
  presented: ts.Expression;
  negated: boolean;
}

/** `user.refreshToken !== refreshToken`: a stored token compared with a presented one. */
function comparisonsOf(file: ParsedFile): Comparison[] {
  const found: Comparison[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node)) {
      const kind = node.operatorToken.kind;
      const equal = kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken;
      const unequal = kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
      if (equal || unequal) {
        const left = unwrapExpression(node.left);
        const right = unwrapExpression(node.right);
        const isStored = (side: ts.Expression): boolean => ts.isPropertyAccessExpression(side) && isRefreshColumn(side.name.text);
        const stored = isStored(left) ? left : isStored(right) ? right : undefined;
        const presented = stored === left ? right : left;
        if (stored && !isInertValue(presented) && !isStored(presented)) found.push({ node, stored, presented, negated: unequal });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file.ast!);
  return found;
}

function isInAsyncFunction(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return !!ts.getModifiers(current as ts.FunctionLikeDeclaration)?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword);
  }
  return false;
}
