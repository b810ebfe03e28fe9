import { spawn } from 'node:child_process';
import { watchPeakRss } from './peak-rss.mjs';

/** Times `node dist/cli.js scan <workspace> --format json --fail-on never` and reads its peak RSS. */
export async function benchCli({ repoRoot, workspace, expectedFiles }) {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/cli.js', 'scan', workspace, '--format', 'json', '--fail-on', 'never'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const rss = watchPeakRss(child.pid);
  const chunks = [];
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    chunks.push(chunk);
    rss.sample();
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
  const seconds = (performance.now() - started) / 1000;
  const peakMb = rss.stop();
  if (code !== 0) throw new Error(`the CLI exited ${code}:\n${stderr}`);
  const report = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (report.summary.files !== expectedFiles) throw new Error(`the CLI scanned ${report.summary.files} files, expected ${expectedFiles}`);
  return { seconds, filesPerSecond: report.summary.files / seconds, peakMb, files: report.summary.files, problems: report.summary.problems, skipped: report.summary.skipped };
}
