import { ts } from 'ts-morph';
import { defineRule, type AnyRule } from '../../../server/src/engine/model/rule';

/**
 * Rules that exist only for the protocol tests, so the server can be tested before (and
 * independently of) the product's rules. They mimic the real ones' shape: a TypeScript rule with
 * a preferred in-file fix and a fix that creates a file, a SQL rule, and a rule that throws.
 */
export const FETCH_RULE_ID = 'test-fetch-timeout';
export const SQL_RULE_ID = 'test-select-star';
export const THROWING_RULE_ID = 'test-throwing-rule';
export const TIMEOUT_FIX_TITLE = 'Add a 5 s timeout to fetch()';
export const HELPER_FIX_TITLE = 'Use a shared fetchWithTimeout helper';

export const testFetchRule = defineRule({
  meta: {
    id: FETCH_RULE_ID,
    skill: 'microservices-architect',
    title: 'fetch() without a timeout',
    defaultSeverity: 'warning',
    fixable: true,
    languages: ['typescript', 'javascript'],
  },
  options: {},
  check(context) {
    const ast = context.file.ast;
    if (!ast) return;
    const visit = (node: ts.Node): void => {
      context.checkpoint();
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'fetch' && node.arguments.length === 1) {
        const url = node.arguments[0]!;
        const helperPath = `${context.project.root}/src/http-timeout.ts`;
        context.report({
          span: { start: node.getStart(ast), end: node.end },
          message: `fetch(${url.getText(ast)}) has no timeout: a slow server holds this request open forever. Pass { signal: AbortSignal.timeout(ms) }.`,
          explanation: 'Use `fetch(url, { signal: AbortSignal.timeout(5000) })`.',
          fixes: [
            { title: TIMEOUT_FIX_TITLE, isPreferred: true, edits: [{ span: { start: url.end, end: url.end }, newText: ', { signal: AbortSignal.timeout(5000) }' }] },
            {
              title: HELPER_FIX_TITLE,
              isPreferred: false,
              edits: [{ span: { start: node.expression.getStart(ast), end: node.expression.end }, newText: 'fetchWithTimeout' }],
              otherChanges: [{ kind: 'create', filePath: helperPath, content: 'export const fetchWithTimeout = (url: string) => fetch(url, { signal: AbortSignal.timeout(5000) });\n' }],
            },
          ],
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(ast);
  },
});

export const testSqlRule = defineRule({
  meta: { id: SQL_RULE_ID, skill: 'database-optimizer', title: 'SELECT *', defaultSeverity: 'info', fixable: false, languages: ['sql'] },
  options: {},
  check(context) {
    for (const match of context.file.text.matchAll(/select\s+\*/gi)) {
      context.report({ span: { start: match.index, end: match.index + match[0].length }, message: 'SELECT * reads every column; name the columns the caller needs.' });
    }
  },
});

/** Throws on any file that mentions "explode", so a test can show the failure stays contained. */
export const testThrowingRule = defineRule({
  meta: { id: THROWING_RULE_ID, skill: 'api-designer', title: 'Always throws', defaultSeverity: 'error', fixable: false, languages: ['typescript', 'javascript'] },
  options: {},
  check(context) {
    if (context.file.text.includes('explode')) throw new Error('test rule exploded on purpose');
  },
});

export const TEST_RULES: readonly AnyRule[] = [testFetchRule, testSqlRule, testThrowingRule];
