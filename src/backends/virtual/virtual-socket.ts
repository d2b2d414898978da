import { HeraldError } from '../../errors/herald-error.js';

/** OpenSIPS event_virtual's policies. */
export type VirtualPolicy = 'FAILOVER' | 'ROUND-ROBIN' | 'PARALLEL';

export interface VirtualSocket {
  readonly policy: VirtualPolicy;
  readonly children: readonly string[];
  /** How long a child that failed is skipped. */
  readonly failoverTimeoutMs: number;
}

const POLICIES: readonly VirtualPolicy[] = ['FAILOVER', 'ROUND-ROBIN', 'PARALLEL'];
const DEFAULT_FAILOVER_TIMEOUT_S = 30;

/**
 * `virtual:POLICY child1 child2 … [failover_timeout=SECONDS]`, read from the whole socket:
 * children carry their own `?options`, which the generic socket parser would take as the
 * virtual socket's.
 * @throws HeraldError HERALD_ERR_BAD_SOCKET
 */
export function parseVirtualSocket(socket: string): VirtualSocket {
  const [policyText, ...rest] = socket.slice(socket.indexOf(':') + 1).trim().split(/\s+/);
  const policy = POLICIES.find((candidate) => candidate === policyText.toUpperCase());
  if (policy === undefined) {
    throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: the policy must be one of ${POLICIES.join(', ')} (virtual:FAILOVER udp:… tcp:…)`);
  }
  let failoverTimeoutS = DEFAULT_FAILOVER_TIMEOUT_S;
  const children: string[] = [];
  for (const token of rest) {
    const timeout = /^failover_timeout=(\d{1,6})$/.exec(token);
    if (timeout !== null) failoverTimeoutS = Number(timeout[1]);
    else if (token.startsWith('virtual:')) throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: a virtual socket cannot contain another`);
    else children.push(token);
  }
  if (children.length === 0) throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: name at least one child socket after ${policy}`);
  return { policy, children, failoverTimeoutMs: failoverTimeoutS * 1000 };
}
