import type { Catalogue, CatalogueQuery } from './catalogue.js';
import type { EventDef } from './define.js';
import type { ParamKind } from './params.js';

/** One param as `herald events --json` prints it. */
export interface CatalogueParamJson {
  readonly name: string;
  readonly type: ParamKind;
  readonly optional: boolean;
  readonly description: string;
  /** The ancestor event that declared the param, when it is inherited. */
  readonly inheritedFrom?: string;
}

/** One event as `herald events --json` prints it; absent values are `null`, so every key is always there. */
export interface CatalogueEventJson {
  readonly name: string;
  readonly pack: string;
  readonly category: string;
  readonly level: string;
  readonly description: string;
  readonly parent: string | null;
  readonly pairedWith: string | null;
  readonly cause: string | null;
  readonly snapshot: boolean;
  readonly summary: string | null;
  readonly params: readonly CatalogueParamJson[];
}

/**
 * The event that declared `param`: the farthest ancestor still holding the
 * very same spec. A child that redeclares a param holds a new spec, so it is
 * the origin of its override.
 */
export function paramOrigin(def: EventDef, param: string): EventDef {
  let origin = def;
  for (let ancestor = def.parent; ancestor !== undefined; ancestor = ancestor.parent) {
    if (ancestor.params[param] !== def.params[param]) break;
    origin = ancestor;
  }
  return origin;
}

function paramsToJson(def: EventDef): CatalogueParamJson[] {
  return def.paramNames.map((name) => {
    const spec = def.params[name];
    const origin = paramOrigin(def, name);
    const base = { name, type: spec.kind, optional: spec.isOptional, description: spec.description };
    return origin === def ? base : { ...base, inheritedFrom: origin.name };
  });
}

export function eventToJson(def: EventDef): CatalogueEventJson {
  return {
    name: def.name,
    pack: def.pack,
    category: def.category,
    level: def.level,
    description: def.description,
    parent: def.parent?.name ?? null,
    pairedWith: def.pairedWith ?? null,
    cause: def.cause ?? null,
    snapshot: def.snapshot,
    summary: def.summary ?? null,
    params: paramsToJson(def),
  };
}

/** The catalogue (optionally narrowed to a pack and/or category) as plain JSON, in catalogue order. */
export function catalogueToJson(catalogue: Catalogue, query: CatalogueQuery = {}): CatalogueEventJson[] {
  return catalogue.list(query).map(eventToJson);
}

const PARAM_TYPES_LINE =
  'Param types: `int` (64-bit safe integer), `float`, `bool`, `string`, `ip`, `port`, '
  + '`duration` (microseconds), `timestamp` (Unix time in seconds), `string_list`, `json`.';

const INTRO = [
  'Every event Herald knows, declared once in a pack under `src/events/packs/`. The same declaration gives the',
  'TypeScript type, the validator, the serializers and this page.',
  '',
  '- **level**: the level the event is raised at unless a raise overrides it; subscriptions filter on it.',
  "- **parent**: the event inherits its parent's params; a param declared again replaces the parent's.",
  '  This is the declared parent. At run time a raise can also name a parent event or operation (Dovecot\'s',
  '  event tree): the child then carries that parent\'s params, flattened into its own record after its',
  '  declared ones (docs/metrics.md, "Parent events").',
  '- **paired with**: the other half of a pair (`_started`/`_finished`, connected/disconnected, started/stopped).',
  '- **cause**: the cause recorded when a raise gives none. **snapshot**: whether raises carry a JSON snapshot.',
  '- **summary**: the one-line summary template; `{param}` is replaced by the param value.',
  '',
  PARAM_TYPES_LINE,
];

/** Anchors are lower-case so links survive renderers that fold case. */
function eventAnchor(name: string): string {
  return `event-${name.toLowerCase()}`;
}

function packAnchor(pack: string): string {
  return `pack-${pack.toLowerCase()}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function code(text: string): string {
  return `\`${text}\``;
}

/** Makes text safe inside a table cell: no pipes breaking columns, no line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function eventLink(catalogue: Catalogue, name: string | undefined): string {
  if (name === undefined) return '—';
  return catalogue.has(name) ? `[${code(name)}](#${eventAnchor(name)})` : code(name);
}

function groupByCategory(defs: readonly EventDef[]): Map<string, EventDef[]> {
  const groups = new Map<string, EventDef[]>();
  for (const def of defs) {
    const group = groups.get(def.category) ?? [];
    group.push(def);
    groups.set(def.category, group);
  }
  return groups;
}

function renderContents(catalogue: Catalogue): string[] {
  const lines = ['## Contents', ''];
  for (const pack of catalogue.packs()) {
    const defs = catalogue.list({ pack });
    lines.push(`- [Pack ${code(pack)}](#${packAnchor(pack)}) (${plural(defs.length, 'event')})`);
    for (const [category, group] of groupByCategory(defs)) {
      const links = group.map((def) => `[${code(def.name)}](#${eventAnchor(def.name)})`);
      lines.push(`  - ${code(category)}: ${links.join(', ')}`);
    }
  }
  return lines;
}

function renderProperties(catalogue: Catalogue, def: EventDef): string[] {
  const rows: Array<[string, string]> = [
    ['pack', code(def.pack)],
    ['category', code(def.category)],
    ['level', code(def.level)],
    ['parent', eventLink(catalogue, def.parent?.name)],
    ['paired with', eventLink(catalogue, def.pairedWith)],
    ['cause', def.cause === undefined ? '—' : code(cell(def.cause))],
    ['snapshot', def.snapshot ? 'yes' : 'no'],
    ['summary', def.summary === undefined ? '—' : code(cell(def.summary))],
  ];
  return ['| property | value |', '|---|---|', ...rows.map(([key, value]) => `| ${key} | ${value} |`)];
}

function renderParams(catalogue: Catalogue, def: EventDef): string[] {
  if (def.paramNames.length === 0) return ['No params.'];
  const rows = paramsToJson(def).map((p) => {
    const inherited = p.inheritedFrom === undefined ? '' : eventLink(catalogue, p.inheritedFrom);
    const presence = p.optional ? 'optional' : 'required';
    return `| ${code(p.name)} | ${code(p.type)} | ${presence} | ${inherited} | ${cell(p.description)} |`;
  });
  return ['| param | type | presence | inherited from | description |', '|---|---|---|---|---|', ...rows];
}

function renderEvent(catalogue: Catalogue, def: EventDef): string[] {
  return [
    `<a id="${eventAnchor(def.name)}"></a>`,
    '',
    `### ${code(def.name)}`,
    '',
    ...renderProperties(catalogue, def),
    '',
    def.description,
    '',
    ...renderParams(catalogue, def),
    '',
  ];
}

/**
 * The reference page `docs/events.md`: intro, contents, then every event of
 * every pack in catalogue order. Deterministic, so a test can fail on a stale page.
 */
export function renderCatalogueMarkdown(catalogue: Catalogue): string {
  const packs = catalogue.packs();
  const lines = [
    '# Event catalogue',
    '',
    '<!-- Generated by `herald events --markdown` from src/events/packs/. Do not edit by hand. -->',
    '',
    `${plural(catalogue.size, 'event')} in ${plural(packs.length, 'pack')}.`,
    '',
    ...INTRO,
    '',
    ...renderContents(catalogue),
    '',
  ];
  for (const pack of packs) {
    lines.push(`<a id="${packAnchor(pack)}"></a>`, '', `## Pack ${code(pack)}`, '');
    for (const def of catalogue.list({ pack })) lines.push(...renderEvent(catalogue, def));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
