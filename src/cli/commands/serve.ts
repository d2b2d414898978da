import type { Command } from 'commander';
import { startDaemon } from '../../serve/serve.js';

/** `herald serve`: runs the daemon until SIGINT/SIGTERM; a second signal exits at once. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the Herald daemon (MI, collectors, subscribers) from herald.yaml or embedded defaults.')
    .option('-c, --config <path>', 'config file (default: $HERALD_CONFIG, else embedded defaults)')
    .action(async (options: { config?: string }) => {
      const daemon = await startDaemon(options.config !== undefined ? { configPath: options.config } : {});
      daemon.runtime.announce('herald ready; Ctrl-C to stop');
      await new Promise<void>((resolve) => {
        let signals = 0;
        const onSignal = (signal: NodeJS.Signals) => {
          signals++;
          if (signals > 1) {
            process.stderr.write(`Second ${signal}: exiting now.\n`);
            process.exit(130);
          }
          daemon.runtime.logger.info({ signal }, 'Shutting down: flushing queued events.');
          void daemon.stop().then(resolve, (error: unknown) => {
            daemon.runtime.logger.error({ err: error }, 'Shutdown failed.');
            resolve();
          });
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
      daemon.runtime.announce('herald stopped');
    });
}
