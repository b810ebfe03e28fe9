import { ts } from 'ts-morph';
import { propertyName } from '../../engine/ast/object-literal';
import { walkTree } from '../../engine/ast/walk';
import { defineRule, type FixReport } from '../../engine/model/rule';
import { isTestFile } from '../../engine/source/test-files';
import { JWT_MODULES } from '../auth-tokens/libraries';

const EXPLANATION = [
  "`alg: 'none'` means an unsigned token. A verifier that accepts it accepts any token anyone writes, with any `sub` and any role; a signer that uses it issues tokens anyone can alter.",
  '',
  "List only the algorithms you sign with (`algorithms: ['HS256']` or `['RS256']`). The quick fix removes `'none'` from an `algorithms` list that has other entries.",
].join('\n');

/** `'none'` among the accepted or signing algorithms of a JWT library. */
export const jwtNoneAlgorithm = defineRule({
  meta: {
    id: 'jwt-none-algorithm',
    skill: 'api-designer',
    title: "JWT 'none' algorithm accepted or used",
    defaultSeverity: 'error',
    fixable: true,
    languages: ['typescript', 'javascript'],
  },
  options: {},
  check(context) {
    const file = context.file;
    const ast = file.ast;
    if (!ast || isTestFile(file.filePath) || !/['"`]none['"`]/i.test(file.text) || !file.imports.importsModule(JWT_MODULES)) return;
    walkTree(
      ast,
      (node) => {
        if (!ts.isStringLiteralLike(node) || node.text.toLowerCase() !== 'none') return;
        const parent = node.parent;
        let key: string | undefined;
        let list: ts.ArrayLiteralExpression | undefined;
        if (ts.isArrayLiteralExpression(parent) && ts.isPropertyAssignment(parent.parent)) {
          key = propertyName(parent.parent);
          list = parent;
        } else if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
          key = propertyName(parent);
        }
        if (key !== 'algorithms' && key !== 'algorithm' && key !== 'alg') return;
        const accepting = key === 'algorithms';
        const fixes: FixReport[] = [];
        if (list && list.elements.length > 1) {
          const index = list.elements.indexOf(node);
          const start = index === 0 ? node.getStart(ast) : list.elements[index - 1]!.end;
          const end = index === 0 ? list.elements[1]!.getStart(ast) : node.end;
          fixes.push({ title: "Remove 'none' from the accepted algorithms", isPreferred: true, edits: [{ span: { start, end }, newText: '' }] });
        }
        context.report({
          span: { start: node.getStart(ast), end: node.end },
          message: accepting
            ? "`algorithms` accepts 'none': a token with no signature passes verification, so anyone can forge one for any user. List only the algorithms you sign with."
            : `\`${key}: 'none'\` issues unsigned tokens that anyone can alter. Sign with HS256 and a secret, or RS256/ES256 and a private key.`,
          fixes,
          explanation: EXPLANATION,
        });
      },
      () => context.checkpoint(),
    );
  },
});
