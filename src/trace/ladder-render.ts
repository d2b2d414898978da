import type { Ladder, LadderEntry } from './ladder.js';

const TIME_WIDTH = 12;
const MIN_COLUMN = 20;
const MAX_LABEL = 24;

/** `+1.234567` seconds since the first message. */
export function formatRelative(us: number): string {
  return `+${(us / 1e6).toFixed(6)}`;
}

function cut(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

/**
 * Draws the ladder as text: one column per host:port, one arrow per message,
 * labelled with the method or status, and the time since the first message.
 *
 *                      10.0.0.1:5060       10.0.0.2:5060
 *   +0.000000                |------INVITE------>|
 *   +0.001021                |<-----200 OK-------|
 */
export function renderLadder(ladder: Ladder): string {
  const { columns, entries } = ladder;
  if (entries.length === 0) return `Call-ID ${ladder.callid}: no messages stored.\n`;
  const longestLabel = Math.max(...entries.map((e) => cut(e.label).length));
  const width = Math.max(MIN_COLUMN, longestLabel + 8, ...columns.map((c) => c.length + 2));
  const center = (i: number) => i * width + Math.floor(width / 2);
  const lines = [
    `Call-ID ${ladder.callid}: ${entries.length} message${entries.length === 1 ? '' : 's'}, ${columns.length} endpoints`,
    '',
    ' '.repeat(TIME_WIDTH) + columns.map((c) => centerIn(c, width)).join('').trimEnd(),
  ];
  let previousUs = Number.NEGATIVE_INFINITY;
  let reordered = false;
  for (const entry of entries) {
    const early = entry.timeUs < previousUs; // placed after a message stamped later: causality won
    reordered ||= early;
    previousUs = Math.max(previousUs, entry.timeUs);
    lines.push(`${formatRelative(entry.relativeUs)}${early ? '*' : ''}`.padEnd(TIME_WIDTH) + arrow(entry, columns, width, center).trimEnd());
  }
  if (reordered) lines.push('', '* stamped earlier than a message above it: placed after what caused it (CSeq, request before reply, ACK after the final reply).');
  return `${lines.join('\n')}\n`;
}

function centerIn(text: string, width: number): string {
  const left = Math.max(0, Math.floor((width - text.length) / 2));
  return (' '.repeat(left) + text).padEnd(width);
}

function arrow(entry: LadderEntry, columns: readonly string[], width: number, center: (i: number) => number): string {
  const canvas = new Array<string>(columns.length * width + MAX_LABEL).fill(' ');
  for (let i = 0; i < columns.length; i++) canvas[center(i)] = '|';
  const a = columns.indexOf(entry.from);
  const b = columns.indexOf(entry.to);
  const label = cut(entry.label);
  if (a === b) {
    write(canvas, center(a) + 1, `<-> ${label}`); // a host sending to itself
    return canvas.join('');
  }
  const left = Math.min(center(a), center(b)) + 1;
  const right = Math.max(center(a), center(b)) - 1;
  for (let i = left; i <= right; i++) canvas[i] = '-';
  if (a < b) canvas[right] = '>';
  else canvas[left] = '<';
  write(canvas, left + Math.max(1, Math.floor((right - left + 1 - label.length) / 2)), label);
  return canvas.join('');
}

function write(canvas: string[], at: number, text: string): void {
  for (let i = 0; i < text.length && at + i < canvas.length; i++) canvas[at + i] = text[i];
}
