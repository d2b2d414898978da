import { exitQuietlyOnClosedPipe } from './closed-pipe.js';
import { runCli } from './main.js';

exitQuietlyOnClosedPipe(process.stdout);
exitQuietlyOnClosedPipe(process.stderr);
// Exit only after stdout drains, so piped --json output is never cut.
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// A handle left open by a dependency must not keep a finished command alive.
setTimeout(() => process.exit(code), 2000).unref();
