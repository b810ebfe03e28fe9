import { ts } from 'ts-morph';
import { classMember, declaredTypeName, enclosingClass } from '../../engine/ast/scope';
import type { ParsedFile } from '../../engine/source/parsed-file';

/**
 * How code at `at` can read configuration: the NestJS ConfigService its class injected (as
 * `this.config` in methods, or the plain constructor parameter inside the constructor), if any.
 */
export function injectedConfigService(at: ts.Node, file: ParsedFile): string | undefined {
  const names = new Set(file.imports.localNamesFor(['@nestjs/config'], 'ConfigService'));
  if (names.size === 0) return undefined;
  // `this` must be the instance: inside a method or constructor body, not a decorator or a static context.
  let inBody = false;
  for (let node: ts.Node | undefined = at.parent; node; node = node.parent) {
    if (ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node)) {
      inBody = !ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword);
      break;
    }
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassDeclaration(node)) break;
  }
  if (!inBody) return undefined;
  const cls = enclosingClass(at);
  if (!cls) return undefined;
  for (const element of cls.members) {
    if (!ts.isConstructorDeclaration(element)) continue;
    for (const parameter of element.parameters) {
      const typeName = declaredTypeName(parameter);
      if (!ts.isIdentifier(parameter.name) || !typeName || !names.has(typeName)) continue;
      const name = parameter.name.text;
      // A parameter property, or a plain parameter (usable inside the constructor only, e.g. `super({...})`).
      if (ts.getModifiers(parameter)?.length && classMember(cls, name)) return `this.${name}`;
      if (at.pos >= element.pos && at.end <= element.end) return name;
    }
  }
  return undefined;
}

/** The first `process.env.X` of the file whose name says it is a JWT secret (`JWT_SECRET`, `AUTH_SECRET`). */
export function envSecretName(file: ParsedFile): string | undefined {
  const match = /process\.env\.([A-Z0-9_]*(?:JWT|SECRET)[A-Z0-9_]*)/.exec(file.text);
  if (!match || /REFRESH|EXPIR|TTL|ALGORITHM|ISSUER|AUDIENCE/.test(match[1]!)) return undefined;
  return match[1];
}
