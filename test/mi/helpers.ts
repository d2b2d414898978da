import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createLogger, type Logger } from '../../src/log/logger.js';
import { startDaemon, type Daemon } from '../../src/serve/serve.js';
import type { MiAddress } from '../../src/mi/service.js';
import { findLocalToken } from '../../src/cli/token-lookup.js';

export interface TestDaemon {
  readonly daemon: Daemon;
  /** Base URL, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  readonly dir: string;
  /** The one directory under files.roots. */
  readonly root: string;
  readonly announced: readonly string[];
  /** herald.yaml of this daemon. */
  readonly configPath: string;
  /** The daemon's token as the CLI finds it (undefined when it runs without one). */
  readonly token: string | undefined;
  /** `Authorization` header carrying the token, or nothing. */
  readonly auth: Record<string, string>;
  /** Environment for a CLI child: HERALD_URL, and HERALD_CONFIG so it finds the token file by itself. */
  readonly cliEnv: Record<string, string>;
  /** POSTs a raw body to /mi with the token (unless `headers` sets authorization). */
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  /** One JSON-RPC call with id 1; returns the parsed response object. */
  call(method: string, params?: unknown, headers?: Record<string, string>): Promise<RpcReply>;
  /** Like call, but returns the result and fails the test on an error. */
  result<T = unknown>(method: string, params?: unknown): Promise<T>;
}

export interface RpcReply {
  readonly jsonrpc: '2.0';
  readonly id: unknown;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: unknown };
}

/** Writes a herald.yaml (JSON is YAML) into a fresh temp dir. Collectors and core events off, no default subscriber. */
export async function writeTestConfig(mi: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'herald-mi-'));
  const root = join(dir, 'files');
  await mkdir(root);
  const config = {
    data_dir: join(dir, 'data'),
    log: { level: 'silent' },
    files: { roots: [root] },
    subscribers: [],
    hep: { enabled: false },
    sip: { enabled: false },
    ingest: { http: { enabled: false }, opensips: { enabled: false } },
    // Core events (E_CORE_TCP_DISCONNECT for every closed HTTP connection…) would be noise in stream assertions.
    core_events: { enabled: false },
    mi: { listen: '127.0.0.1:0', ...mi },
    // Tests read what they subscribe through memory:NAME; a daemon refuses it unless asked.
    delivery: { memory_transport: true },
    ...extra,
  };
  const configPath = join(dir, 'herald.yaml');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  return { dir, root, configPath };
}

/** Starts a real daemon on a free port; stops it and removes its files after the test. */
export async function startTestDaemon(
  t: TestContext,
  options: { mi?: Record<string, unknown>; extra?: Record<string, unknown>; env?: Record<string, string>; logger?: Logger } = {},
): Promise<TestDaemon> {
  const { dir, root, configPath } = await writeTestConfig(options.mi, options.extra);
  const announced: string[] = [];
  const daemon = await startDaemon({ configPath, env: options.env ?? {}, announce: (line) => announced.push(line), logger: options.logger });
  t.after(async () => {
    await daemon.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const address = daemon.runtime.slots.get('mi.address') as MiAddress;
  const url = address.url;
  const token = await testToken(configPath, options.env, options.mi?.token);
  const auth: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/mi`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth, ...headers }, body });
  const call = async (method: string, params?: unknown, headers?: Record<string, string>) => {
    const response = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params !== undefined ? { params } : {}) }), headers);
    return (await response.json()) as RpcReply;
  };
  const result = async <T>(method: string, params?: unknown) => {
    const reply = await call(method, params);
    if (reply.error !== undefined) throw new Error(`${method} failed: ${reply.error.code} ${reply.error.message}`);
    return reply.result as T;
  };
  const cliEnv = { HERALD_URL: url, HERALD_CONFIG: configPath };
  return { daemon, url, dir, root, announced, configPath, token, auth, cliEnv, post, call, result };
}

/** The token a client of this daemon uses: HERALD_TOKEN or mi.token if the daemon got one, else the file the CLI finds. */
async function testToken(configPath: string, env: Record<string, string> | undefined, configured: unknown): Promise<string | undefined> {
  if (env?.HERALD_TOKEN !== undefined) return env.HERALD_TOKEN;
  if (typeof configured === 'string') return configured;
  return (await findLocalToken({ env: { HERALD_CONFIG: configPath } })).token;
}

/** A logger whose lines (parsed JSON) land in the returned array. */
export function capturingLogger(level = 'info'): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}
