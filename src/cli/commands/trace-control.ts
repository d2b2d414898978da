import type { Command } from 'commander';
import type { TraceIdStatus, TracerStatus } from '../../trace/tracer-status.js';
import { clientFrom, withClientOptions, type ClientFlags } from '../mi-client.js';
import { formatTable, printJson } from '../table.js';

interface IdFlags extends ClientFlags {
  readonly id?: string;
}

function printStatus(status: TracerStatus): void {
  process.stdout.write(`tracing ${status.global}\n`);
  printIds(status.ids);
}

function printIds(ids: readonly TraceIdStatus[]): void {
  const rows = ids.flatMap((id: TraceIdStatus) => id.destinations.map((d) => [
    id.id, id.state, id.dynamic ? (id.filters ?? []).join(' ') || 'all' : 'config', d.type, d.uri, d.sent, d.dropped, d.errors,
  ]));
  if (rows.length > 0) process.stdout.write(`${formatTable(['ID', 'STATE', 'FILTERS', 'TYPE', 'URI', 'SENT', 'DROPPED', 'ERRORS'], rows)}\n`);
}

function registerSwitch(trace: Command, mode: 'on' | 'off' | undefined): void {
  const name = mode ?? 'status';
  const description = mode === undefined ? 'Show the tracing state and every trace id (MI `trace`).' : `Switch tracing ${mode}, globally or for one trace id (MI \`trace mode=${mode}\`).`;
  withClientOptions(trace.command(name).description(description).option('--id <id>', 'one trace id (default: the global switch)'))
    .action(async (flags: IdFlags) => {
      const client = await clientFrom(flags);
      const params = { ...(flags.id !== undefined ? { id: flags.id } : {}), ...(mode !== undefined ? { mode } : {}) };
      const status = await client.call<TracerStatus>('trace', params);
      if (flags.json === true) printJson(status);
      else printStatus(status);
    });
}

/** The verbs that drive the running daemon's tracer through the management interface. */
export function registerTraceControl(trace: Command): void {
  registerSwitch(trace, undefined);
  registerSwitch(trace, 'on');
  registerSwitch(trace, 'off');
  withClientOptions(trace
    .command('start')
    .description('Start a dynamic trace id: matching calls are copied to URI (MI `trace_start`).')
    .argument('<id>', 'name of the new trace id')
    .argument('<uri>', 'destination: hep:HOST:PORT[;transport=tcp], sip:HOST:PORT, file:PATH or a database URL')
    .option('--filter <condition...>', 'caller=USER, callee=USER, ip=ADDRESS (all must hold)'))
    .action(async (id: string, uri: string, flags: ClientFlags & { filter?: string[] }) => {
      const client = await clientFrom(flags);
      const status = await client.call<TraceIdStatus>('trace_start', { id, uri, filter: flags.filter ?? [] });
      if (flags.json === true) printJson(status);
      else printIds([status]);
    });
  withClientOptions(trace
    .command('stop')
    .description('Stop a dynamic trace id (MI `trace_stop`).')
    .argument('<id>', 'the trace id given to start'))
    .action(async (id: string, flags: ClientFlags) => {
      const client = await clientFrom(flags);
      const answer = await client.call<{ id: string; stopped: boolean }>('trace_stop', { id });
      if (flags.json === true) printJson(answer);
      else process.stdout.write(`stopped trace id ${answer.id}\n`);
    });
}
