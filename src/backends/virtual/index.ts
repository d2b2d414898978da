import type { BackendFactory } from '../../bus/backend.js';
import { HeraldError } from '../../errors/herald-error.js';
import { VirtualBackend } from './virtual-backend.js';
import { parseVirtualSocket } from './virtual-socket.js';

/** `virtual:FAILOVER|ROUND-ROBIN|PARALLEL child … [failover_timeout=S]` (docs/backends/virtual.md). */
export const virtualBackend: BackendFactory = {
  transport: 'virtual',
  description: 'OpenSIPS event_virtual: FAILOVER, ROUND-ROBIN or PARALLEL over child sockets (docs/backends/virtual.md).',
  // Every child may be written to, so every child's hosts are checked.
  destinations: (address, ctx) => parseVirtualSocket(address.socket).children.flatMap((child) => ctx.destinationsOf(child)),
  create(address, ctx) {
    const spec = parseVirtualSocket(address.socket);
    if (ctx.createBackend === undefined) throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${address.socket}: this bus cannot build child backends`);
    const create = ctx.createBackend;
    return new VirtualBackend(spec, spec.children.map((child) => create(child)));
  },
};
