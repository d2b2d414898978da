import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { recvBufferGrant, recvBufferShortfall } from '../../src/runtime/recv-buffer.js';
import { parseUdpTable } from '../../src/runtime/udp-proc-table.js';
import { UdpSocketDrops } from '../../src/runtime/udp-socket-drops.js';

const HEADER = '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            ';
const HEADER6 = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';

test('rows of /proc/net/udp and udp6 decode: little-endian words, big-endian port, hex rx_queue, decimal inode and drops', () => {
  const v4 = parseUdpTable([
    HEADER,
    ' 9226: 0100007F:B870 00000000:0000 07 00000000:00001B00 00:00000000 00000000     0        0 25071 2 00000000c54744f5 197       ',
    '12803: 00000000:C669 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 25077 2 00000000eb2598f7 0         ',
  ].join('\n'), true);
  assert.deepEqual(v4, [
    { localAddress: '127.0.0.1', localPort: 0xb870, rxQueueBytes: 0x1b00, inode: 25071, drops: 197 },
    { localAddress: '0.0.0.0', localPort: 0xc669, rxQueueBytes: 0, inode: 25077, drops: 0 },
  ]);
  const v6 = parseUdpTable([
    HEADER6,
    ' 4887: 0000000000000000FFFF00000100007F:A77D 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 25072 2 0000000028642d7a 3',
  ].join('\n'), true);
  assert.equal(v6[0]?.localAddress, '0:0:0:0:0:ffff:7f00:1');
  assert.equal(v6[0]?.drops, 3);
  // A big-endian machine prints the words the other way round.
  assert.equal(parseUdpTable(`${HEADER}\n 1: 7F000001:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 1 2 0 0`, false)[0]?.localAddress, '127.0.0.1');
});

async function bound(t: TestContext, type: 'udp4' | 'udp6', host: string, recvBufferSize?: number): Promise<Socket> {
  const socket = createSocket({ type, ...(recvBufferSize !== undefined ? { recvBufferSize } : {}) });
  t.after(() => socket.close());
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  return socket;
}

function identity(socket: Socket) {
  const { address, port, family } = socket.address();
  return { address, port, family: family === 'IPv6' ? 'IPv6' as const : 'IPv4' as const };
}

const onLinux = process.platform === 'linux' && existsSync('/proc/net/udp');

test('a real socket: the drops column counts what a full receive buffer refused, and sent = received + drops', { skip: onLinux ? false : 'needs Linux /proc/net/udp' }, async (t) => {
  const receiver = await bound(t, 'udp4', '127.0.0.1', 4096);
  let received = 0;
  receiver.on('message', () => received++);
  const sender = await bound(t, 'udp4', '127.0.0.1');
  const sent = 200;
  // One synchronous burst: the receiver (same thread) cannot read until it is over, so its 4 KiB buffer overflows.
  for (let i = 0; i < sent; i++) sender.send(Buffer.alloc(1000), receiver.address().port, '127.0.0.1');
  const drops = new UdpSocketDrops(identity(receiver));
  let after = await drops.read();
  // Bounded wait for the receiver to read what the buffer held.
  for (let i = 0; i < 200 && after.ok && received + after.drops < sent; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    after = await drops.read();
  }
  assert.ok(after.ok, JSON.stringify(after));
  assert.ok(after.drops > 0, `drops ${after.drops}`);
  assert.equal(received + after.drops, sent);
});

test('IPv4-mapped and wildcard IPv6 sockets are found in /proc/net/udp6', { skip: onLinux && existsSync('/proc/net/udp6') ? false : 'needs Linux /proc/net/udp6' }, async (t) => {
  for (const host of ['::ffff:127.0.0.1', '::']) {
    const socket = await bound(t, 'udp6', host);
    const reading = await new UdpSocketDrops(identity(socket)).read();
    assert.deepEqual(reading, { ok: true, drops: 0, rxQueueBytes: 0 }, host);
  }
});

test('an unreadable counter is a reading with its reason, never a throw', async (t) => {
  const socket = await bound(t, 'udp4', '127.0.0.1');
  const elsewhere = await new UdpSocketDrops(identity(socket), { platform: 'darwin' }).read();
  assert.deepEqual(elsewhere, { ok: false, reason: 'kernel drop counters are read from /proc on Linux only (this is darwin)' });
  const dir = await mkdtemp(join(tmpdir(), 'herald-proc-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const missing = await new UdpSocketDrops(identity(socket), { platform: 'linux', procRoot: dir }).read();
  assert.ok(!missing.ok && missing.reason.startsWith(`cannot read ${join(dir, 'net', 'udp')}`), JSON.stringify(missing));
  await mkdir(join(dir, 'net'));
  await writeFile(join(dir, 'net', 'udp'), `${HEADER}\n`);
  const absent = await new UdpSocketDrops(identity(socket), { platform: 'linux', procRoot: dir }).read();
  assert.deepEqual(absent, { ok: false, reason: `no socket bound to 127.0.0.1 port ${socket.address().port} in ${join(dir, 'net', 'udp')}` });
});

test('a receive buffer the kernel capped gives a warning naming the sysctl; one it granted gives none', { skip: onLinux ? false : 'needs Linux' }, async (t) => {
  const small = await bound(t, 'udp4', '127.0.0.1', 64 * 1024);
  const granted = recvBufferGrant(small, 64 * 1024);
  assert.deepEqual(granted, { askedBytes: 64 * 1024, grantedBytes: 64 * 1024 });
  assert.equal(recvBufferShortfall(granted, 'hep.recv_buffer_bytes', 'hep 127.0.0.1:9060'), undefined);
  const warning = recvBufferShortfall({ askedBytes: 8_388_608, grantedBytes: 4_194_304 }, 'hep.recv_buffer_bytes', 'hep 127.0.0.1:9060');
  assert.match(warning ?? '', /^hep\.recv_buffer_bytes: asked 8388608 bytes .* granted 4194304 .*sysctl -w net\.core\.rmem_max=8388608 .*\/etc\/sysctl\.d\//);
});
