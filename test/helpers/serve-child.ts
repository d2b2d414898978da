import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { TestContext } from 'node:test';
import { CLI_ENTRY } from '../../bench/cli-entry.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** `herald serve` as a child process, as operators run it. */
export interface ServeChild {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Its own temp directory: herald.yaml, and the data dir `data/`. */
  readonly dir: string;
  readonly configPath: string;
  /** What it printed so far. */
  stdout(): string;
  stderr(): string;
  /** SIGKILL (after a SIGCONT, in case the test stopped it); resolves once it is gone. */
  kill(): Promise<void>;
}

export interface ServeChildOptions {
  /** Names the temp directory: `herald-<prefix>-…`. */
  readonly prefix: string;
  /** herald.yaml beyond the data dir in `dir`, warnings only and MI on a port the OS chooses; given the directory. */
  readonly config: (dir: string) => Record<string, unknown>;
  /** Node arguments that run the CLI; by default the compiled one when fresh (bench/cli-entry.ts). */
  readonly entry?: readonly string[];
}

/**
 * Starts `herald serve` on its own config and resolves once it printed `herald ready`;
 * rejects with its stderr if it exits first. Killed and its directory removed after the test.
 */
export async function startServeChild(t: TestContext, options: ServeChildOptions): Promise<ServeChild> {
  const dir = await mkdtemp(join(tmpdir(), `herald-${options.prefix}-`));
  const configPath = join(dir, 'herald.yaml');
  await writeFile(configPath, JSON.stringify({
    data_dir: join(dir, 'data'), log: { level: 'warning' }, mi: { listen: '127.0.0.1:0' }, ...options.config(dir),
  }));
  const child = spawn(process.execPath, [...(options.entry ?? CLI_ENTRY), 'serve', '--config', configPath], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HERALD_CONFIG: '' },
  });
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  };
  t.after(async () => {
    await kill();
    await rm(dir, { recursive: true, force: true });
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => { if (stdout.includes('herald ready')) resolve(); });
    child.once('exit', (code) => reject(new Error(`herald serve exited ${code}: ${stderr}`)));
  });
  return { child, dir, configPath, stdout: () => stdout, stderr: () => stderr, kill };
}
