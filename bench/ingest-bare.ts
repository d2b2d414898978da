import { createSocket } from 'node:dgram';

/*
 * The ceiling for `npm run bench -- ingest`: a bare Node dgram socket with the same
 * 4 MiB receive buffer as Herald's collectors, counting datagrams and nothing else.
 * Prints `ready <port>`; answers { received } to any IPC message.
 */
const RECV_BUFFER_BYTES = Number(process.argv[2] ?? 4 * 1024 * 1024);
let received = 0;
const socket = createSocket({ type: 'udp4', recvBufferSize: RECV_BUFFER_BYTES });
socket.on('message', () => { received++; });
socket.bind(0, '127.0.0.1', () => process.stdout.write(`ready ${socket.address().port}\n`));
process.on('message', () => process.send?.({ received }));
