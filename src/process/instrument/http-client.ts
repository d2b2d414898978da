import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { http_request_finished } from '../../events/packs/dovecot.js';
import { subscribeAll } from '../threshold-sources/http.js';
import { attachWhileListened, type InstrumentBus } from './attach-while-listened.js';
import { clientConnectionParent, rememberConnection } from './connection-parent.js';
import { httpErrorStatus } from './error-codes.js';

/** Socket counters already attributed to earlier requests on a keep-alive socket. */
interface Counted {
  read: number;
  written: number;
}

/**
 * `http_request_finished` for `http.request`/`https.request` (and everything
 * built on them), from `http.client.request.start` and the request's 'close',
 * which Node emits once the response body has ended or the request failed.
 *
 * - `status_code`: the response status, or Dovecot's 9000-range internal code
 *   when none came (9002 lookup failed, 9003 connect failed, 9005 connection
 *   lost, 9008 timed out, …);
 * - `attempts` 1 and `redirects` 0: Node's http client neither retries nor
 *   follows redirects;
 * - the connection's fields (`client_ip`, `client_port`, `ip`, `port`), inherited
 *   from the connection as its parent, when one was made;
 * - `bytes_in`/`bytes_out`: what the socket read and wrote for this request,
 *   status line and headers included. Node publishes the request once it is
 *   written, so the counters cannot be sampled before; instead a keep-alive
 *   socket's traffic is handed to its requests in turn (they never overlap).
 */
export function instrumentHttpClient(bus: InstrumentBus): () => void {
  let live = true;
  const counted = new WeakMap<Socket, Counted>();
  // One listener function for every request ('this' is the request): no closure per request.
  function onClose(this: ClientRequest): void {
    // The request is a child of its connection: it carries client_ip, client_port, ip and port.
    if (live) bus.raise(http_request_finished, finishedParams(this, counted), { parent: clientConnectionParent(this.socket ?? undefined) });
  }
  const dispose = attachWhileListened(bus, [http_request_finished], () => subscribeAll({
    'http.client.request.start': (message) => {
      // Nobody listening when the request starts: skip it entirely.
      if (!bus.enabled(http_request_finished)) return;
      // 'close' fires once per request; `on` spares the once-wrapper on this hot path.
      const request = (message as { request: ClientRequest }).request;
      request.on('close', onClose);
      if (request.socket !== null) rememberConnection(request.socket);
      else request.once('socket', rememberConnection);
    },
  }));
  return () => {
    live = false;
    dispose();
  };
}

/** The response Node attached to the request (`req.res`, set when its head arrived). */
function responseOf(request: ClientRequest): IncomingMessage | undefined {
  return (request as ClientRequest & { res?: IncomingMessage | null }).res ?? undefined;
}

function finishedParams(request: ClientRequest, counted: WeakMap<Socket, Counted>) {
  const status = responseOf(request)?.statusCode;
  const socket = request.socket ?? undefined;
  let bytesIn = 0;
  let bytesOut = 0;
  if (socket !== undefined) {
    // One record per socket, updated in place: this runs once per request.
    let seen = counted.get(socket);
    if (seen === undefined) {
      seen = { read: 0, written: 0 };
      counted.set(socket, seen);
    }
    const read = socket.bytesRead;
    const written = socket.bytesWritten ?? seen.written;
    bytesIn = read - seen.read;
    bytesOut = written - seen.written;
    seen.read = read;
    seen.written = written;
  }
  return {
    status_code: status ?? httpErrorStatus(request.errored ?? socket?.errored),
    attempts: 1,
    redirects: 0,
    bytes_in: bytesIn,
    bytes_out: bytesOut,
  };
}
