import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Helpers the process-level benchmarks share: free ports and TypeScript children started through tsx. */

export const ROOT = new URL('..', import.meta.url).pathname;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface StartChildOptions {
  /** Node flags placed after `--import tsx` (e.g. another `--import` of a .ts file). */
  readonly nodeArgs?: readonly string[];
  /** An IPC channel to the child (process.send / child.on('message')). */
  readonly ipc?: boolean;
  /** Load tsx (default true): false for a child running compiled JavaScript only. */
  readonly tsx?: boolean;
}

/** Starts `node [--import tsx] …args` and resolves once its stdout matches `ready`. */
export function startChild(args: string[], ready: RegExp, options: StartChildOptions = {}): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const stdio = options.ipc === true ? ['ignore', 'pipe', 'pipe', 'ipc'] as const : ['ignore', 'pipe', 'pipe'] as const;
  const child = spawn(process.execPath, [...options.tsx === false ? [] : ['--import', 'tsx'], ...options.nodeArgs ?? [], ...args], { cwd: ROOT, stdio: [...stdio], env: { ...process.env, HERALD_CONFIG: '' } });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = ready.exec(out);
      if (match !== null) resolve({ child, match });
    });
    child.stderr?.on('data', (chunk: Buffer) => { err += chunk; });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${err}`)));
  });
}
