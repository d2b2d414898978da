import { connect } from 'node:net';

/**
 * Writes raw bytes to host:port and resolves with whatever comes back before the server
 * closes the connection, or '' plus whatever came when `waitMs` pass first (the bound only
 * keeps a broken server from hanging the test; assertions never depend on it).
 */
export function rawExchange(address: { readonly host: string; readonly port: number }, bytes: string | Buffer, waitMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: address.host, port: address.port });
    let received = '';
    socket.on('data', (chunk) => { received += chunk.toString('latin1'); });
    socket.on('error', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.setTimeout(waitMs, () => socket.destroy());
    // Half-closing would end a stalled request early: the socket stays open until the server acts.
    socket.write(bytes);
  });
}
