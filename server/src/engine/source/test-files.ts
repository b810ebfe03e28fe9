/**
 * Test code: unit, integration and end-to-end suites and their helpers. They call clients
 * against local stubs and short-lived servers, so production advice does not apply to them.
 * Matched on the path, relative or absolute, with either separator.
 */
const TEST_FILE_NAME = /\.(test|spec|e2e|e2e-spec|int-spec|integration|integration-spec|cy|stories)\.[cm]?[jt]sx?$/;
const TEST_FOLDER = /(^|\/)(__tests__|__mocks__|__fixtures__|test|tests|e2e|e2e-tests|integration-tests|cypress|playwright|testing|test-utils)\//;

export function isTestFile(filePath: string): boolean {
  const normalized = filePath.replace(/\\/g, '/');
  return TEST_FILE_NAME.test(normalized) || TEST_FOLDER.test(normalized);
}
