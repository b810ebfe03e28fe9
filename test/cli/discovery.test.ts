import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCliCaptured } from '../support/run-cli-in-process';
import { tempWorkspace } from '../support/temp-workspace';
import { sampleWorkspace } from './sample-workspace';

const FETCH = 'export const load = () => fetch("https://a.test");\n';

describe('what gets scanned', () => {
  it('skips .gitignored files and folders, node_modules and build output', async () => {
    const ws = sampleWorkspace({
      '.gitignore': 'generated/\n*.local.ts\n',
      'src/generated/client.ts': FETCH,
      'src/secret.local.ts': FETCH,
      'node_modules/lib/index.ts': FETCH,
      'dist/main.js': FETCH,
      'src/nested/.gitignore': 'skip-me.ts\n',
      'src/nested/skip-me.ts': FETCH,
      'src/nested/keep-me.ts': FETCH,
    });
    try {
      const run = await runCliCaptured(['scan', '--format', 'json'], { cwd: ws.root });
      const report = JSON.parse(run.stdout);
      assert.deepEqual(report.files.map((f: any) => f.filePath), ['src/clean.ts', 'src/nested/keep-me.ts', 'src/orders.service.ts']);
    } finally {
      ws.dispose();
    }
  });

  it('honours suppression comments', async () => {
    const ws = tempWorkspace({
      'src/a.ts': [
        '// backend-advisor-disable-next-line test-fetch-no-signal -- the health check may wait',
        'export const a = () => fetch("https://a.test");',
        'export const b = () => fetch("https://b.test");',
        '// backend-advisor-disable-next-line',
        'console.log(1); // TODO',
      ].join('\n'),
      'src/b.ts': '/* backend-advisor-disable test-fetch-no-signal */\nexport const c = () => fetch("https://c.test");\nconsole.log(2);\n',
    });
    try {
      const report = JSON.parse((await runCliCaptured(['scan', '--format', 'json'], { cwd: ws.root })).stdout);
      const found = report.files.flatMap((f: any) => f.findings.map((finding: any) => `${f.filePath}:${finding.line}:${finding.ruleId}`));
      assert.deepEqual(found, ['src/a.ts:3:test-fetch-no-signal', 'src/b.ts:3:test-console-log']);
    } finally {
      ws.dispose();
    }
  });

  it('scans only the paths given, relative to the current directory', async () => {
    const ws = sampleWorkspace({ 'lib/x.ts': FETCH });
    try {
      const report = JSON.parse((await runCliCaptured(['scan', 'lib', 'src/clean.ts', '--format', 'json'], { cwd: ws.root })).stdout);
      assert.deepEqual(report.files.map((f: any) => f.filePath), ['lib/x.ts', 'src/clean.ts']);
      // From inside src the root is src, and paths are relative to it.
      const inner = JSON.parse((await runCliCaptured(['scan', '--format', 'json'], { cwd: ws.path('src') })).stdout);
      assert.equal(inner.root, ws.path('src'));
      assert.deepEqual(inner.files.map((f: any) => f.filePath), ['clean.ts', 'orders.service.ts']);
    } finally {
      ws.dispose();
    }
  });

  it('roots the scan at the common folder of paths outside the current directory, or at --root', async () => {
    const ws = sampleWorkspace({ 'elsewhere/.keep': '' });
    try {
      const outside = JSON.parse((await runCliCaptured(['scan', path.join(ws.root, 'src'), '--format', 'json'], { cwd: ws.path('elsewhere') })).stdout);
      assert.equal(outside.root, ws.path('src'));
      const rooted = JSON.parse((await runCliCaptured(['scan', 'src', '--root', '.', '--format', 'sarif'], { cwd: ws.root })).stdout);
      assert.equal(rooted.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'src/orders.service.ts');
    } finally {
      ws.dispose();
    }
  });
});

describe('--output', () => {
  it('writes the report to the file, creating folders; stdout gets the summary', async () => {
    const ws = sampleWorkspace();
    try {
      for (const format of ['sarif', 'json', 'stylish']) {
        const run = await runCliCaptured(['scan', '--format', format, '--output', `reports/deep/out.${format}`], { cwd: ws.root, tty: true, env: { NO_COLOR: '1' } });
        assert.equal(run.code, 1);
        assert.equal(run.stdout, `✖ 3 problems (1 error, 1 warning, 1 info)\nwrote the ${format} report to reports/deep/out.${format}\n`);
        const written = fs.readFileSync(ws.path(`reports/deep/out.${format}`), 'utf8');
        if (format === 'sarif') assert.equal(JSON.parse(written).runs[0].results.length, 3);
        if (format === 'json') assert.equal(JSON.parse(written).summary.problems, 3);
        if (format === 'stylish') {
          assert.ok(written.startsWith('src/orders.service.ts\n'));
          assert.ok(!written.includes('\x1b['), 'no colours in a file');
        }
      }
    } finally {
      ws.dispose();
    }
  });

  it('an output path that cannot be written exits 2', async () => {
    const ws = sampleWorkspace({ 'blocker': 'a file where a folder should be' });
    try {
      const run = await runCliCaptured(['scan', '--output', 'blocker/report.sarif', '--format', 'sarif'], { cwd: ws.root });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /--output blocker\/report\.sarif: could not write the report/);
    } finally {
      ws.dispose();
    }
  });
});
