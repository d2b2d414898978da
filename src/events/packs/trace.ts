import type { EventDef } from '../define.js';
import { defineEvent } from '../define.js';
import { param } from '../params.js';

/**
 * The `trace` pack: events of message tracing (docs/trace.md). Herald's own
 * events, named in OpenSIPS's form.
 */
const PACK = 'trace';

export const E_HEP_LOG = defineEvent({
  name: 'E_HEP_LOG',
  pack: PACK,
  category: 'trace',
  // debug: a busy sender's log stream must not fill the default `level>=info` events.log (hep.log_level raises it).
  level: 'debug',
  description: 'The HEP collector received a log record (HEP proto type 100), such as Kamailio\'s hlog() or OpenSIPS\'s xlog tracing sends. Raised at `hep.log_level` (default debug).',
  params: {
    message: param.string('The log text (the HEP payload, UTF-8).'),
    capture_id: param.int('The sender\'s HEP capture agent id.'),
    src_ip: param.ip('Source address from the HEP chunks.'),
    src_port: param.port('Source port from the HEP chunks.'),
    dst_ip: param.ip('Destination address from the HEP chunks.'),
    dst_port: param.port('Destination port from the HEP chunks.'),
    time: param.timestamp('When the sender captured it (Unix time, seconds, with microseconds).'),
    correlation_id: param.string('The correlation id (chunk 0x0011), usually the Call-ID the log is about.').optional(),
    node: param.string('The capture agent name (chunk 0x0013).').optional(),
  },
  // The text is in `message` once; repeating it in the summary doubled every stored line.
  summary: 'HEP log from {src_ip}:{src_port} (capture {capture_id})',
});

export const E_TRACE_STORE_ERROR = defineEvent({
  name: 'E_TRACE_STORE_ERROR',
  pack: PACK,
  category: 'trace',
  level: 'error',
  description: 'The trace store refused a write. When `retrying` is true the same batch is written again later (the queue absorbs new messages meanwhile); when false the rows were dropped.',
  params: {
    store: param.string('Where the store is: a file path, or the database URL without its password.'),
    rows: param.int('How many rows the failed write held.'),
    retrying: param.bool('Whether the rows are kept and the write retried.'),
    error: param.string('The database\'s error message.'),
  },
  summary: 'trace store {store}: {rows} rows not written ({error})',
});

export const tracePack: readonly EventDef[] = [E_HEP_LOG, E_TRACE_STORE_ERROR];
