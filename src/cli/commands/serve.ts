import type { Command } from 'commander';
import type { Daemon } from '../../serve/serve.js';

/**
 * Resolves on the first SIGINT/SIGTERM; a second one exits at once. Installed
 * before start-up, so a signal that lands while the daemon is still starting is
 * not lost to Node's default handler (which would exit without flushing).
 */
function untilSignal(): { promise: Promise<NodeJS.Signals>; dispose(): void } {
  let signals = 0;
  let resolveSignal: (signal: NodeJS.Signals) => void = () => {};
  const promise = new Promise<NodeJS.Signals>((resolve) => { resolveSignal = resolve; });
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      process.stderr.write(`Second ${signal}: exiting now.\n`);
      process.exit(130);
    }
    resolveSignal(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    promise,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

async function stopDaemon(daemon: Daemon, signal: NodeJS.Signals): Promise<void> {
  daemon.runtime.logger.info({ signal }, 'Shutting down: flushing queued events.');
  try {
    await daemon.stop();
  } catch (error) {
    daemon.runtime.logger.error({ err: error }, 'Shutdown failed.');
  }
}

/** `herald serve`: runs the daemon until SIGINT/SIGTERM, then flushes and exits 0. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the Herald daemon (MI, collectors, subscribers) from herald.yaml or embedded defaults.')
    .option('-c, --config <path>', 'config file (default: $HERALD_CONFIG, else embedded defaults)')
    .action(async (options: { config?: string }) => {
      const signal = untilSignal();
      try {
        // Loaded here, not at the top: every other verb would pay for the whole daemon's imports.
        const { startDaemon } = await import('../../serve/serve.js');
        const daemon = await startDaemon(options.config !== undefined ? { configPath: options.config } : {});
        daemon.runtime.announce('herald ready; Ctrl-C to stop');
        await stopDaemon(daemon, await signal.promise);
        daemon.runtime.announce('herald stopped');
      } finally {
        signal.dispose();
      }
    });
}
