import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { parseDocument } from 'yaml';
import { HeraldError } from '../errors/herald-error.js';
import { schemaProblems } from './schema-problems.js';
import { ConfigSchema, type HeraldConfig } from './schema.js';

/** A loaded, validated, frozen config plus where it came from. */
export interface LoadedConfig {
  readonly config: HeraldConfig;
  /** The file read, or undefined when running on embedded defaults. */
  readonly path: string | undefined;
}

export type ConfigEnv = Readonly<Record<string, string | undefined>>;

/**
 * Loads herald.yaml: explicit path, else HERALD_CONFIG, else embedded defaults.
 * Environment overrides secrets (HERALD_TOKEN) and the data dir (HERALD_DATA_DIR). Every problem is reported at once,
 * each with its key path.
 * @throws HeraldError HERALD_ERR_CONFIG
 */
export async function loadConfig(path: string | undefined, env: ConfigEnv = process.env): Promise<LoadedConfig> {
  const file = path ?? env.HERALD_CONFIG;
  if (file === undefined || file === '') return { config: parseConfig({}, env), path: undefined };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new HeraldError('HERALD_ERR_CONFIG', `Cannot read config file ${file}: ${(error as Error).message}`, { cause: error });
  }
  return { config: parseConfigText(text, env, file), path: resolve(file) };
}

export function parseConfigText(text: string, env: ConfigEnv = {}, origin = 'herald.yaml'): HeraldConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((error) => `  ${origin}: ${error.message.split('\n')[0]}`);
    throw new HeraldError('HERALD_ERR_CONFIG', `Invalid YAML in ${origin}:\n${lines.join('\n')}`);
  }
  return parseConfig(doc.toJS() ?? {}, env, origin);
}

/** Validates a plain object as config. */
export function parseConfig(input: unknown, env: ConfigEnv = {}, origin = 'config'): HeraldConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HeraldError('HERALD_ERR_CONFIG', `${origin}: the top level must be a mapping of keys`);
  }
  const candidate = Value.Default(ConfigSchema, structuredClone(input)) as Record<string, unknown>;
  applyEnv(candidate, env);
  const problems = schemaProblems(ConfigSchema, candidate).map(
    (problem) => `  ${keyPath(problem.path)}: ${problem.message}${problem.message.includes('(got ') ? '' : describeValue(problem.value)}`,
  );
  if (problems.length === 0) problems.push(...crossKeyProblems(candidate as HeraldConfig));
  if (problems.length > 0) {
    throw new HeraldError('HERALD_ERR_CONFIG', `Invalid config in ${origin}:\n${[...new Set(problems)].join('\n')}`);
  }
  return deepFreeze(candidate as HeraldConfig);
}

/** Rules between keys, checked once every key is valid on its own. */
function crossKeyProblems(config: HeraldConfig): string[] {
  const max = Number.parseInt(config.files.max_permissions, 8);
  const problems: string[] = [];
  for (const section of ['flatstore', 'jsonl'] as const) {
    const mode = config[section].file_permissions;
    if ((Number.parseInt(mode, 8) & ~max) !== 0) {
      problems.push(`  ${section}.file_permissions: "${mode}" allows more than files.max_permissions ("${config.files.max_permissions}")`);
    }
  }
  return problems;
}

function applyEnv(candidate: Record<string, unknown>, env: ConfigEnv): void {
  // The CLI looks for mi.token under HERALD_DATA_DIR too, so daemon and CLI agree on one place.
  const dataDir = env.HERALD_DATA_DIR;
  if (dataDir !== undefined && dataDir !== '') candidate.data_dir = dataDir;
  const token = env.HERALD_TOKEN;
  if (token !== undefined && token !== '') {
    const mi = (candidate.mi ?? {}) as Record<string, unknown>;
    candidate.mi = { ...mi, token };
  }
}

/** `/mi/listen` → `mi.listen`; `/subscribers/0/socket` → `subscribers[0].socket`. */
function keyPath(pointer: string): string {
  if (pointer === '') return '(top level)';
  return pointer.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out === '' ? part : `${out}.${part}`), '');
}

function describeValue(value: unknown): string {
  if (value === undefined || typeof value === 'object') return '';
  return ` (got ${JSON.stringify(value)})`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
