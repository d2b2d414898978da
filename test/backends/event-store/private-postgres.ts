import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { freePort } from '../../helpers/free-port.js';

/** A PostgreSQL cluster of the test's own (initdb on a free port), so the test can kill it. */
export interface PrivatePostgres {
  readonly url: string;
  start(): void;
  /** `pg_ctl stop -m immediate`: the server dies as in a crash. */
  kill(): void;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).sort().pop();
  return version === undefined ? undefined : join(root, version, 'bin');
}

/** Skips (or fails with HERALD_REQUIRE_SERVICES=1) when PostgreSQL's binaries are missing. */
export async function privatePostgres(t: TestContext): Promise<PrivatePostgres | undefined> {
  const bin = binDir();
  if (bin === undefined || !existsSync(join(bin, 'initdb'))) {
    const reason = 'PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql';
    if (process.env.HERALD_REQUIRE_SERVICES === '1') throw new Error(`${reason} (HERALD_REQUIRE_SERVICES=1)`);
    t.skip(reason);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'herald-pg-'));
  // initdb refuses to run as root: run the cluster as the postgres user then.
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: readonly string[]) => {
    const command = asRoot ? 'runuser' : join(bin, tool);
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : [...args];
    execFileSync(command, argv, { stdio: 'ignore' });
  };
  if (asRoot) {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim()));
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const start = () => run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const kill = () => run('pg_ctl', ['-D', data, '-w', '-m', 'immediate', 'stop']);
  t.after(() => {
    try {
      kill();
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  });
  start();
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, start, kill };
}
