import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { findProperty, propertyValue } from '../../engine/ast/object-literal';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { FactExtractor } from '../../engine/workspace/project-view';
import { jwtCallOf, jwtModuleRegistration } from './libraries';
import { factoryResult, resolveObject, resolvedProperty } from './object-flow';

/** What one `JwtModule.register(...)` says about token lifetime. */
export interface JwtRegistration {
  /** `signOptions.expiresIn` is set, or the options cannot be seen (a factory, a variable of another file). */
  expiry: boolean | 'unknown';
  /** Registered with nothing to sign with (`register({})`): every call brings its own secret and options. */
  bare: boolean;
}

export interface JwtProjectFacts {
  /** The folder of the nearest package.json: registrations only serve sign calls of their own package. */
  packageDir: string;
  registrations: JwtRegistration[];
  /** JwtService sign calls that rely on the module's signOptions for an expiry. */
  signCallsWithoutExpiry: number;
}

/** The module options object of a registration, when it can be seen. */
export function registrationOptions(call: ts.CallExpression, kind: 'register' | 'registerAsync'): ts.ObjectLiteralExpression | undefined {
  const argument = call.arguments[0];
  if (!argument) return undefined;
  const resolved = resolveObject(argument);
  if (!resolved || resolved.unknownSpread) return undefined;
  return kind === 'register' ? resolved.object : factoryResult(resolved.object);
}

export function judgeRegistration(call: ts.CallExpression, kind: 'register' | 'registerAsync'): JwtRegistration {
  const options = registrationOptions(call, kind);
  if (!options) return { expiry: 'unknown', bare: false };
  const bare = !['secret', 'privateKey', 'secretOrPrivateKey', 'signOptions', 'secretOrKeyProvider'].some((key) => findProperty(options, key));
  const signOptions = findProperty(options, 'signOptions');
  if (!signOptions) return { expiry: false, bare };
  const value = propertyValue(signOptions);
  const resolved = value && resolveObject(value);
  if (!resolved || resolved.unknownSpread) return { expiry: 'unknown', bare };
  return { expiry: !!resolvedProperty(resolved, 'expiresIn'), bare };
}

/** Whether a sign call's options (or payload) set an expiry: true, false, or 'unknown' when they cannot be seen. */
export function signCallExpiry(call: ts.CallExpression, optionsIndex: number, payloadIndex = 0): boolean | 'unknown' {
  const payload = call.arguments[payloadIndex];
  if (payload) {
    // A payload built elsewhere rarely carries its own `exp`; only a visible one counts.
    const resolved = resolveObject(payload);
    if (resolved && hasExpiryClaim(resolved.objects)) return true;
    if (resolved?.unknownSpread) return 'unknown';
  }
  const options = call.arguments[optionsIndex];
  if (!options || isCallback(options)) return false;
  const resolved = resolveObject(options);
  if (!resolved || resolved.unknownSpread) return 'unknown';
  return resolvedProperty(resolved, 'expiresIn') ? true : false;
}

/** `exp`, or an application's own time claim (`expiresAt`, `createdAt`) whose age its verifier checks. */
export function hasExpiryClaim(objects: readonly ts.ObjectLiteralExpression[]): boolean {
  return objects.some((object) => object.properties.some((property) => /^(exp|expires|expiresAt|expiry|expiration|expiresIn|validUntil|createdAt|issuedAt)$/.test(property.name?.getText() ?? '')));
}

export function isCallback(expression: ts.Expression): boolean {
  const node = unwrapExpression(expression);
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

export const jwtProjectFacts: FactExtractor<JwtProjectFacts> = {
  id: 'jwt-missing-expiry/project',
  textHint: /JwtModule|JwtService/,
  extract(file: ParsedFile): JwtProjectFacts {
    const facts: JwtProjectFacts = { packageDir: packageDirOf(file.filePath), registrations: [], signCallsWithoutExpiry: 0 };
    const ast = file.ast;
    if (!ast || !file.imports.importsModule(['@nestjs/jwt'])) return facts;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const registration = jwtModuleRegistration(node, file);
        if (registration) facts.registrations.push(judgeRegistration(node, registration));
        else {
          const jwt = jwtCallOf(node, file);
          if (jwt?.library === 'nestjs-jwt' && jwt.operation === 'sign' && signCallExpiry(node, 1) === false) facts.signCallsWithoutExpiry++;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(ast);
    return facts;
  },
};

const packageDirs = new Map<string, string>();

/** The folder of the nearest package.json or Nx project.json above a file: one deployable (cached per folder). */
export function packageDirOf(filePath: string): string {
  const start = path.dirname(filePath);
  const cached = packageDirs.get(start);
  if (cached) return cached;
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) || fs.existsSync(path.join(dir, 'project.json'))) break;
    const parent = path.dirname(dir);
    if (parent === dir) {
      dir = start;
      break;
    }
    dir = parent;
  }
  packageDirs.set(start, dir);
  return dir;
}
