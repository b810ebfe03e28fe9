import { RULES } from '../rules/registry';
import { runCli } from './run-cli';

// The bundled entry point (dist/cli.js). Exit code via process.exitCode so stdout drains first.
void runCli(process.argv.slice(2), { rules: RULES, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env }).then((code) => {
  process.exitCode = code;
});
