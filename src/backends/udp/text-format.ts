import type { HeraldEvent } from '../../events/event.js';

/*
 * OpenSIPS ≤ 3.0's event_datagram body: the event name on its own line, one
 * `name::value` line per param, then an empty line. A value containing a newline
 * is wrapped in double quotes with its own quotes backslash-escaped.
 */

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function line(name: string, value: string): string {
  const text = value.includes('\n') ? `"${value.replace(/"/g, '\\"')}"` : value;
  return `${name}::${text}\n`;
}

export function textBody(event: HeraldEvent, eventId: boolean): string {
  let out = `${event.name}\n`;
  for (const name of event.def.paramNames) {
    const value = event.params[name];
    if (value !== undefined) out += line(name, valueText(value));
  }
  // A child's fields from its parent follow its own, as in the JSON record.
  if (event.inherited !== undefined) {
    for (const name of event.inherited) {
      const value = event.params[name];
      if (value !== undefined) out += line(name, valueText(value));
    }
  }
  if (eventId) out += line('event_id', event.id);
  return `${out}\n`;
}
