import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { propertyName } from '../../engine/ast/object-literal';
import { resolveName } from '../../engine/ast/scope';
import { walkTree } from '../../engine/ast/walk';
import { defineRule } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { isTestFile } from '../../engine/source/test-files';
import { isInertValue, tokenEvidence, type TokenEvidence } from '../auth-tokens/token-flow';
import { judgeTokenName } from '../auth-tokens/token-words';

const EXPLANATION = [
  'A URL is not a secret: it lands in server and proxy access logs, browser history, the `Referer` header sent to every third-party resource of the next page, analytics tools and shared links. A token in it can be replayed by any of them.',
  '',
  'Send tokens in the `Authorization` header or an httpOnly cookie. After an OAuth or SSO callback, set a cookie and redirect to a clean URL, or hand over a one-time code that the front end exchanges with a POST. One-time links (e-mail verification, password reset, invitations) are expected to carry their token and are not reported.',
].join('\n');

/** Words in a URL that mark a one-time link whose token is meant to travel in it. */
const ONE_TIME_LINK = /(verif|confirm|reset|invit|magic|activat|unsubscribe|approve|download|share|preview|email)/i;
const URL_SEARCH_METHODS = /^(set|append)$/;

/** Auth tokens placed in a URL's query string: templates, concatenation, URLSearchParams, redirects. */
export const tokenInUrl = defineRule({
  meta: {
    id: 'token-in-url',
    skill: 'api-designer',
    title: 'Auth token put in a URL',
    defaultSeverity: 'info',
    fixable: false,
    languages: ['typescript', 'javascript'],
  },
  options: {},
  check(context) {
    const file = context.file;
    const ast = file.ast;
    if (!ast || isTestFile(file.filePath) || !/token|jwt|bearer/i.test(file.text)) return;
    const reported = new Set<ts.Node>();
    const report = (at: ts.Node, key: string, evidence: TokenEvidence | undefined): void => {
      if (reported.has(at)) return;
      reported.add(at);
      const what = evidence && evidence.kind !== 'name' ? describe(evidence) : evidence ? `the token \`${evidence.label}\`` : 'an auth token';
      context.report({
        span: { start: at.getStart(ast), end: at.end },
        message: `This URL carries ${what} in its query string (\`${key}=\`), where access logs, browser history and the Referer header keep it. Send it in the Authorization header or an httpOnly cookie instead.`,
        explanation: EXPLANATION,
      });
    };
    walkTree(
      ast,
      (node) => {
        if (ts.isTemplateExpression(node)) {
          if (ts.isTaggedTemplateExpression(node.parent) || opensSocket(node)) return;
          let before = node.head.text;
          for (const span of node.templateSpans) {
            const key = queryKeyBefore(before);
            if (key && !isOneTimeLink(before) && !isSocketUrl(before)) {
              const evidence = judged(key, span.expression, file);
              if (evidence !== false) report(node, key, evidence);
            }
            before += '${}' + span.literal.text;
          }
          return;
        }
        if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
          if (opensSocket(node)) return;
          const left = unwrapExpression(node.left);
          const text = ts.isStringLiteralLike(left) ? left.text : ts.isTemplateExpression(left) ? left.getText(ast) : ts.isBinaryExpression(left) && ts.isStringLiteralLike(unwrapExpression(left.right)) ? (unwrapExpression(left.right) as ts.StringLiteralLike).text : undefined;
          const key = text && queryKeyBefore(text);
          if (key && !isOneTimeLink(text!) && !isSocketUrl(text!)) {
            const evidence = judged(key, node.right, file);
            if (evidence !== false) report(node, key, evidence);
          }
          return;
        }
        if (ts.isCallExpression(node)) {
          // url.searchParams.set('access_token', t), params.append('token', jwt)
          const callee = unwrapExpression(node.expression);
          const [first, second] = node.arguments;
          if (ts.isPropertyAccessExpression(callee) && URL_SEARCH_METHODS.test(callee.name.text) && first && second && ts.isStringLiteralLike(first) && /searchParams|params|query|search/i.test(callee.expression.getText(ast)) && !/headers?/i.test(callee.expression.getText(ast))) {
            const evidence = judged(first.text, second, file);
            if (evidence !== false) report(node, first.text, evidence);
          }
          return;
        }
        if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URLSearchParams') {
          const argument = node.arguments?.[0] && unwrapExpression(node.arguments[0]);
          if (!argument || !ts.isObjectLiteralExpression(argument)) return;
          // An OAuth token request's form body (`grant_type`, `client_id`), not a URL.
          if (argument.properties.some((property) => /^(grant_type|client_id|client_secret|code_verifier|assertion)$/.test(propertyName(property) ?? ''))) return;
          if (ts.isPropertyAssignment(node.parent) && /^(body|data|form)$/.test(propertyName(node.parent) ?? '')) return;
          for (const property of argument.properties) {
            const key = propertyName(property);
            const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
            if (!key || !value) continue;
            const evidence = judged(key, value, file);
            if (evidence !== false) report(property, key, evidence);
          }
        }
      },
      () => context.checkpoint(),
    );
  },
});

/** The query key right before an interpolation: `...?token=` or `&access_token=`. */
function queryKeyBefore(text: string): string | undefined {
  const match = /[?&#]([A-Za-z0-9_.-]+)=$/.exec(text);
  // `grant_type=refresh_token&refresh_token=…` is a form body, not a URL: a query string starts with `?`.
  if (!match || (match[0][0] === '&' && !text.includes('?'))) return undefined;
  return match[1];
}

function isOneTimeLink(text: string): boolean {
  return ONE_TIME_LINK.test(text.replace(/\$\{\}/g, ''));
}

/** `new WebSocket(url)` / `new EventSource(url)` with the URL written in place, whatever its base constant is called. */
function opensSocket(node: ts.Expression): boolean {
  let outer: ts.Node = node;
  while (ts.isParenthesizedExpression(outer.parent) || (ts.isBinaryExpression(outer.parent) && outer.parent.operatorToken.kind === ts.SyntaxKind.PlusToken)) outer = outer.parent;
  const parent = outer.parent;
  return ts.isNewExpression(parent) && parent.arguments?.[0] === outer && ts.isIdentifier(parent.expression) && /^(WebSocket|EventSource|ReconnectingWebSocket)$/.test(parent.expression.text);
}

/** Browsers cannot set headers on a WebSocket handshake: a token in its URL is the usual workaround. */
function isSocketUrl(text: string): boolean {
  return /^wss?:|socket|\/ws\b|\/cable\b/i.test(text);
}

/**
 * Whether the key and the value make it an auth token: false when not, otherwise the value's
 * evidence (or undefined when only the key says so). A qualified key (`access_token`, `jwt`) is
 * enough; a bare `token=` needs a value that is a credential by name or source.
 */
function judged(key: string, value: ts.Expression, file: ParsedFile): TokenEvidence | undefined | false {
  if (isInertValue(value)) return false;
  // `id_token_hint` (OpenID logout) and third-party API keys (`api_token`) are meant for the URL.
  if (/hint$/i.test(key) || /^api[_-]?(token|key)$/i.test(key)) return false;
  const keyVerdict = judgeTokenName(key);
  let evidence = tokenEvidence(value, file);
  if (evidence?.kind === 'name' && !evidence.qualified) evidence = initializerEvidence(value, file) ?? evidence;
  if (keyVerdict.isToken && keyVerdict.qualified) return evidence;
  if ((keyVerdict.isToken || key === 'auth') && evidence && (evidence.qualified || evidence.kind !== 'name')) return evidence;
  return false;
}

/** `const token = jwt.sign(...)`: a bare name whose value comes from a token source. */
function initializerEvidence(value: ts.Expression, file: ParsedFile): TokenEvidence | undefined {
  const node = unwrapExpression(value);
  if (!ts.isIdentifier(node)) return undefined;
  const binding = resolveName(node.text, node);
  if (binding?.kind !== 'variable' || !binding.declaration.initializer || !ts.isIdentifier(binding.declaration.name)) return undefined;
  const inner = tokenEvidence(binding.declaration.initializer, file, 1);
  return inner && inner.kind !== 'name' ? inner : undefined;
}

function describe(evidence: TokenEvidence): string {
  switch (evidence.kind) {
    case 'signed':
      return `a signed token (${evidence.label})`;
    case 'header':
      return 'the bearer token from the Authorization header';
    case 'field':
      return `an object with the token field \`${evidence.label}\``;
    default:
      return evidence.label;
  }
}
