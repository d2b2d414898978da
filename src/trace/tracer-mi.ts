import { defineCommand, type MiCommand } from '../runtime/mi/command.js';
import { MiParamsError } from '../runtime/mi/params.js';
import { renderLadder } from './ladder-render.js';
import { searchTraces, showCall } from './search.js';
import type { TraceStore } from './store/types.js';
import type { Tracer } from './tracer.js';

export interface TraceCommandDeps {
  readonly tracer: Tracer;
  readonly store: TraceStore;
  /** Called after trace_start or trace_stop changed the dynamic ids (the daemon saves them). */
  readonly onDynamicIdsChanged?: () => Promise<void>;
}

const MODES = ['on', 'off'] as const;

/**
 * The tracing MI commands: OpenSIPS 3.x names with the 4.x aliases (and 2.x's
 * `sip_trace`, which took `[id] on|off` positionally).
 */
export function traceCommands(deps: TraceCommandDeps): MiCommand[] {
  return [traceSwitch(deps), traceStart(deps), traceStop(deps), traceSearch(deps), traceShow(deps)];
}

function traceSwitch({ tracer }: TraceCommandDeps): MiCommand {
  return defineCommand({
    name: 'trace',
    aliases: ['sip_trace', 'tracer:trace'],
    description: 'Switches tracing on or off, globally or for one trace id, or shows the state. No params: the global state and '
      + 'every id with its destinations and counters; `mode` alone: the global switch; `id` alone: that id; both: that id\'s switch. '
      + 'An id switched off stays off while the global switch is on.',
    params: [
      { name: 'id', type: 'string', description: 'A trace id (configured in trace.ids, `default` for the store, or from trace_start).' },
      { name: 'mode', type: 'string', enum: MODES, description: '`on` or `off`.' },
    ],
    example: {
      params: { id: 'homer', mode: 'off' },
      result: { global: 'on', ids: [{ id: 'homer', state: 'off', dynamic: false, destinations: [{ type: 'hep', uri: 'hep:10.0.0.9:9060;transport=udp;version=3', sent: 1200, dropped: 0, errors: 0 }] }] },
    },
    handler: ({ id, mode }) => {
      // 2.x style `sip_trace on`: a lone positional on/off is the global mode.
      const [targetId, targetMode] = mode === undefined && (id === 'on' || id === 'off') ? [undefined, id] : [id, mode];
      if (targetMode !== undefined) tracer.setEnabled(targetMode === 'on', targetId);
      return tracer.status(targetId);
    },
  });
}

function traceStart({ tracer, onDynamicIdsChanged }: TraceCommandDeps): MiCommand {
  return defineCommand({
    name: 'trace_start',
    aliases: ['tracer:start'],
    description: 'Creates a dynamic trace id sending matching calls to `uri` (sip:, hep:, file: under files.roots, or a database URL). '
      + 'Filters (all must hold) apply to requests: `caller=` From user, `callee=` Request-URI user, `ip=` source IP; the rest of a '
      + 'matching call follows. Kept across restarts (<data_dir>/trace-ids.json) until trace_stop.',
    params: [
      { name: 'id', type: 'string', required: true, description: 'Name of the new trace id.' },
      { name: 'uri', type: 'string', required: true, description: 'Destination, e.g. hep:10.0.0.9:9060;transport=udp.' },
      { name: 'filter', type: 'array', description: 'Conditions such as ["caller=alice", "ip=10.0.0.1"].' },
    ],
    example: {
      params: { id: 'alice', uri: 'hep:10.0.0.9:9060', filter: ['caller=alice'] },
      result: { id: 'alice', state: 'on', dynamic: true, filters: ['caller=alice'], destinations: [{ type: 'hep', uri: 'hep:10.0.0.9:9060;transport=udp;version=3', sent: 0, dropped: 0, errors: 0 }] },
    },
    handler: async ({ id, uri, filter }) => {
      const filters = filter ?? [];
      const bad = filters.findIndex((f) => typeof f !== 'string');
      if (bad >= 0) throw new MiParamsError([{ param: 'filter', expected: 'strings such as caller=alice', received: JSON.stringify(filters[bad]) }]);
      const started = await tracer.start(id, uri, filters as string[]);
      await onDynamicIdsChanged?.();
      return started;
    },
  });
}

function traceStop({ tracer, onDynamicIdsChanged }: TraceCommandDeps): MiCommand {
  return defineCommand({
    name: 'trace_stop',
    aliases: ['tracer:stop'],
    description: 'Removes a dynamic trace id created by trace_start and closes its destination.',
    params: [{ name: 'id', type: 'string', required: true, description: 'The trace id given to trace_start.' }],
    example: { params: { id: 'alice' }, result: { id: 'alice', stopped: true } },
    handler: async ({ id }) => {
      await tracer.stop(id);
      await onDynamicIdsChanged?.();
      return { id, stopped: true };
    },
  });
}

function traceSearch({ store }: TraceCommandDeps): MiCommand {
  return defineCommand({
    name: 'trace_search',
    aliases: ['tracer:search'],
    description: 'Searches the trace store, newest first. Every given criterion must match. Times: ISO 8601, Unix seconds, or an age such as 15m, 2h, 7d.',
    params: [
      { name: 'callid', type: 'string', description: 'Exact Call-ID.' },
      { name: 'user', type: 'string', description: 'Exact user: traced_user, from_user, to_user or ruri_user.' },
      { name: 'from_user', type: 'string', description: 'Exact From user.' },
      { name: 'to_user', type: 'string', description: 'Exact To user.' },
      { name: 'ip', type: 'string', description: 'Source or destination IP.' },
      { name: 'method', type: 'string', description: 'SIP method (replies carry their CSeq method).' },
      { name: 'status', type: 'string', description: 'Reply code (486) or class (4xx).' },
      { name: 'since', type: 'string', description: 'Earliest time (inclusive).' },
      { name: 'until', type: 'string', description: 'Latest time (exclusive).' },
      { name: 'limit', type: 'int', minimum: 1, description: 'Most messages returned; default 100, at most 10000.' },
    ],
    example: {
      params: { status: '4xx', since: '1h' },
      result: [{ id: 812, time: '2026-11-22T05:21:46.359217Z', callid: '1-19411@127.0.0.1', method: 'INVITE', status: '486', from: '127.0.0.1:5070', to: '127.0.0.1:5060', proto: 'udp', direction: '', tracedUser: '', fromUser: 'alice', toUser: 'bob', ruriUser: 'bob', captureId: 2001 }],
    },
    handler: ({ from_user: fromUser, to_user: toUser, ...rest }) => searchTraces(store, { ...rest, fromUser, toUser }),
  });
}

function traceShow({ store }: TraceCommandDeps): MiCommand {
  return defineCommand({
    name: 'trace_show',
    aliases: ['tracer:show'],
    description: 'One call in causal order: the ladder (columns are host:port, entries are arrows), the same drawn as text, and every message.',
    params: [{ name: 'callid', type: 'string', required: true, description: 'The Call-ID.' }],
    example: {
      params: { callid: '1-19411@127.0.0.1' },
      result: {
        callid: '1-19411@127.0.0.1', columns: ['127.0.0.1:5080', '127.0.0.1:5060'],
        entries: [{ id: 1, timeUs: 1795317185359217, relativeUs: 0, from: '127.0.0.1:5080', to: '127.0.0.1:5060', label: 'INVITE', kind: 'request', cseq: '1 INVITE' }],
        text: '…', messages: [{ id: 1, msg: 'INVITE sip:service@127.0.0.1:5060 SIP/2.0\r\n…' }],
      },
    },
    handler: async ({ callid }) => {
      const view = await showCall(store, callid);
      return { ...view.ladder, text: renderLadder(view.ladder), messages: view.messages };
    },
  });
}
