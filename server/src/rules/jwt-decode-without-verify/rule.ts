import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { findProperty } from '../../engine/ast/object-literal';
import { resolveName } from '../../engine/ast/scope';
import { walkTree } from '../../engine/ast/walk';
import { defineRule, type FixReport } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { isTestFile } from '../../engine/source/test-files';
import { isBrowserCode, isScriptFile } from '../remote-calls/file-kind';
import { envSecretName, injectedConfigService } from '../auth-tokens/config-access';
import { jwtCallOf, type JwtCall } from '../auth-tokens/libraries';
import { nameWords } from '../auth-tokens/token-words';
import { accessContext, accessUse, verifiesNearby } from './decode-use';

export interface JwtDecodeWithoutVerifyOptions {
  envVariable: string;
}

const EXPLANATION = [
  '`decode` only base64-decodes the token: it does not check the signature, the expiry or the algorithm. Anyone can write a token with `{"sub": "admin"}` in it, and code that trusts the decoded payload trusts them.',
  '',
  'Verify instead: `jwt.verify(token, secret)` (jsonwebtoken), `jwtService.verify(token)` / `verifyAsync` (@nestjs/jwt, with the module\'s secret), `await jwtVerify(token, key)` (jose). They throw on a bad signature or an expired token; turn that into a 401.',
  '',
  'Decoding is fine where nothing is decided: showing the user\'s name in a front end, reading `exp` to schedule a refresh, or reading the `kid` header before verifying with the matching key.',
].join('\n');

/** Decoded-but-unverified JWT payloads that decide access on the server. */
export const jwtDecodeWithoutVerify = defineRule<JwtDecodeWithoutVerifyOptions>({
  meta: {
    id: 'jwt-decode-without-verify',
    skill: 'api-designer',
    title: 'JWT decoded without verifying its signature where it decides access',
    defaultSeverity: 'error',
    fixable: true,
    languages: ['typescript', 'javascript'],
  },
  options: {
    envVariable: { type: 'string', default: 'JWT_SECRET', description: 'The environment variable (or config key) the quick fix reads the verification secret from, when the file uses process.env or an injected ConfigService but names no JWT secret.' },
  },
  check(context) {
    const file = context.file;
    const ast = file.ast;
    if (!ast || isTestFile(file.filePath) || isScriptFile(file.filePath)) return;
    if (!/\bdecode(Jwt)?\s*[<(]|jwtDecode|jwt_decode/.test(file.text) || !/jsonwebtoken|@nestjs\/jwt|['"]jose['"]|jwt-decode/.test(file.text)) return;
    if (isBrowserCode(file, context.project)) return;
    walkTree(
      ast,
      (node) => {
        if (!ts.isCallExpression(node)) return;
        const jwt = jwtCallOf(node, file);
        if (!jwt || jwt.operation !== 'decode') return;
        const token = node.arguments[0];
        if (!token || isProviderIdToken(token) || onlyHeaderRead(node)) return;
        const where = accessContext(node, file);
        if (!where) return;
        const use = accessUse(node);
        if (!use || verifiesNearby(node, file)) return;
        const fix = verifyFix(jwt, file, context.options.envVariable);
        context.report({
          span: { start: node.expression.getStart(ast), end: node.expression.end },
          message: `\`${jwt.callee}\` in ${where} trusts the token without checking its signature, and its payload reaches ${use}: anyone can forge a token with any user or role. ${fix ? `Use \`${fix.verify}\` instead.` : 'Verify it with the signing secret or key instead.'}`,
          fixes: fix ? [fix.fix] : [],
          explanation: EXPLANATION,
        });
      },
      () => context.checkpoint(),
    );
  },
});

/** An OpenID ID token handed over by the provider's token endpoint (over TLS) may be read without verifying. */
function isProviderIdToken(token: ts.Expression): boolean {
  const node = unwrapExpression(token);
  const name = ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) ? node.name.text : undefined;
  if (!name) return false;
  const words = nameWords(name);
  return words.includes('id') && (words.includes('token') || words.includes('idtoken'));
}

/** `jwt.decode(t, { complete: true }).header.kid`: only the header is read, to pick a key. */
function onlyHeaderRead(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  return !!parent && (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && /^header$/.test(ts.isPropertyAccessExpression(parent) ? parent.name.text : parent.argumentExpression.getText().replace(/['"]/g, ''));
}

/** `jwt.decode(t)` -> `jwt.verify(t, secret)`; `this.jwtService.decode(t)` -> `this.jwtService.verify(t)`. */
function verifyFix(jwt: JwtCall, file: ParsedFile, envVariable: string): { fix: FixReport; verify: string } | undefined {
  const callee = unwrapExpression(jwt.call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver = callee.expression.getText(file.ast);
  const token = jwt.call.arguments[0]!;
  if (jwt.library === 'nestjs-jwt') {
    if (jwt.call.arguments.length > 1) return undefined;
    // Only the method name changes, so type arguments (`decode<Payload>`) stay.
    return { verify: `${receiver}.verify(...)`, fix: { title: `Verify with ${receiver}.verify (the module's secret)`, isPreferred: true, edits: [{ span: { start: callee.name.getStart(file.ast), end: callee.name.end }, newText: 'verify' }] } };
  }
  if (jwt.library !== 'jsonwebtoken') return undefined;
  const options = jwt.call.arguments[1];
  if (options && !(ts.isObjectLiteralExpression(options) && options.properties.every((property) => findProperty(options, 'complete') === property))) return undefined;
  const secret = secretExpression(jwt.call, file, envVariable);
  if (!secret) return undefined;
  const rest = options ? `, ${options.getText(file.ast)}` : '';
  const text = `${receiver}.verify(${token.getText(file.ast)}, ${secret}${rest})`;
  return { verify: `${receiver}.verify(token, ${secret})`, fix: { title: `Verify the token with ${secret}`, isPreferred: true, edits: [{ span: { start: jwt.call.getStart(file.ast), end: jwt.call.end }, newText: text }] } };
}

/** A secret the fix can pass: a string constant in scope, the file's JWT env variable, or its ConfigService. */
function secretExpression(call: ts.CallExpression, file: ParsedFile, envVariable: string): string | undefined {
  for (const name of secretNamesIn(file)) {
    const binding = resolveName(name, call);
    if (binding?.kind === 'variable' && binding.declaration.initializer && isStringValued(binding.declaration)) return name;
  }
  const env = envSecretName(file);
  if (env) return `process.env.${env}!`;
  const config = injectedConfigService(call, file);
  if (config) return `${config}.getOrThrow<string>('${envVariable}')`;
  if (/process\.env\b/.test(file.text)) return `process.env.${envVariable}!`;
  return undefined;
}

function secretNamesIn(file: ParsedFile): string[] {
  const names = new Set<string>();
  for (const match of file.text.matchAll(/\b(?:const|let)\s+([A-Za-z_$][\w$]*(?:secret|Secret|SECRET)[\w$]*)\s*[:=]/g)) names.add(match[1]!);
  return [...names];
}

function isStringValued(declaration: ts.VariableDeclaration): boolean {
  if (declaration.type) return declaration.type.kind === ts.SyntaxKind.StringKeyword;
  const init = declaration.initializer && unwrapExpression(declaration.initializer);
  if (!init) return false;
  if (ts.isStringLiteralLike(init)) return true;
  // `process.env.JWT_SECRET!` / `as string`
  return (ts.isNonNullExpression(declaration.initializer!) || ts.isAsExpression(declaration.initializer!)) && /^process\.env\./.test(init.getText());
}
