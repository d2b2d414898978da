import type { Command } from 'commander';
import { formatEventLine, wantsColour, type EventRecord } from '../event-line.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { clientFrom, withClientOptions, type ClientFlags, type MiClient } from '../mi-client.js';

interface TailFlags extends ClientFlags {
  readonly filter?: string;
}

interface SseMessage {
  readonly event: string;
  readonly data: string;
}

/** Splits Server-Sent Events text into messages; comments (heartbeats) are skipped. */
export function parseSseBlock(block: string): SseMessage | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
  }
  return data.length > 0 ? { event, data: data.join('\n') } : undefined;
}

async function openStream(client: MiClient, filter: string | undefined): Promise<Response> {
  const query = filter !== undefined ? `?filter=${encodeURIComponent(filter)}` : '';
  const response = await client.fetch(`/events/stream${query}`, { headers: client.headers({ accept: 'text/event-stream' }) });
  if (response.ok && response.body !== null) return response;
  const body = await response.text();
  let message = body;
  try {
    const parsed = JSON.parse(body) as { error?: string | { message?: string } };
    message = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message ?? body;
  } catch {
    // Not JSON: show the text as it came.
  }
  throw new CliExit(EXIT.SERVER_ERROR, `herald tail: ${message}`);
}

function show(message: SseMessage, flags: TailFlags, colour: boolean): void {
  if (message.event === 'dropped') {
    process.stderr.write(`herald tail: events dropped because this terminal read too slowly: ${message.data}\n`);
    return;
  }
  if (flags.json === true) {
    process.stdout.write(`${message.data}\n`);
    return;
  }
  process.stdout.write(`${formatEventLine(JSON.parse(message.data) as EventRecord, colour)}\n`);
}

/** `herald tail [--filter F] [--json]`: live events, one line each, until Ctrl-C. */
export function registerTail(program: Command): void {
  withClientOptions(program
    .command('tail')
    .description('Print live events, one coloured line each (--json: JSON lines), until Ctrl-C.')
    .option('--filter <expression>', 'only matching events, e.g. \'level>=warning\''))
    .action(async (flags: TailFlags) => {
      const client = await clientFrom(flags);
      const response = await openStream(client, flags.filter);
      process.stderr.write(`tailing ${client.baseUrl}/events/stream${flags.filter !== undefined ? ` (filter ${flags.filter})` : ''}; Ctrl-C to stop\n`);
      const colour = flags.json !== true && wantsColour(process.stdout);
      const decoder = new TextDecoder();
      let pending = '';
      try {
        for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
          pending += decoder.decode(chunk, { stream: true });
          const blocks = pending.split(/\r?\n\r?\n/);
          pending = blocks.pop() ?? '';
          for (const block of blocks) {
            const message = parseSseBlock(block);
            if (message !== undefined) show(message, flags, colour);
          }
        }
      } catch (error) {
        throw new CliExit(EXIT.CANNOT_CONNECT, `herald tail: lost the connection to ${client.baseUrl} (${(error as Error).message})`);
      }
      throw new CliExit(EXIT.CANNOT_CONNECT, `herald tail: ${client.baseUrl} closed the stream`);
    });
}
