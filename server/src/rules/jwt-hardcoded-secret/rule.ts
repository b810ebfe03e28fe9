import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { findProperty, propertyValue } from '../../engine/ast/object-literal';
import { classMember, declaredTypeName, enclosingClass, resolveName } from '../../engine/ast/scope';
import { walkTree } from '../../engine/ast/walk';
import { defineRule, type FixReport } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { isTestFile } from '../../engine/source/test-files';
import { injectedConfigService } from '../auth-tokens/config-access';
import { registrationOptions } from '../auth-tokens/jwt-facts';
import { importOf, isJoseSignJwt, isPassportJwtOptions, jwtCallOf, jwtModuleRegistration } from '../auth-tokens/libraries';
import { isConstDeclaration, resolveObject } from '../auth-tokens/object-flow';

export interface JwtHardcodedSecretOptions {
  envVariable: string;
}

const EXPLANATION = [
  'A signing secret in the source is in every clone, every CI log of the repository and every built image: anyone who has read the code can mint valid tokens for any user.',
  '',
  'Read it from the environment (or ConfigService) and keep it in a secret manager; rotate the leaked value. A fallback like `process.env.JWT_SECRET || \'dev\'` is the same problem: one missing variable in production and the service signs with the published value.',
  '',
  'The quick fix reads `process.env.<envVariable>!` or `this.configService.getOrThrow(...)`, whichever the file already uses; jsonwebtoken, @nestjs/jwt and passport-jwt throw at the first use if the variable is missing, rather than signing with a known value.',
].join('\n');

/** Where a secret can be hard-coded: the secret expression and the API it is given to. */
interface SecretSite {
  expression: ts.Expression;
  api: string;
}

/** Literal secrets given to JWT signing and verification. */
export const jwtHardcodedSecret = defineRule<JwtHardcodedSecretOptions>({
  meta: {
    id: 'jwt-hardcoded-secret',
    skill: 'api-designer',
    title: 'JWT secret written in the source',
    defaultSeverity: 'error',
    fixable: true,
    languages: ['typescript', 'javascript'],
  },
  options: {
    envVariable: { type: 'string', default: 'JWT_SECRET', description: 'The environment variable (or config key) the quick fix reads the secret from, unless the literal sits in a constant with an upper-case name.' },
  },
  check(context) {
    const file = context.file;
    const ast = file.ast;
    if (!ast || isTestFile(file.filePath) || !/jsonwebtoken|@nestjs\/jwt|['"]jose['"]|passport-jwt|express-jwt/.test(file.text)) return;
    const reported = new Set<ts.Node>();
    walkTree(
      ast,
      (node) => {
        for (const site of secretSites(node, file)) {
          const literal = literalSecret(site.expression);
          if (!literal || reported.has(literal.node)) continue;
          reported.add(literal.node);
          const fix = secretFix(literal, site.expression, file, context.options.envVariable);
          const where = literal.viaConstant ? ` through the constant \`${literal.viaConstant}\`` : '';
          const what = literal.fallback ? `falls back to a secret written in the source${where}` : `gets a secret written in the source${where}`;
          context.report({
            span: { start: literal.node.getStart(ast), end: literal.node.end },
            message: `${site.api} ${what}: anyone with the code can forge tokens${literal.fallback ? ' whenever the variable is missing' : ''}. Read it from ${fix.source} and rotate this value.`,
            fixes: fix.fix ? [fix.fix] : [],
            explanation: EXPLANATION,
          });
        }
      },
      () => context.checkpoint(),
    );
  },
});

function secretSites(node: ts.Node, file: ParsedFile): SecretSite[] {
  if (ts.isNewExpression(node)) {
    if (isPassportJwtOptions(node, file)) return optionSites(node.arguments?.[0], ['secretOrKey'], 'passport-jwt `secretOrKey`');
    return [];
  }
  if (!ts.isCallExpression(node)) return [];
  if (node.expression.kind === ts.SyntaxKind.SuperKeyword) {
    return isPassportJwtOptions(node, file) ? optionSites(node.arguments[0], ['secretOrKey'], 'passport-jwt `secretOrKey`') : [];
  }
  const registration = jwtModuleRegistration(node, file);
  if (registration) {
    const options = registrationOptions(node, registration);
    return options ? optionSites(options, ['secret', 'privateKey'], `\`JwtModule.${registration}\``) : [];
  }
  const jwt = jwtCallOf(node, file);
  if (jwt) {
    if (jwt.library === 'jsonwebtoken' && (jwt.operation === 'sign' || jwt.operation === 'verify') && node.arguments[1]) return [{ expression: node.arguments[1], api: `\`${jwt.callee}\`` }];
    if (jwt.library === 'nestjs-jwt' && jwt.operation !== 'decode') return optionSites(node.arguments[1], ['secret', 'privateKey'], `\`${jwt.callee}\``);
    if (jwt.library === 'jose' && jwt.operation === 'verify' && node.arguments[1]) return [{ expression: encodedKey(node.arguments[1]), api: `\`${jwt.callee}\`` }];
    return [];
  }
  const callee = unwrapExpression(node.expression);
  // new SignJWT(...)....sign(key)
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'sign' && node.arguments[0]) {
    let root: ts.Expression = callee.expression;
    while (ts.isCallExpression(root) && ts.isPropertyAccessExpression(root.expression)) root = root.expression.expression;
    if (ts.isNewExpression(root) && isJoseSignJwt(root, file)) return [{ expression: encodedKey(node.arguments[0]), api: '`SignJWT.sign`' }];
  }
  if (ts.isIdentifier(callee)) {
    const binding = importOf(file, callee.text, node);
    if (binding?.module === 'express-jwt') return optionSites(node.arguments[0], ['secret'], `\`${callee.text}\``);
  }
  return [];
}

function optionSites(options: ts.Expression | undefined, keys: readonly string[], api: string): SecretSite[] {
  if (!options) return [];
  const resolved = resolveObject(options);
  if (!resolved) return [];
  const sites: SecretSite[] = [];
  for (const key of keys) {
    const property = findProperty(resolved.object, key);
    const value = property && propertyValue(property);
    if (value) sites.push({ expression: value, api });
  }
  return sites;
}

/** `new TextEncoder().encode(x)` -> `x`: jose takes the secret as bytes. */
function encodedKey(expression: ts.Expression): ts.Expression {
  const node = unwrapExpression(expression);
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'encode' && node.arguments[0]) return node.arguments[0];
  if (ts.isIdentifier(node)) {
    const binding = resolveName(node.text, node);
    if (binding?.kind === 'variable' && binding.declaration.initializer && isConstDeclaration(binding.declaration)) {
      const init = unwrapExpression(binding.declaration.initializer);
      if (ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === 'encode' && init.arguments[0]) return init.arguments[0];
    }
  }
  return node;
}

interface LiteralSecret {
  /** The string literal. */
  node: ts.StringLiteralLike;
  /** `process.env.X || 'literal'` or `config.get('X', 'literal')`: the whole expression, replaced by the fix. */
  fallback?: ts.Expression;
  /** `config.get('X', 'literal')`: the fix reads the same key with `getOrThrow` on the same receiver. */
  configDefault?: { receiver: string; key: string };
  viaConstant?: string;
  constantDeclaration?: ts.VariableDeclaration;
}

function literalSecret(expression: ts.Expression, depth = 0): LiteralSecret | undefined {
  if (depth > 3) return undefined;
  const node = unwrapExpression(expression);
  if (ts.isStringLiteralLike(node)) return node.text.length > 0 ? { node } : undefined;
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.BarBarToken || node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    const right = unwrapExpression(node.right);
    if (ts.isStringLiteralLike(right) && right.text.length > 0 && /process\.env|config/i.test(node.left.getText())) return { node: right, fallback: node };
    return undefined;
  }
  if (ts.isCallExpression(node)) {
    // ConfigService.get('JWT_SECRET', 'dev-secret'): the default is used whenever the key is missing.
    const callee = unwrapExpression(node.expression);
    const [key, fallback] = node.arguments;
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'get' || !key || !fallback || node.arguments.length !== 2) return undefined;
    const literal = unwrapExpression(fallback);
    if (!ts.isStringLiteralLike(literal) || literal.text.length === 0 || !isConfigService(callee.expression)) return undefined;
    return { node: literal, fallback: node, configDefault: { receiver: callee.expression.getText(), key: key.getText() } };
  }
  if (ts.isIdentifier(node)) {
    const binding = resolveName(node.text, node);
    if (binding?.kind === 'variable' && ts.isIdentifier(binding.declaration.name) && binding.declaration.initializer && isConstDeclaration(binding.declaration)) {
      const inner = literalSecret(binding.declaration.initializer, depth + 1);
      if (inner) return { ...inner, viaConstant: inner.viaConstant ?? node.text, constantDeclaration: inner.constantDeclaration ?? binding.declaration };
    }
  }
  return undefined;
}

/** `this.config` / `configService` declared as @nestjs/config's ConfigService (a parameter, property or parameter property). */
function isConfigService(receiver: ts.Expression): boolean {
  const node = unwrapExpression(receiver);
  const file = node.getSourceFile();
  const names = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== '@nestjs/config') continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) if ((element.propertyName ?? element.name).text === 'ConfigService') names.add(element.name.text);
  }
  if (names.size === 0) return false;
  let declaration: { type?: ts.TypeNode } | undefined;
  if (ts.isIdentifier(node)) {
    const binding = resolveName(node.text, node);
    if (binding?.kind === 'parameter' || binding?.kind === 'variable') declaration = binding.declaration;
  } else if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = enclosingClass(node);
    const member = cls && classMember(cls, node.name.text);
    declaration = member?.parameter ?? member?.property;
  }
  const typeName = declaration && declaredTypeName(declaration);
  return !!typeName && names.has(typeName);
}

function secretFix(literal: LiteralSecret, site: ts.Expression, file: ParsedFile, envVariable: string): { fix?: FixReport; source: string } {
  if (literal.configDefault) {
    const { receiver, key } = literal.configDefault;
    const source = `\`${receiver}.getOrThrow(${key})\``;
    const edit = { span: { start: literal.fallback!.getStart(), end: literal.fallback!.end }, newText: `${receiver}.getOrThrow<string>(${key})` };
    return { source, fix: { title: `Read the secret with ${receiver}.getOrThrow(${key}), without a default`, isPreferred: true, edits: [edit] } };
  }
  const constantName = literal.viaConstant && /^[A-Z][A-Z0-9_]*$/.test(literal.viaConstant) && /SECRET|KEY/.test(literal.viaConstant) ? literal.viaConstant : undefined;
  const variable = constantName ?? envVariable;
  // A literal in a module-level constant is replaced in place: ConfigService is not reachable there.
  const replaced: ts.Node = literal.fallback ?? literal.node;
  const config = literal.constantDeclaration ? undefined : injectedConfigService(site, file);
  const text = config ? `${config}.getOrThrow<string>('${variable}')` : `process.env.${variable}!`;
  const source = config ? `\`${config}.getOrThrow('${variable}')\`` : `\`process.env.${variable}\``;
  return { source, fix: { title: `Read the secret from ${source.replace(/`/g, '')}`, isPreferred: true, edits: [{ span: { start: replaced.getStart(), end: replaced.end }, newText: text }] } };
}
