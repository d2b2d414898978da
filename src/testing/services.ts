import { connect } from 'node:net';
import type { TestContext } from 'node:test';

/** Whether something accepts TCP connections on host:port (1.5 s budget). */
export function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Skips the test with a one-line reason when a service is missing, or fails it
 * when HERALD_REQUIRE_SERVICES=1 (CI). Returns true when the service is there.
 */
export async function requireService(t: TestContext, name: string, host: string, port: number): Promise<boolean> {
  if (await reachable(host, port)) return true;
  const reason = `${name} not reachable on ${host}:${port}`;
  if (process.env.HERALD_REQUIRE_SERVICES === '1') throw new Error(`${reason} (HERALD_REQUIRE_SERVICES=1)`);
  t.skip(reason);
  return false;
}
