import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { Catalogue, type CatalogueQuery } from '../../events/catalogue.js';
import { catalogueToJson, renderCatalogueMarkdown } from '../../events/catalogue-docs.js';
import type { EventDef } from '../../events/define.js';
import { createDefaultCatalogue } from '../../events/packs/index.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { formatTable, printJson } from '../table.js';

/** Where `--markdown` writes when given no file, relative to the working directory. */
export const DEFAULT_EVENTS_DOC = 'docs/events.md';

interface EventsOptions {
  pack?: string;
  category?: string;
  json?: boolean;
  markdown?: string | boolean;
}

/** @throws CliExit (usage) when the pack or category is unknown; the message lists the valid ones. */
function checkQuery(catalogue: Catalogue, query: CatalogueQuery): void {
  if (query.pack !== undefined && !catalogue.packs().includes(query.pack)) {
    throw new CliExit(EXIT.USAGE, `herald events: unknown pack "${query.pack}"; valid packs: ${catalogue.packs().join(', ')}`);
  }
  if (query.category === undefined) return;
  const categories = [...new Set(catalogue.list({ pack: query.pack }).map((def) => def.category))];
  if (!categories.includes(query.category)) {
    throw new CliExit(EXIT.USAGE, `herald events: unknown category "${query.category}"; valid categories: ${categories.join(', ')}`);
  }
}

function writeMarkdown(catalogue: Catalogue, query: CatalogueQuery, target: string | boolean): void {
  const path = resolve(typeof target === 'string' ? target : DEFAULT_EVENTS_DOC);
  const narrowed = query.pack === undefined && query.category === undefined ? catalogue : new Catalogue(catalogue.list(query));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderCatalogueMarkdown(narrowed));
  process.stdout.write(`${path}\n`);
}

/** `name:type` per param, `name?:type` when optional: what `herald raise` must be given. */
function paramsColumn(def: EventDef): string {
  return def.paramNames.map((name) => {
    const spec = def.params[name];
    return `${name}${spec.isOptional ? '?' : ''}:${spec.kind}`;
  }).join(' ');
}

function printTable(catalogue: Catalogue, query: CatalogueQuery): void {
  const rows = catalogue.list(query).map((def) => [def.name, def.pack, def.category, def.level, paramsColumn(def)]);
  process.stdout.write(`${formatTable(['NAME', 'PACK', 'CATEGORY', 'LEVEL', 'PARAMS'], rows)}\n`);
}

/** `herald events`: lists the event catalogue, as a table, JSON, or the docs/events.md page. */
export function registerEvents(program: Command): void {
  program
    .command('events')
    .description('List the event catalogue (every shipped pack), or write its reference page.')
    .option('--pack <pack>', 'only events of this pack (core, dovecot, ovenmediaengine, ...)')
    .option('--category <category>', 'only events of this category')
    .option('--json', 'print the events as JSON')
    .option('--markdown [file]', `write the reference page (default ${DEFAULT_EVENTS_DOC}) and print its path`)
    .action((options: EventsOptions) => {
      const catalogue = createDefaultCatalogue();
      const query: CatalogueQuery = { pack: options.pack, category: options.category };
      checkQuery(catalogue, query);
      if (options.markdown !== undefined) writeMarkdown(catalogue, query, options.markdown);
      else if (options.json === true) printJson(catalogueToJson(catalogue, query));
      else printTable(catalogue, query);
    });
}
