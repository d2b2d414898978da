/** An event record as the live stream sends it (design.md's JSON form). */
export interface EventRecord {
  readonly time: string;
  readonly level: string;
  readonly type: string;
  readonly sourceId?: string;
  readonly summary?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

const COLOURS: Readonly<Record<string, string>> = {
  trace: '90', debug: '90', info: '36', notice: '34', warning: '33', error: '31', critical: '1;31',
};

function clock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function paramText(params: Readonly<Record<string, unknown>> | undefined): string {
  if (params === undefined) return '';
  return Object.entries(params)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? (/[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value) : JSON.stringify(value)}`)
    .join(' ');
}

/** One line for people: local time, level, event, summary, params; coloured by level when `colour`. */
export function formatEventLine(record: EventRecord, colour: boolean): string {
  const level = record.level.toUpperCase().padEnd(8);
  const text = [clock(record.time), level, record.type, record.summary ?? '', paramText(record.params)].filter((part) => part !== '').join('  ');
  const code = COLOURS[record.level];
  return colour && code !== undefined ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColour(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}
