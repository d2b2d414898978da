import { Command, CommanderError } from 'commander';
import { isHeraldError } from '../errors/herald-error.js';
import { heraldVersion } from '../mi/version.js';
import { COMMANDS } from './commands/index.js';
import { CliExit, EXIT } from './exit-codes.js';

export function buildProgram(): Command {
  const program = new Command('herald')
    .description('Herald: event interface and message tracing for servers.')
    .version(heraldVersion())
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI and returns the exit code (0 ok, 1 server error, 2 usage, 3 cannot connect). */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (error instanceof CliExit) {
      if (error.message !== '') process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (isHeraldError(error)) {
      // The stable code first, so scripts can match it (docs/errors.md lists them all).
      process.stderr.write(`herald: ${error.code}: ${error.message}\n`);
      return error.code === 'HERALD_ERR_CONFIG' ? EXIT.USAGE : EXIT.SERVER_ERROR;
    }
    process.stderr.write(`herald: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.SERVER_ERROR;
  }
}
