import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { generatedSection, replaceGeneratedSection } from '../../mi/docs.js';
import { CliExit, EXIT } from '../exit-codes.js';

/** Hidden `herald mi-docs [--write FILE]`: regenerates the command reference in docs/mi.md. */
export function registerMiDocs(program: Command): void {
  program
    .command('mi-docs', { hidden: true })
    .description('Print (or --write into FILE) the generated MI command reference.')
    .option('--write <file>', 'replace the generated section of this file, e.g. docs/mi.md')
    .action(async (flags: { write?: string }) => {
      const { generateMiDocs } = await import('../mi-docs-generate.js'); // boots a daemon: load only for this verb
      const { markdown } = await generateMiDocs();
      if (flags.write === undefined) {
        process.stdout.write(`${markdown}\n`);
        return;
      }
      let doc = '';
      try {
        doc = await readFile(flags.write, 'utf8');
      } catch (error) {
        throw new CliExit(EXIT.USAGE, `herald mi-docs: cannot read ${flags.write}: ${(error as Error).message}`);
      }
      if (generatedSection(doc) === markdown) {
        process.stdout.write(`${flags.write} is up to date\n`);
        return;
      }
      await writeFile(flags.write, replaceGeneratedSection(doc, markdown));
      process.stdout.write(`updated ${flags.write}\n`);
    });
}
