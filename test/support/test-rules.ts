import { ts } from 'ts-morph';
import { defineRule, type AnyRule } from '../../server/src/engine/model/rule';

/**
 * Small rules for testing the CLI on its own, independent of the product's rules:
 * `test-fetch-no-signal` (error, fixable) reports `fetch(url)` calls without a second argument,
 * `test-console-log` (warning) reports `console.log(...)`, `test-todo` (info) a TODO comment,
 * and `test-throws` always throws, to show rule failures are isolated.
 */
export const testFetchRule = defineRule({
  meta: { id: 'test-fetch-no-signal', skill: 'microservices-architect', title: 'fetch without an abort signal', defaultSeverity: 'error', fixable: true, languages: ['typescript', 'javascript'] },
  options: {},
  check(context) {
    const visit = (node: ts.Node): void => {
      context.checkpoint();
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'fetch' && node.arguments.length === 1) {
        const argument = node.arguments[0]!;
        context.report({
          span: { start: node.getStart(context.file.ast), end: node.end },
          message: `fetch(${argument.getText(context.file.ast)}) has no timeout: add { signal: AbortSignal.timeout(5000) }.`,
          related: [{ span: { start: argument.getStart(context.file.ast), end: argument.end }, message: 'the URL called' }],
          fixes: [
            { title: 'Add a 5 s timeout', isPreferred: true, edits: [{ span: { start: argument.end, end: argument.end }, newText: ', { signal: AbortSignal.timeout(5000) }' }] },
            {
              title: 'Add a timeout helper file',
              isPreferred: false,
              edits: [],
              otherChanges: [{ kind: 'create', filePath: `${context.project.root}/src/timeouts.ts`, content: 'export const TIMEOUT_MS = 5000;\n' }],
            },
          ],
        });
      }
      ts.forEachChild(node, visit);
    };
    if (context.file.ast) visit(context.file.ast);
  },
});

export const testConsoleRule = defineRule({
  meta: { id: 'test-console-log', skill: 'nestjs-expert', title: 'console.log in server code', defaultSeverity: 'warning', fixable: false, languages: ['typescript', 'javascript'] },
  options: { allowInfo: { type: 'boolean', default: false, description: 'unused' } },
  check(context) {
    const pattern = /console\.log\(/g;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(context.file.text))) {
      context.report({ span: { start: match.index, end: match.index + 'console.log'.length }, message: 'console.log writes unstructured output: use the Logger.' });
    }
  },
});

export const testTodoRule = defineRule({
  meta: { id: 'test-todo', skill: 'api-designer', title: 'TODO comment', defaultSeverity: 'info', fixable: false, languages: ['typescript', 'javascript', 'sql'] },
  options: {},
  check(context) {
    const index = context.file.text.indexOf('TODO');
    if (index >= 0) context.report({ span: { start: index, end: index + 4 }, message: 'A TODO is left in the code.' });
  },
});

export const testThrowsRule = defineRule({
  meta: { id: 'test-throws', skill: 'api-designer', title: 'always fails', defaultSeverity: 'error', fixable: false, languages: ['typescript'] },
  options: {},
  check(context) {
    if (context.file.text.includes('CRASH_ME')) throw new Error('boom in test-throws');
  },
});

export const TEST_RULES: readonly AnyRule[] = [testFetchRule, testConsoleRule, testTodoRule, testThrowsRule];
