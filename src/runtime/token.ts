import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HeraldError } from '../errors/herald-error.js';
import type { Logger } from '../log/logger.js';

/** The file in the data dir that holds a generated token. */
export const TOKEN_FILE = 'mi.token';
const MIN_TOKEN_CHARS = 16;

export interface MiAuthPolicy {
  /** The token every call must carry; undefined means calls need none (loopback only). */
  readonly token: string | undefined;
  /** Where the token came from, for the start-up line. */
  readonly source: 'config' | 'file' | 'none';
}

export interface AuthOptions {
  /** `mi.token`, already overridden by HERALD_TOKEN by the config loader. */
  readonly configuredToken: string | undefined;
  readonly requireToken: boolean;
  readonly loopback: boolean;
  readonly listen: string;
  readonly dataDir: string;
  readonly logger: Logger;
}

/**
 * Decides whether calls need a bearer token, and which:
 * - a token from config or HERALD_TOKEN is always enforced;
 * - else `mi.require_token: true` (the default) enforces one generated into `<data_dir>/mi.token`;
 * - else loopback runs without one, with a warning (any local user reaches 127.0.0.1),
 *   and any other address refuses to start.
 * @throws HeraldError HERALD_ERR_CONFIG when the address is exposed and no token is set.
 */
export async function resolveAuthPolicy(options: AuthOptions): Promise<MiAuthPolicy> {
  if (options.configuredToken !== undefined && options.configuredToken !== '') {
    return { token: options.configuredToken, source: 'config' };
  }
  if (options.requireToken) return { token: await loadOrCreateToken(options.dataDir, options.logger), source: 'file' };
  if (options.loopback) {
    options.logger.warn({ listen: options.listen },
      'The management interface takes calls without a token (mi.require_token: false): every local user can drive this daemon.');
    return { token: undefined, source: 'none' };
  }
  throw new HeraldError('HERALD_ERR_CONFIG',
    `Refusing to start the management interface on ${options.listen}: it is not a loopback address, so every call must carry a `
    + 'bearer token, and none is set. Set mi.token (or HERALD_TOKEN), or mi.require_token: true to generate one into '
    + `${join(options.dataDir, TOKEN_FILE)}, or listen on 127.0.0.1.`);
}

/** Reads `<data_dir>/mi.token`, creating it (mode 0600) on first start. */
export async function loadOrCreateToken(dataDir: string, logger: Logger): Promise<string> {
  const path = join(dataDir, TOKEN_FILE);
  const token = randomBytes(24).toString('base64url');
  try {
    // 'wx' fails if the file exists, so two starts racing never overwrite each other's token.
    await writeFile(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
    logger.info({ path }, 'Generated the management interface token.');
    return token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new HeraldError('HERALD_ERR_CONFIG', `Cannot create the token file ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  return readTokenFile(path, logger);
}

async function readTokenFile(path: string, logger: Logger): Promise<string> {
  const info = await stat(path);
  if ((info.mode & 0o077) !== 0) {
    await chmod(path, 0o600);
    logger.warn({ path, mode: (info.mode & 0o777).toString(8) }, 'The token file was readable by others; its mode is now 0600.');
  }
  const token = (await readFile(path, 'utf8')).trim();
  if (token.length < MIN_TOKEN_CHARS) {
    throw new HeraldError('HERALD_ERR_CONFIG', `The token in ${path} is shorter than ${MIN_TOKEN_CHARS} characters; delete the file to generate a new one`);
  }
  return token;
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it holds. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}

/** Compares a presented token with the expected one in constant time (digests first, so lengths do not leak). */
export function sameToken(expected: string, presented: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(expected), digest(presented));
}

/** Compares a presented bearer token with the expected one in constant time. */
export function tokenMatches(expected: string, authorization: string | undefined): boolean {
  const presented = bearerToken(authorization);
  return presented !== undefined && sameToken(expected, presented);
}
