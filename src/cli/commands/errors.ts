import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { errorCodeRows, renderErrorsMarkdown } from '../errors-page.js';
import { formatTable, printJson } from '../table.js';

/** Where `--markdown` writes when given no file, relative to the working directory. */
export const DEFAULT_ERRORS_DOC = 'docs/errors.md';

/** `herald errors`: lists every stable error code, as a table, JSON, or the docs/errors.md page. */
export function registerErrors(program: Command): void {
  program
    .command('errors')
    .description('List the stable error codes (HERALD_ERR_*): what each means and what to do.')
    .option('--json', 'print the codes as JSON')
    .option('--markdown [file]', `write the reference page (default ${DEFAULT_ERRORS_DOC}) and print its path`)
    .action((options: { json?: boolean; markdown?: string | boolean }) => {
      if (options.markdown !== undefined) {
        const path = resolve(typeof options.markdown === 'string' ? options.markdown : DEFAULT_ERRORS_DOC);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, renderErrorsMarkdown());
        process.stdout.write(`${path}\n`);
      } else if (options.json === true) {
        printJson(errorCodeRows());
      } else {
        const rows = errorCodeRows().map((row) => [row.code, row.rpcCode, row.meaning]);
        process.stdout.write(`${formatTable(['CODE', 'MI', 'MEANING'], rows)}\n`);
      }
    });
}
