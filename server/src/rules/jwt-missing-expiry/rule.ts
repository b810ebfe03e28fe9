import { ts } from 'ts-morph';
import { insertAfterEdit, insertArgumentEdit } from '../../engine/ast/call-arguments';
import { chainedMethodNames, unwrapExpression } from '../../engine/ast/call-shape';
import { addPropertyEdit, findProperty, propertyValue } from '../../engine/ast/object-literal';
import { walkTree } from '../../engine/ast/walk';
import { defineRule, type FixReport } from '../../engine/model/rule';
import { isTestFile } from '../../engine/source/test-files';
import { hasExpiryClaim, judgeRegistration, jwtProjectFacts, packageDirOf, registrationOptions, signCallExpiry } from '../auth-tokens/jwt-facts';
import { isJoseSignJwt, jwtCallOf, jwtModuleRegistration } from '../auth-tokens/libraries';
import { resolveObject } from '../auth-tokens/object-flow';

export interface JwtMissingExpiryOptions {
  expiresIn: string;
}

const EXPLANATION = [
  'A JWT is valid until it expires, and it cannot be revoked without extra machinery: a token without `exp` that leaks (a log, a browser extension, a copied curl command) works forever.',
  '',
  'Give access tokens a short lifetime (minutes) and renew them with a refresh token that is rotated and stored hashed. The quick fix adds the `expiresIn` option of this rule.',
].join('\n');

/** JWTs signed without an expiry. */
export const jwtMissingExpiry = defineRule<JwtMissingExpiryOptions>({
  meta: {
    id: 'jwt-missing-expiry',
    skill: 'api-designer',
    title: 'JWT signed without an expiry',
    defaultSeverity: 'warning',
    fixable: true,
    languages: ['typescript', 'javascript'],
  },
  options: {
    expiresIn: { type: 'string', default: '15m', description: "The lifetime the quick fix adds, in jsonwebtoken's notation ('15m', '1h', '7d')." },
  },
  check(context) {
    const file = context.file;
    const ast = file.ast;
    if (!ast || isTestFile(file.filePath) || !/jsonwebtoken|@nestjs\/jwt|['"]jose['"]/.test(file.text)) return;
    const expiresIn = JSON.stringify(context.options.expiresIn).replace(/"/g, "'");
    let nestFacts: { bareOnly: boolean; relyOnModule: number } | undefined;
    const projectNest = () => {
      if (nestFacts) return nestFacts;
      const own = packageDirOf(file.filePath);
      const all = context.project.allFacts(jwtProjectFacts).filter((entry) => entry.facts.packageDir === own);
      const registrations = all.flatMap((entry) => entry.facts.registrations);
      nestFacts = {
        // Sign calls are reported only when no registration could carry an expiry for them.
        bareOnly: registrations.length > 0 && registrations.every((registration) => registration.expiry === false && registration.bare),
        relyOnModule: all.reduce((sum, entry) => sum + entry.facts.signCallsWithoutExpiry, 0),
      };
      return nestFacts;
    };
    walkTree(
      ast,
      (node) => {
        if (ts.isNewExpression(node) && isJoseSignJwt(node, file)) {
          const chain = chainedMethodNames(node as unknown as ts.CallExpression);
          if (!chain.includes('sign') || chain.includes('setExpirationTime')) return;
          const payload = node.arguments?.[0];
          const resolved = payload && resolveObject(payload);
          // A payload built elsewhere may carry its own `exp`: only a visible literal is judged.
          if (!resolved || resolved.unknownSpread || hasExpiryClaim(resolved.objects)) return;
          context.report({
            span: { start: node.getStart(ast), end: node.expression.end },
            message: `\`new SignJWT(...)\` signs a token without \`setExpirationTime\`: it stays valid forever if it leaks. Chain \`.setExpirationTime(${expiresIn})\`.`,
            fixes: [{ title: `Add .setExpirationTime(${expiresIn})`, isPreferred: true, edits: [insertAfterEdit(node, `.setExpirationTime(${expiresIn})`)] }],
            explanation: EXPLANATION,
          });
          return;
        }
        if (!ts.isCallExpression(node)) return;
        const registration = jwtModuleRegistration(node, file);
        if (registration) {
          const verdict = judgeRegistration(node, registration);
          if (verdict.expiry !== false || verdict.bare) return;
          // Every JwtService.sign call of the project passes its own expiresIn: the module's lack of one is harmless.
          if (projectNest().relyOnModule === 0) return;
          const options = registrationOptions(node, registration)!;
          const signOptions = findProperty(options, 'signOptions');
          const signValue = signOptions && propertyValue(signOptions);
          const signObject = signValue && resolveObject(signValue)?.object;
          const fix: FixReport = {
            title: `Add signOptions.expiresIn: ${expiresIn}`,
            isPreferred: true,
            edits: [signObject ? addPropertyEdit(signObject, `expiresIn: ${expiresIn}`) : addPropertyEdit(options, `signOptions: { expiresIn: ${expiresIn} }`)],
          };
          context.report({
            span: { start: node.expression.getStart(ast), end: node.expression.end },
            message: `\`JwtModule.${registration}\` has no \`signOptions.expiresIn\`, so \`JwtService.sign\` issues tokens that never expire unless each call passes one. Add \`signOptions: { expiresIn: ${expiresIn} }\`.`,
            fixes: [fix],
            explanation: EXPLANATION,
          });
          return;
        }
        const jwt = jwtCallOf(node, file);
        if (!jwt || jwt.operation !== 'sign') return;
        if (jwt.library === 'jsonwebtoken') {
          const payload = node.arguments[0];
          if (!payload || !resolveObject(payload)) return; // a string or Buffer payload cannot carry expiresIn
          if (signCallExpiry(node, 2) !== false) return;
          context.report({
            span: { start: node.expression.getStart(ast), end: node.expression.end },
            message: `\`${jwt.callee}\` signs a token without \`expiresIn\` (or an \`exp\` claim): it stays valid forever if it leaks. Pass \`{ expiresIn: ${expiresIn} }\`.`,
            fixes: [optionsFix(node, 2, expiresIn)],
            explanation: EXPLANATION,
          });
          return;
        }
        if (jwt.library === 'nestjs-jwt') {
          if (signCallExpiry(node, 1) !== false || !projectNest().bareOnly) return;
          context.report({
            span: { start: node.expression.getStart(ast), end: node.expression.end },
            message: `\`${jwt.callee}\` signs a token without \`expiresIn\`, and JwtModule is registered without \`signOptions.expiresIn\`: the token never expires. Pass \`{ expiresIn: ${expiresIn} }\`.`,
            fixes: [optionsFix(node, 1, expiresIn)],
            explanation: EXPLANATION,
          });
        }
      },
      () => context.checkpoint(),
    );
  },
});

/** Adds `expiresIn` to the options literal, or passes a new options object (before a callback, if any). */
function optionsFix(call: ts.CallExpression, index: number, expiresIn: string): FixReport {
  const options = call.arguments[index];
  const resolved = options && !ts.isArrowFunction(unwrapExpression(options)) && !ts.isFunctionExpression(unwrapExpression(options)) ? resolveObject(options) : undefined;
  const edit = resolved ? addPropertyEdit(resolved.object, `expiresIn: ${expiresIn}`) : insertArgumentEdit(call, index, `{ expiresIn: ${expiresIn} }`);
  return { title: `Add expiresIn: ${expiresIn}`, isPreferred: true, edits: [edit] };
}
