import { createSocket } from 'node:dgram';
import Fastify from 'fastify';

/*
 * The bare ceiling for `npm run bench -- ingest-events`, in its own process as the
 * daemon is: a fastify route that only parses the same bodies (JSON per NDJSON line,
 * the Dovecot body), and a dgram socket that only JSON-parses each datagram.
 * Prints `ready <http port> <udp port>`; GET /count answers how many were parsed.
 */
let parsed = 0;
const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024, keepAliveTimeout: 65_000 });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
app.post('/ingest', async (request) => {
  const text = (request.body as Buffer).toString('utf8');
  let accepted = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    JSON.parse(line);
    accepted++;
  }
  parsed += accepted;
  return { accepted, rejected: 0, errors: [] };
});
app.post('/ingest/dovecot', async (request, reply) => {
  JSON.parse((request.body as Buffer).toString('utf8'));
  parsed++;
  return reply.code(204).send();
});
app.get('/count', async () => ({ parsed }));
const udp = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
udp.on('message', (data) => {
  JSON.parse(data.toString('utf8'));
  parsed++;
});
await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
await app.listen({ host: '127.0.0.1', port: 0 });
const port = (app.server.address() as { port: number }).port;
process.stdout.write(`ready ${port} ${udp.address().port}\n`);
