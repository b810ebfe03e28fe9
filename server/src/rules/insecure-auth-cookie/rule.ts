import { ts } from 'ts-morph';
import { insertArgumentEdit } from '../../engine/ast/call-arguments';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { addPropertyEdit, findProperty, propertyName, propertyValue, replacePropertyEdit } from '../../engine/ast/object-literal';
import { walkTree } from '../../engine/ast/walk';
import { defineRule, type FixReport, type SpanEdit } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { isTestFile } from '../../engine/source/test-files';
import { tokenEvidence } from '../auth-tokens/token-flow';
import { judgeTokenName } from '../auth-tokens/token-words';
import { literalText } from '../auth-tokens/web-storage';
import { resolveObject } from '../auth-tokens/object-flow';
import { cookieSetAt, type CookieSet } from './cookie-setters';

export const RULE_ID = 'insecure-auth-cookie';

export interface InsecureAuthCookieOptions {
  sameSite: string;
}

const EXPLANATION = [
  'A cookie that carries a session or a token needs three flags:',
  '- `httpOnly: true`: script on the page cannot read it, so an XSS cannot steal it;',
  '- `secure: true`: it is only sent over HTTPS (browsers treat `http://localhost` as secure, so local development keeps working);',
  "- `sameSite: 'lax'` (or `'strict'`): other sites cannot make the browser send it along (CSRF). `'none'` is only accepted together with `secure`.",
  '',
  'The quick fix adds the missing flags to the options object, or creates it.',
].join('\n');

type FlagProblem = 'missing' | 'false' | 'none-without-secure';

interface Verdict {
  problems: Map<'httpOnly' | 'secure' | 'sameSite', FlagProblem>;
  fix?: FixReport;
}

const FLAG_TEXT = { httpOnly: 'httpOnly: true', secure: 'secure: true' } as const;

/** Cookies carrying a token or session without httpOnly, secure or sameSite. */
export const insecureAuthCookie = defineRule<InsecureAuthCookieOptions>({
  meta: {
    id: RULE_ID,
    skill: 'api-designer',
    title: 'Auth or session cookie without httpOnly, secure or sameSite',
    defaultSeverity: 'warning',
    fixable: true,
    languages: ['typescript', 'javascript'],
  },
  options: {
    sameSite: { type: 'string', default: 'lax', enum: ['lax', 'strict'], description: "The sameSite value the quick fix adds ('lax' or 'strict')." },
  },
  check(context) {
    const file = context.file;
    const ast = file.ast;
    if (!ast || isTestFile(file.filePath) || !/cookie|session/i.test(file.text)) return;
    walkTree(
      ast,
      (node) => {
        const set = cookieSetAt(node, file);
        if (!set) return;
        const carried = carriesCredential(set, file);
        if (!carried) return;
        const span = { start: set.anchor.getStart(ast), end: set.anchor.end };
        if (set.kind === 'document') {
          context.report({
            span,
            message: `\`document.cookie\` sets ${carried} from script, so it can never be httpOnly: any script on the page can read it. Have the server set it with Set-Cookie and httpOnly, secure and sameSite.`,
            explanation: EXPLANATION,
          });
          return;
        }
        const verdict = judge(set, context.options.sameSite);
        if (!verdict || verdict.problems.size === 0) return;
        context.report({
          span,
          message: `\`${set.callee}\` sets ${carried} ${describeProblems(verdict.problems)}. ${consequences(verdict.problems)} Set ${fixList(verdict.problems, context.options.sameSite)}.`,
          fixes: verdict.fix ? [verdict.fix] : [],
          explanation: EXPLANATION,
        });
      },
      () => context.checkpoint(),
    );
  },
});

/** What the cookie carries, for the message; undefined when it is not an auth or session cookie. */
function carriesCredential(set: CookieSet, file: ParsedFile): string | undefined {
  if (set.kind === 'express-session' || set.kind === 'cookie-session') return 'the session cookie';
  let name: string | undefined;
  let value: ts.Expression | undefined = set.value;
  if (set.header) {
    const parsed = parseHeader(set.header);
    if (!parsed) return undefined;
    name = parsed.name;
    value = parsed.value;
  } else {
    name = literalText(set.name);
  }
  if (value && isClearing(value)) return undefined;
  if (name !== undefined && judgeTokenName(name).isToken) return `the auth cookie '${name}'`;
  if (!value) return undefined;
  const evidence = tokenEvidence(value, file);
  if (!evidence || (name !== undefined && !evidence.qualified)) return undefined;
  return name !== undefined ? `the cookie '${name}' holding ${evidence.kind === 'name' ? `\`${evidence.label}\`` : 'an auth token'}` : `a cookie holding ${evidence.kind === 'name' ? `\`${evidence.label}\`` : 'an auth token'}`;
}

/** `res.cookie('token', '')` and friends clear a cookie on logout. */
function isClearing(value: ts.Expression): boolean {
  const node = unwrapExpression(value);
  return (ts.isStringLiteralLike(node) && node.text.length === 0) || node.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(node) && node.text === 'undefined');
}

/** `{ expires: new Date(0) }`, `{ maxAge: 0 }`: the call deletes the cookie on logout. */
function clearsCookie(objects: readonly ts.ObjectLiteralExpression[]): boolean {
  for (const object of objects) {
    for (const property of object.properties) {
      const name = propertyName(property);
      const value = propertyValue(property);
      if (!value) continue;
      const node = unwrapExpression(value);
      if (name === 'maxAge' && ts.isNumericLiteral(node) && Number(node.text) === 0) return true;
      if (name === 'expires' && ts.isNewExpression(node) && node.expression.getText() === 'Date' && (!node.arguments?.length || (node.arguments.length === 1 && /^0$/.test(node.arguments[0]!.getText())))) return true;
    }
  }
  return false;
}

/** The cookie name and the first interpolated value of a `name=value; Attr` string. */
function parseHeader(expression: ts.Expression): { name: string; value?: ts.Expression; text: string } | undefined {
  const node = unwrapExpression(expression);
  if (ts.isStringLiteralLike(node)) {
    const name = /^\s*([^=;\s]+)=/.exec(node.text)?.[1];
    return name ? { name, text: node.text } : undefined;
  }
  if (ts.isTemplateExpression(node)) {
    const text = node.head.text + node.templateSpans.map((span) => `\u0000${span.literal.text}`).join('');
    const name = /^\s*([^=;\s]+)=/.exec(node.head.text)?.[1];
    if (!name) return undefined;
    return { name, value: node.templateSpans[0]?.expression, text };
  }
  return undefined;
}

function judge(set: CookieSet, sameSite: string): Verdict | undefined {
  if (set.kind === 'header') return judgeHeader(set.header!, sameSite);
  let target = set.options;
  const problems: Verdict['problems'] = new Map();
  if (set.kind === 'express-session') {
    const options = set.options && resolveObject(set.options);
    if (!options) return undefined;
    const cookie = findProperty(options.object, 'cookie');
    if (!cookie) {
      if (options.unknownSpread) return undefined;
      problems.set('secure', 'missing');
      problems.set('sameSite', 'missing');
      const sameSiteText = `sameSite: '${sameSite}'${options.needsConst ? ' as const' : ''}`;
      return { problems, fix: { title: 'Add secure and sameSite to the session cookie', isPreferred: true, edits: [addPropertyEdit(options.object, `cookie: { secure: true, ${sameSiteText} }`)] } };
    }
    target = propertyValue(cookie);
    if (!target) return undefined;
  }
  if (target === undefined) {
    if (set.optionsIndex === undefined || !set.call) return undefined;
    problems.set('httpOnly', 'missing');
    problems.set('secure', 'missing');
    problems.set('sameSite', 'missing');
    const edit = insertArgumentEdit(set.call, set.optionsIndex, `{ httpOnly: true, secure: true, sameSite: '${sameSite}' }`);
    return { problems, fix: { title: 'Add httpOnly, secure and sameSite', isPreferred: true, edits: [edit] } };
  }
  const resolved = resolveObject(target);
  if (!resolved || clearsCookie(resolved.objects)) return undefined;
  const flags = readFlags(resolved.objects);
  if (!set.httpOnlyByDefault || flags.httpOnly === 'false') {
    if (flags.httpOnly === 'false' || (flags.httpOnly === 'missing' && !resolved.unknownSpread)) problems.set('httpOnly', flags.httpOnly as FlagProblem);
  }
  if (flags.secure === 'false' || (flags.secure === 'missing' && !resolved.unknownSpread)) problems.set('secure', flags.secure as FlagProblem);
  if (flags.sameSite === 'false' || (flags.sameSite === 'missing' && !resolved.unknownSpread)) problems.set('sameSite', flags.sameSite as FlagProblem);
  else if (flags.sameSite === 'none' && flags.secure !== 'ok') problems.set('sameSite', 'none-without-secure');
  if (problems.size === 0) return { problems };
  return { problems, fix: objectFix(resolved.object, problems, sameSite, resolved.needsConst) };
}

type FlagState = 'ok' | 'missing' | 'false' | 'none';

function readFlags(objects: readonly ts.ObjectLiteralExpression[]): { httpOnly: FlagState; secure: FlagState; sameSite: FlagState } {
  const flags: { httpOnly: FlagState; secure: FlagState; sameSite: FlagState } = { httpOnly: 'missing', secure: 'missing', sameSite: 'missing' };
  for (const object of objects) {
    for (const property of object.properties) {
      const name = propertyName(property);
      if (name !== 'httpOnly' && name !== 'secure' && name !== 'sameSite') continue;
      const value = propertyValue(property);
      if (!value) continue;
      const node = unwrapExpression(value);
      if (node.kind === ts.SyntaxKind.FalseKeyword) flags[name] = 'false';
      else if (name === 'sameSite' && ts.isStringLiteralLike(node) && node.text.toLowerCase() === 'none') flags[name] = 'none';
      else flags[name] = 'ok';
    }
  }
  return flags;
}

function objectFix(object: ts.ObjectLiteralExpression, problems: Verdict['problems'], sameSite: string, needsConst: boolean): FixReport {
  const edits: SpanEdit[] = [];
  const additions: string[] = [];
  const sameSiteText = `sameSite: '${sameSite}'${needsConst ? ' as const' : ''}`;
  for (const [flag, problem] of problems) {
    const text = flag === 'sameSite' ? sameSiteText : FLAG_TEXT[flag];
    const existing = findProperty(object, flag);
    if (flag === 'sameSite' && problem === 'none-without-secure') {
      // `sameSite: 'none'` is deliberate (a cross-site embed): keep it and make it secure.
      if (!problems.has('secure')) {
        const secure = findProperty(object, 'secure');
        if (secure) edits.push(replacePropertyEdit(secure, FLAG_TEXT.secure));
        else additions.push(FLAG_TEXT.secure);
      }
      continue;
    }
    if (existing) edits.push(replacePropertyEdit(existing, text));
    else additions.push(text);
  }
  if (additions.length > 0) edits.push(addPropertyEdit(object, additions.join(', ')));
  return { title: `Set ${[...problems.keys()].map((flag) => (flag === 'sameSite' && problems.get(flag) === 'none-without-secure' ? 'secure' : flag)).join(', ')} on the cookie`, isPreferred: true, edits };
}

function judgeHeader(expression: ts.Expression, sameSite: string): Verdict | undefined {
  const node = unwrapExpression(expression);
  const parsed = parseHeader(node);
  if (!parsed) return undefined;
  const text = parsed.text;
  const problems: Verdict['problems'] = new Map();
  if (!/;\s*httponly\b/i.test(text)) problems.set('httpOnly', 'missing');
  const secure = /;\s*secure\b/i.test(text);
  if (!secure) problems.set('secure', 'missing');
  const sameSiteValue = /;\s*samesite=(\w+)/i.exec(text)?.[1]?.toLowerCase();
  if (!sameSiteValue) problems.set('sameSite', 'missing');
  else if (sameSiteValue === 'none' && !secure) problems.set('sameSite', 'none-without-secure');
  if (problems.size === 0) return { problems };
  const attributes = [...problems]
    .filter(([, problem]) => problem !== 'none-without-secure')
    .map(([flag]) => (flag === 'httpOnly' ? 'HttpOnly' : flag === 'secure' ? 'Secure' : `SameSite=${sameSite[0]!.toUpperCase()}${sameSite.slice(1)}`));
  const end = node.end - 1; // before the closing quote or backtick
  const raw = node.getSourceFile().text.slice(node.getStart(), node.end);
  const prefix = /;\s*$/.test(raw.slice(0, -1)) ? '' : '; ';
  const edit: SpanEdit = { span: { start: end, end }, newText: `${prefix}${attributes.join('; ')}` };
  return { problems, fix: { title: `Add ${attributes.join(', ')} to the Set-Cookie header`, isPreferred: true, edits: [edit] } };
}

function describeProblems(problems: Verdict['problems']): string {
  const parts: string[] = [];
  for (const [flag, problem] of problems) {
    if (problem === 'false') parts.push(`with ${flag}: false`);
    else if (problem === 'none-without-secure') parts.push("with sameSite 'none' but not secure");
    else parts.push(`without ${flag}`);
  }
  return parts.join(', ').replace(/, (?=[^,]*$)/, ' and ');
}

function consequences(problems: Verdict['problems']): string {
  const parts: string[] = [];
  if (problems.has('httpOnly')) parts.push('script on the page can read it (an XSS steals the session)');
  if (problems.has('secure') || problems.get('sameSite') === 'none-without-secure') parts.push('it can travel over plain HTTP');
  if (problems.get('sameSite') === 'missing' || problems.get('sameSite') === 'false') parts.push('other sites can make the browser send it (CSRF)');
  const sentence = parts.join(', ').replace(/, (?=[^,]*$)/, ' and ');
  return `${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`;
}

function fixList(problems: Verdict['problems'], sameSite: string): string {
  const parts: string[] = [];
  if (problems.has('httpOnly')) parts.push('httpOnly: true');
  if (problems.has('secure') || problems.get('sameSite') === 'none-without-secure') parts.push('secure: true');
  if (problems.get('sameSite') === 'missing' || problems.get('sameSite') === 'false') parts.push(`sameSite: '${sameSite}'`);
  return parts.join(', ').replace(/, (?=[^,]*$)/, ' and ');
}
