import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reachable } from '../../src/testing/services.js';

/** A broker of the bench's own on a free loopback port, with a temp directory; so the bench never loads the shared one. */
export interface PrivateServer {
  readonly port: number;
  readonly dir: string;
  stop(): void;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `binary` with `args(port, dir)`; resolves once it listens, or with why it could not start (the case is skipped). */
export async function privateServer(binary: string, args: (port: number, dir: string) => readonly string[]): Promise<PrivateServer | string> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `herald-bench-${binary}-`));
  const child = spawn(binary, [...args(port, dir)], { stdio: 'ignore' });
  let failed = '';
  child.on('error', (error) => {
    failed = error.message;
  });
  const stop = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100 && failed === '' && !(await reachable('127.0.0.1', port)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (failed !== '' || !(await reachable('127.0.0.1', port))) {
    stop();
    return `${binary} did not start${failed === '' ? '' : `: ${failed}`}`;
  }
  return { port, dir, stop };
}
