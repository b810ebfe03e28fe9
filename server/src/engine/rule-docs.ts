/** Where a rule's documentation lives: in the repository, and inside the packaged extension. */
export const DOCS_BASE_URL = 'https://github.com/backend-advisor/backend-advisor/blob/main/docs/rules/';

export function ruleDocsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}
