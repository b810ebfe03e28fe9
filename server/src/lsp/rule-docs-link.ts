import * as path from 'node:path';
import { ruleDocsPath, ruleDocsUrl } from '../engine/rule-docs';
import { uriOf } from './uri';

/**
 * Where a rule's docs are opened from: the copy packaged with the extension when the client told
 * us where that is (works offline and matches the installed version), else the repository page.
 */
export function ruleDocsLink(ruleId: string, docsRoot: string | undefined): string {
  return docsRoot ? uriOf(path.join(docsRoot, ruleDocsPath(ruleId))) : ruleDocsUrl(ruleId);
}
