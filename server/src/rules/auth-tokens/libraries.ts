import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { classMember, declaredTypeName, enclosingClass, resolveName } from '../../engine/ast/scope';
import type { ImportBinding } from '../../engine/source/import-table';
import type { ParsedFile } from '../../engine/source/parsed-file';

/** The auth libraries the rules recognise, identified by the module a name is imported from. */
export const JWT_MODULES = ['jsonwebtoken', 'jose', '@nestjs/jwt', 'jwt-decode', 'passport-jwt', 'express-jwt', '@fastify/jwt', 'fastify-jwt', 'jwks-rsa'];
export const ORM_MODULES = /^(typeorm|@nestjs\/typeorm|@prisma\/client|prisma|sequelize|sequelize-typescript|@nestjs\/sequelize|mongoose|@nestjs\/mongoose|@typegoose\/typegoose|@mikro-orm\/|drizzle-orm|knex|kysely|pg|postgres|pg-promise|mysql2?|better-sqlite3|redis|ioredis|mongodb|objection|@supabase\/supabase-js)/;

/** The import a name used at `at` refers to, unless a local declaration shadows it. */
export function importOf(file: ParsedFile, name: string, at: ts.Node): ImportBinding | undefined {
  const binding = file.imports.get(name);
  if (!binding) return undefined;
  const resolved = resolveName(name, at);
  if (resolved && resolved.kind !== 'import' && resolved.declaration !== binding.node && !isRequireDeclaration(resolved.declaration, binding)) return undefined;
  return binding;
}

function isRequireDeclaration(declaration: ts.Node, binding: ImportBinding): boolean {
  for (let node: ts.Node | undefined = binding.node; node; node = node.parent) if (node === declaration) return true;
  return false;
}

export type JwtLibrary = 'jsonwebtoken' | 'nestjs-jwt' | 'jose' | 'jwt-decode';
export type JwtOperation = 'sign' | 'verify' | 'decode';

export interface JwtCall {
  call: ts.CallExpression;
  library: JwtLibrary;
  operation: JwtOperation;
  /** The callee as written, for messages: `jwt.sign`, `this.jwtService.signAsync`. */
  callee: string;
  async: boolean;
}

const JSONWEBTOKEN_OPERATIONS: Record<string, JwtOperation> = { sign: 'sign', verify: 'verify', decode: 'decode' };
const NEST_OPERATIONS: Record<string, JwtOperation> = { sign: 'sign', signAsync: 'sign', verify: 'verify', verifyAsync: 'verify', decode: 'decode' };
const JOSE_OPERATIONS: Record<string, JwtOperation> = { jwtVerify: 'verify', decodeJwt: 'decode' };

/** A call of jsonwebtoken, @nestjs/jwt's JwtService, jose or jwt-decode, identified by imports and declared types. */
export function jwtCallOf(call: ts.CallExpression, file: ParsedFile): JwtCall | undefined {
  const callee = unwrapExpression(call.expression);
  const text = callee.getText(file.ast);
  if (ts.isIdentifier(callee)) {
    const binding = importOf(file, callee.text, call);
    if (!binding) return undefined;
    if (binding.module === 'jsonwebtoken' && JSONWEBTOKEN_OPERATIONS[binding.imported]) {
      return { call, library: 'jsonwebtoken', operation: JSONWEBTOKEN_OPERATIONS[binding.imported]!, callee: text, async: false };
    }
    if (binding.module === 'jose' && JOSE_OPERATIONS[binding.imported]) {
      return { call, library: 'jose', operation: JOSE_OPERATIONS[binding.imported]!, callee: text, async: binding.imported === 'jwtVerify' };
    }
    if (binding.module === 'jwt-decode' && (binding.imported === 'default' || binding.imported === 'jwtDecode' || binding.imported === '*')) {
      return { call, library: 'jwt-decode', operation: 'decode', callee: text, async: false };
    }
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const receiver = unwrapExpression(callee.expression);
  if (ts.isIdentifier(receiver)) {
    const binding = importOf(file, receiver.text, call);
    if (binding?.module === 'jsonwebtoken' && (binding.imported === 'default' || binding.imported === '*') && JSONWEBTOKEN_OPERATIONS[method]) {
      return { call, library: 'jsonwebtoken', operation: JSONWEBTOKEN_OPERATIONS[method]!, callee: text, async: false };
    }
    if (binding?.module === 'jose' && binding.imported === '*' && JOSE_OPERATIONS[method]) {
      return { call, library: 'jose', operation: JOSE_OPERATIONS[method]!, callee: text, async: method === 'jwtVerify' };
    }
  }
  if (NEST_OPERATIONS[method] && isJwtServiceReference(receiver, file)) {
    return { call, library: 'nestjs-jwt', operation: NEST_OPERATIONS[method]!, callee: text, async: method.endsWith('Async') };
  }
  return undefined;
}

/** `this.jwtService` / `jwtService` declared with the type `JwtService` imported from @nestjs/jwt. */
export function isJwtServiceReference(expression: ts.Expression, file: ParsedFile): boolean {
  if (!file.imports.localNamesFor(['@nestjs/jwt'], 'JwtService').length) return false;
  const typeNames = new Set(file.imports.localNamesFor(['@nestjs/jwt'], 'JwtService'));
  const node = unwrapExpression(expression);
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = enclosingClass(node);
    const member = cls && classMember(cls, node.name.text);
    const declaration = member?.parameter ?? member?.property;
    const typeName = declaration && declaredTypeName(declaration);
    return !!typeName && typeNames.has(typeName);
  }
  if (ts.isIdentifier(node)) {
    const binding = resolveName(node.text, node);
    if (binding && (binding.kind === 'parameter' || binding.kind === 'variable')) {
      const typeName = declaredTypeName(binding.declaration);
      return !!typeName && typeNames.has(typeName);
    }
  }
  return false;
}

/** Whether `new X(...)` constructs jose's `SignJWT`. */
export function isJoseSignJwt(expression: ts.NewExpression, file: ParsedFile): boolean {
  const callee = unwrapExpression(expression.expression);
  if (ts.isIdentifier(callee)) {
    const binding = importOf(file, callee.text, expression);
    return binding?.module === 'jose' && binding.imported === 'SignJWT';
  }
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.name.text === 'SignJWT') {
    const binding = importOf(file, callee.expression.text, expression);
    return binding?.module === 'jose' && binding.imported === '*';
  }
  return false;
}

/** `JwtModule.register(...)` / `registerAsync(...)` with JwtModule imported from @nestjs/jwt. */
export function jwtModuleRegistration(call: ts.CallExpression, file: ParsedFile): 'register' | 'registerAsync' | undefined {
  const callee = unwrapExpression(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return undefined;
  const method = callee.name.text;
  if (method !== 'register' && method !== 'registerAsync') return undefined;
  const binding = importOf(file, callee.expression.text, call);
  return binding?.module === '@nestjs/jwt' && binding.imported === 'JwtModule' ? method : undefined;
}

/** `new Strategy({...})` / `super({...})` in a class extending passport-jwt's Strategy (also through PassportStrategy(Strategy)). */
export function isPassportJwtOptions(call: ts.CallExpression | ts.NewExpression, file: ParsedFile): boolean {
  const strategyNames = new Set(file.imports.localNamesFor(['passport-jwt'], 'Strategy'));
  if (strategyNames.size === 0) return false;
  if (ts.isNewExpression(call)) {
    const callee = unwrapExpression(call.expression);
    return ts.isIdentifier(callee) && strategyNames.has(callee.text);
  }
  if (call.expression.kind !== ts.SyntaxKind.SuperKeyword) return false;
  const cls = enclosingClass(call);
  const heritage = cls?.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!heritage) return false;
  const text = heritage.getText(file.ast);
  return [...strategyNames].some((name) => new RegExp(`(^|\\()${name}\\b`).test(text));
}

/** Which password/token hashing library the file imports, by local name. */
export function hashingImports(file: ParsedFile): { bcrypt?: string; argon2?: string; crypto?: string; createHash?: string } {
  const found: { bcrypt?: string; argon2?: string; crypto?: string; createHash?: string } = {};
  for (const [name, binding] of file.imports.entries()) {
    if ((binding.module === 'bcrypt' || binding.module === 'bcryptjs') && (binding.imported === 'default' || binding.imported === '*')) found.bcrypt = name;
    else if (binding.module === 'argon2' && (binding.imported === 'default' || binding.imported === '*')) found.argon2 = name;
    else if ((binding.module === 'crypto' || binding.module === 'node:crypto') && (binding.imported === 'default' || binding.imported === '*')) found.crypto = name;
    else if ((binding.module === 'crypto' || binding.module === 'node:crypto') && binding.imported === 'createHash') found.createHash = name;
  }
  return found;
}
