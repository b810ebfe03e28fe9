import type { AnyRule } from '../../server/src/engine/model/rule';
import { runCli } from '../../server/src/cli/run-cli';
import { TEST_RULES } from './test-rules';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams (not a TTY unless asked) and the test rules. */
export async function runCliCaptured(
  argv: string[],
  { cwd, rules = TEST_RULES, tty = false, env = {} }: { cwd: string; rules?: readonly AnyRule[]; tty?: boolean; env?: Record<string, string | undefined> },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    rules,
    cwd,
    env,
    stdout: { write: (text: string) => (stdout += text), isTTY: tty },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
  });
  return { code, stdout, stderr };
}
