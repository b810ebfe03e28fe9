import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../../engine/model/finding';
import { fixtureSuite } from '../../engine/testing/rule-harness';
import { assertEveryFixWorks } from '../auth-tokens/testing/fix-check';
import { jwtNoneAlgorithm } from './rule';

const FIXTURES = path.join(__dirname, 'fixtures');
const lineOf = (finding: Finding): string => fs.readFileSync(finding.filePath, 'utf8').split('\n')[finding.range.start.line] ?? '';

describe('jwt-none-algorithm', () => {
  fixtureSuite(jwtNoneAlgorithm, FIXTURES, { folders: ['positive', 'negative'], minimumMarks: 4 });

  it("removes 'none' from lists with other algorithms, and offers nothing for the rest", () => {
    const texts = assertEveryFixWorks(jwtNoneAlgorithm, path.join(FIXTURES, 'positive'), 2, (finding) => /issues unsigned tokens/.test(finding.message) || finding.range.start.character > 0 && /algorithms: \['none'\]/.test(lineOf(finding)));
    assert.ok(texts.some((text) => text.includes("{ algorithms: ['HS256'] }")));
    assert.ok(texts.some((text) => text.includes("verifyOptions: { algorithms: ['HS512'] }")));
  });
});
