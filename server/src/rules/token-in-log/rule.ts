import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { resolveName } from '../../engine/ast/scope';
import { walkTree } from '../../engine/ast/walk';
import { defineRule } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { isTestFile } from '../../engine/source/test-files';
import { tokenEvidence, type TokenEvidence } from '../auth-tokens/token-flow';

const EXPLANATION = [
  'Logs are copied to log shippers, dashboards, support tickets and backups, and are read by far more people than the database. A token in a log line is a working credential for whoever reads it, until it expires (a refresh token: for weeks).',
  '',
  'Log who and what instead: the user id, the token\'s `jti` or the last four characters, whether verification passed. Configure the logger to redact `authorization`, `cookie` and `*token*` fields (pino `redact`, a winston format) so a whole request or DTO cannot leak one either.',
].join('\n');

const LOG_METHODS = /^(log|info|warn|error|debug|verbose|trace|fatal)$/;
const LOGGER_MODULES = /^(pino|winston|bunyan|loglevel|log4js|signale|consola|@nestjs\/common|nestjs-pino|@novu\/application-generic)$/;

/** Auth tokens handed to console.* or a logger. */
export const tokenInLog = defineRule({
  meta: {
    id: 'token-in-log',
    skill: 'api-designer',
    title: 'Auth token written to a log',
    defaultSeverity: 'warning',
    fixable: false,
    languages: ['typescript', 'javascript'],
  },
  options: {},
  check(context) {
    const file = context.file;
    const ast = file.ast;
    if (!ast || isTestFile(file.filePath) || !/token|jwt|authorization|bearer|session/i.test(file.text) || !/console\.|log(ger)?\b|\.(info|debug|warn|error)\(/i.test(file.text)) return;
    walkTree(
      ast,
      (node) => {
        if (!ts.isCallExpression(node)) return;
        const logger = loggerCall(node, file);
        if (!logger) return;
        for (const argument of node.arguments) {
          const evidence = loggedToken(argument, file);
          if (!evidence) continue;
          context.report({
            span: { start: argument.getStart(ast), end: argument.end },
            message: `\`${logger}\` writes ${describe(evidence)} to the log, where anyone with access to the logs can reuse it. Log the user id or the token's last characters instead.`,
            explanation: EXPLANATION,
          });
          break;
        }
      },
      () => context.checkpoint(),
    );
  },
});

/** `console.log`, `logger.info`, `this.logger.debug`, `this.log.warn`, a pino/winston/Nest Logger. */
function loggerCall(call: ts.CallExpression, file: ParsedFile): string | undefined {
  const callee = unwrapExpression(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !LOG_METHODS.test(callee.name.text)) return undefined;
  const receiver = unwrapExpression(callee.expression);
  const text = receiver.getText(file.ast);
  if (ts.isIdentifier(receiver) && receiver.text === 'console') return resolveName('console', receiver) ? undefined : `console.${callee.name.text}`;
  if (ts.isIdentifier(receiver)) {
    // `Logger.log(...)` (Nest's static logger), `logger.info(...)` from pino / winston or a project logger module.
    const binding = file.imports.get(receiver.text);
    if (binding && (LOGGER_MODULES.test(binding.module) && /^(Logger|default|\*|logger|log)$/.test(binding.imported) || /log/i.test(binding.module) && /log/i.test(receiver.text))) return `${text}.${callee.name.text}`;
    if (/^(logger|log|_logger|LOGGER|appLogger)$/.test(receiver.text) && resolveName(receiver.text, receiver)) return `${text}.${callee.name.text}`;
    return undefined;
  }
  if (ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword && /^(logger|log|_logger|pinoLogger)$/i.test(receiver.name.text)) return `${text}.${callee.name.text}`;
  if (ts.isPropertyAccessExpression(receiver) && /^(req|request|ctx|fastify|app|server)$/.test(receiver.expression.getText(file.ast)) && receiver.name.text === 'log') return `${text}.${callee.name.text}`;
  return undefined;
}

/** A logged argument that is a token: by name or source, inside a template, or a field of a logged object. */
function loggedToken(argument: ts.Expression, file: ParsedFile): TokenEvidence | undefined {
  const node = unwrapExpression(argument);
  if (ts.isStringLiteralLike(node)) return undefined;
  if (ts.isTemplateExpression(node)) {
    for (const span of node.templateSpans) {
      const inner = loggedToken(span.expression, file);
      if (inner) return inner;
    }
    return undefined;
  }
  if (ts.isCallExpression(node)) {
    // `token.slice(-4)`, `mask(token)`, `hash(token)`: the log line holds part or a digest.
    const callee = unwrapExpression(node.expression);
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    if (/^(slice|substring|substr|at|mask\w*|redact\w*|hash\w*|truncate|length|startsWith|endsWith|includes)$/i.test(method) && ts.isPropertyAccessExpression(callee)) return undefined;
    if (/^(mask|redact|hash|truncate|obfuscate|shorten)/i.test(method)) return undefined;
  }
  const evidence = tokenEvidence(node, file);
  if (!evidence) return undefined;
  // Login responses are whole objects whose logging is another matter; the token itself must be visible.
  if (evidence.kind === 'login-response') return undefined;
  // A `session` object is user data more often than a session id.
  if ((evidence.kind === 'name' || evidence.kind === 'field') && /session$/i.test(evidence.label)) return undefined;
  return evidence;
}

function describe(evidence: TokenEvidence): string {
  switch (evidence.kind) {
    case 'signed':
      return `a freshly signed token (${evidence.label})`;
    case 'header':
      return 'the Authorization header (a bearer token)';
    case 'field':
      return `an object holding the token field \`${evidence.label}\``;
    default:
      return `the ${evidence.refresh ? 'refresh ' : ''}token \`${evidence.label}\``;
  }
}
