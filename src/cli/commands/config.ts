import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { renderConfigMarkdown } from '../../config/config-docs.js';
import { loadConfig } from '../../config/load.js';
import { printJson } from '../table.js';

/** `herald config`: validate a config file and print the effective config, or write docs/config.md. */
export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('Validate herald.yaml as herald serve would (subscribers, events, filters, profiles, addresses) and print the effective config (defaults applied).')
    .option('-c, --config <path>', 'config file (default: $HERALD_CONFIG, else embedded defaults)')
    .option('--markdown [file]', 'write the configuration reference (default docs/config.md)')
    .option('--json', 'print as JSON (the default output is JSON too, for copy-paste into YAML tools)')
    .action(async (options: { config?: string; markdown?: string | boolean }) => {
      if (options.markdown !== undefined) {
        const file = typeof options.markdown === 'string' ? options.markdown : 'docs/config.md';
        await writeFile(file, renderConfigMarkdown());
        process.stdout.write(`wrote ${file}\n`);
        return;
      }
      const { config, path } = await loadConfig(options.config);
      // Loaded on use: the check pulls in every service's config parser.
      const { checkServeConfig } = await import('../../serve/check-config.js');
      checkServeConfig(config, path ?? 'the embedded defaults');
      printJson({ path: path ?? null, config });
    });
}
