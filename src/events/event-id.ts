import { randomFillSync } from 'node:crypto';

/*
 * Event ids are UUIDv7 (RFC 9562 §5.7), so a consumer can de-duplicate and sort:
 *
 *   tttttttt-tttt-7ccc-vrrr-rrrrrrrrrrrr
 *   └ 48-bit Unix ms ┘ │└12-bit counter (method 1, §6.2)
 *                      └ version 7     └ variant 10 + 62 random bits
 *
 * Within one millisecond the counter orders ids; it starts at a random value
 * below 2048 so two processes do not walk the same sequence, and when it would
 * overflow the timestamp borrows the next millisecond (§6.2, "monotonic"). The
 * random tail is drawn once per millisecond, not per event: per event it cost
 * more than the rest of a delivered raise, and the (ms, counter, tail) triple is
 * still unique within the process and collision-free across processes with
 * 62 random bits.
 */

const HEX3: readonly string[] = Array.from({ length: 4096 }, (_, i) => i.toString(16).padStart(3, '0'));
const random = Buffer.alloc(10);

let lastMs = -1;
let counter = 0;
/** `tttttttt-tttt-7` for `lastMs`. */
let head = '';
/** `-vrrr-rrrrrrrrrrrr` for `lastMs`. */
let tail = '';

function startMillisecond(ms: number): void {
  randomFillSync(random);
  lastMs = ms;
  counter = random.readUInt16BE(0) & 0x7ff;
  const hex = ms.toString(16).padStart(12, '0');
  head = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7`;
  const variant = (random[2] & 0x3f) | 0x80;
  const rest = random.subarray(3, 10).toString('hex');
  tail = `-${variant.toString(16)}${rest.slice(0, 2)}-${rest.slice(2)}`;
}

/**
 * A new UUIDv7, ordered after every id this process made before (even if the
 * clock steps back). `nowMs` defaults to the wall clock.
 */
export function newEventId(nowMs: number = Date.now()): string {
  const ms = Math.floor(nowMs);
  if (ms > lastMs) startMillisecond(ms);
  else if (++counter > 0xfff) startMillisecond(lastMs + 1);
  return head + HEX3[counter] + tail;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether `text` is a lowercase UUIDv7, as `newEventId` makes them. */
export function isEventId(text: string): boolean {
  return UUID_V7.test(text);
}

/** The Unix ms an event id carries (its first 48 bits). */
export function eventIdTimeMs(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
