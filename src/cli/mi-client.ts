import type { Command } from 'commander';
import { isLoopbackHost } from '../runtime/listen.js';
import { CliExit, EXIT } from './exit-codes.js';
import { findLocalToken } from './token-lookup.js';

/** Options every verb that talks to the daemon accepts. */
export interface ClientFlags {
  readonly url?: string;
  readonly token?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
}

export const DEFAULT_URL = 'http://127.0.0.1:8888';
const CALL_TIMEOUT_MS = 30_000;

/** Adds --url, --token and --json to a verb. */
export function withClientOptions(command: Command): Command {
  return command
    .option('--url <url>', `daemon address (default: $HERALD_URL, else ${DEFAULT_URL})`)
    .option('--token <token>', 'bearer token (default: $HERALD_TOKEN, else <data_dir>/mi.token of a local daemon)')
    .option('--data-dir <dir>', 'where a local daemon keeps mi.token (default: $HERALD_DATA_DIR, else data_dir of $HERALD_CONFIG, else ./herald-data)')
    .option('--json', 'print JSON for scripts');
}

interface RpcAnswer {
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string };
}

/** Talks JSON-RPC and SSE to one daemon; every failure becomes a CliExit with the contract's exit code. */
export class MiClient {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  /** Where the token came from, or where it was looked for: said on a 401. */
  readonly #tokenNote: string;

  constructor(baseUrl: string, token: string | undefined, tokenNote = token === undefined ? 'no token was given' : 'a token was given') {
    this.baseUrl = baseUrl;
    this.#token = token;
    this.#tokenNote = tokenNote;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.#token === undefined ? extra : { ...extra, authorization: `Bearer ${this.#token}` };
  }

  /** Calls one command (params by name, or by position in the order it declares them) and returns its result. */
  async call<T = unknown>(method: string, params?: Record<string, unknown> | readonly unknown[]): Promise<T> {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params !== undefined ? { params } : {}) });
    const response = await this.fetch('/mi', {
      method: 'POST', headers: this.headers({ 'content-type': 'application/json' }), body, signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    const answer = await this.#readAnswer(response);
    if (answer.error !== undefined) throw new CliExit(EXIT.SERVER_ERROR, `herald: ${method}: ${answer.error.message}`);
    return answer.result as T;
  }

  /** fetch with the exit-3 contract: a refused or silent daemon names the URL tried. */
  async fetch(path: string, init: RequestInit): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    try {
      return await fetch(url, init);
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      const what = (error as Error).name === 'TimeoutError' ? `no answer from ${url} within ${CALL_TIMEOUT_MS / 1000} s` : `cannot connect to ${url} (${cause})`;
      throw new CliExit(EXIT.CANNOT_CONNECT, `herald: ${what}. Is \`herald serve\` running there? Choose the daemon with --url or HERALD_URL.`);
    }
  }

  async #readAnswer(response: Response): Promise<RpcAnswer> {
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      throw new CliExit(EXIT.SERVER_ERROR, `herald: unexpected answer from ${this.baseUrl}/mi (HTTP ${response.status}): ${text.slice(0, 200)}`);
    }
    const answer = parsed as RpcAnswer;
    if (response.status === 401) {
      throw new CliExit(EXIT.SERVER_ERROR,
        `herald: ${answer.error?.message ?? 'unauthorized'}; ${this.#tokenNote}. Give --token, set HERALD_TOKEN, or point --data-dir/HERALD_DATA_DIR at the daemon's data dir`);
    }
    return answer;
  }
}

/** `host:port`, `http://host:port` or `http://host:port/mi` → `http://host:port`. */
export function normaliseUrl(text: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CliExit(EXIT.USAGE, `herald: --url "${text}" is not a URL (e.g. ${DEFAULT_URL})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliExit(EXIT.USAGE, `herald: --url must be http:// or https://, got "${text}"`);
  return `${url.origin}${url.pathname.replace(/\/(mi)?\/?$/, '')}`;
}

/**
 * The client a verb uses: --token, then HERALD_TOKEN, then (for loopback URLs only, so a
 * token file never travels off the machine) a local daemon's `<data_dir>/mi.token`.
 */
export async function clientFrom(flags: ClientFlags, env: NodeJS.ProcessEnv = process.env): Promise<MiClient> {
  const baseUrl = normaliseUrl(flags.url ?? env.HERALD_URL ?? DEFAULT_URL);
  if (flags.token !== undefined) return new MiClient(baseUrl, flags.token, 'the token came from --token');
  if (env.HERALD_TOKEN !== undefined && env.HERALD_TOKEN !== '') return new MiClient(baseUrl, env.HERALD_TOKEN, 'the token came from HERALD_TOKEN');
  if (!isLoopbackHost(new URL(baseUrl).hostname)) {
    return new MiClient(baseUrl, undefined, 'no token was given (a token file is read only for loopback URLs)');
  }
  const found = await findLocalToken({ dataDir: flags.dataDir, env });
  return found.token !== undefined
    ? new MiClient(baseUrl, found.token, `the token came from ${found.tried.at(-1)}`)
    : new MiClient(baseUrl, undefined, `no token file found; looked in ${found.tried.join(', ')}`);
}
