import { Command, CommanderError, Option } from 'commander';
import type { AnyRule } from '../engine/model/rule';
import type { CliIo } from './cli-io';
import { EXIT_OK, EXIT_USAGE, UsageError } from './exit-codes';
import { listRules } from './rules-command';
import { SCAN_HELP_NOTES } from './scan-help';
import { FAIL_ON, FORMATS, validateScanOptions, type RawScanOptions } from './scan-options';
import { runScan } from './scan-command';
import { toolVersion } from './tool-version';

export interface RunCliOptions extends CliIo {
  rules: readonly AnyRule[];
}

/**
 * The whole CLI as a function: parses `argv` (without node and the script), runs the command,
 * writes to the given streams and returns the exit code. Never calls process.exit, so tests
 * drive it in-process.
 */
export async function runCli(argv: readonly string[], options: RunCliOptions): Promise<number> {
  const { rules, ...io } = options;
  let exitCode = EXIT_OK;
  const program = new Command('backend-advisor')
    .description('Reviews TypeScript and PostgreSQL backends: remote calls without timeouts or circuit breakers, and more.')
    .version(toolVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });

  program
    .command('scan')
    .description('scan files and folders (default: the current directory) and report findings')
    .argument('[paths...]', 'files or folders to scan')
    .addOption(new Option('-f, --format <format>', `report format: ${FORMATS.join(', ')}`).default('stylish'))
    .option('-o, --output <file>', 'write the report to this file (folders are created); stdout gets the summary')
    .addOption(new Option('--fail-on <severity>', `exit 1 when a finding is at least this severe: ${FAIL_ON.join(', ')}`).default('error'))
    .option('-c, --config <file>', 'configuration file (default: .backend-advisor.json at the scan root)')
    .option('--root <folder>', 'folder paths, globs and the configuration are relative to (see below)')
    .option('-r, --rule <id=severity>', 'set a rule\'s severity (error, warning, info, hint, off); repeatable; wins over the file', collect, [] as string[])
    .option('--verify', 'check each index finding on an embedded Postgres planner (PGlite): the plan now and with the proposed index')
    .addHelpText('after', SCAN_HELP_NOTES)
    .exitOverride()
    .action(async (paths: string[], raw: RawScanOptions) => {
      exitCode = await runScan(validateScanOptions(paths, raw, rules), rules, io);
    });

  program
    .command('rules')
    .description('list the rules: id, skill, default severity, whether fixable, title')
    .exitOverride()
    .action(() => listRules(rules, io));

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT_OK;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version arrive here as "errors" with exit code 0; commander already printed them.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`backend-advisor: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`backend-advisor: internal error, the scan did not complete. Please report this with the output below.\n${detail}\n`);
    return EXIT_USAGE;
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
