import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CLI_BUNDLE = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface SpawnedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/** Runs the bundled CLI (the real artifact) as a child process, killed after `timeoutMs`. */
export function spawnCli(args: string[], { cwd, timeoutMs = 30_000, env = {} }: { cwd: string; timeoutMs?: number; env?: Record<string, string> }): SpawnedRun {
  const started = Date.now();
  const result = spawnSync(process.execPath, [CLI_BUNDLE, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
  });
  return {
    code: result.status,
    signal: result.signal,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    ms: Date.now() - started,
    timedOut: (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT',
  };
}
