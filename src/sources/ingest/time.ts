/**
 * Event times as sources send them, to microseconds since the epoch:
 * RFC 3339 / ISO 8601 with an offset (Dovecot `time-rfc3339`, OME `time`) or
 * Unix seconds with a fraction (Dovecot `time-unix`), as a number or as text.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})$/;
const UNIX_TEXT = /^\d{1,12}(?:\.\d{1,9})?$/;
/** Year 1970 to 9999: what Date and the JSON formatter can write back. */
const MAX_US = 253402300799999999;

function fromParts(m: RegExpExecArray): number | undefined {
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1e6 + 1e-6);
  return ms * 1000 + fraction;
}

/** Microseconds since the epoch, or undefined when `value` is no time this accepts. */
export function parseEventTime(value: unknown): number | undefined {
  let us: number | undefined;
  if (typeof value === 'number') us = Number.isFinite(value) ? Math.round(value * 1e6) : undefined;
  else if (typeof value === 'string') {
    if (UNIX_TEXT.test(value)) us = Math.round(Number(value) * 1e6);
    else {
      const m = RFC3339.exec(value);
      us = m === null ? undefined : fromParts(m);
    }
  }
  return us !== undefined && us >= 0 && us <= MAX_US ? us : undefined;
}
