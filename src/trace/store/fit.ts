import { DATA_COLUMNS } from './columns.js';

/** Width in characters of every bounded column, by name. */
export const COLUMN_WIDTH: Readonly<Record<string, number>> = Object.fromEntries(
  DATA_COLUMNS.filter((column) => column.maxChars !== undefined).map((column) => [column.name, column.maxChars as number]),
);

/**
 * Cuts a value to `max` characters (code points, never half a surrogate pair,
 * which is how SQLite, PostgreSQL and MariaDB all count VARCHAR widths).
 * Insert and search both go through it, so a Call-ID or user longer than its
 * column is found by the same value that stored it (issue 12, point 11), and
 * one hostile header cannot make a database refuse the whole batch.
 */
export function fit(value: string, max: number): string {
  if (value.length <= max) return value; // UTF-16 units ≥ code points: short enough already
  let out = '';
  let count = 0;
  for (const char of value) {
    if (count === max) break;
    out += char;
    count++;
  }
  return out;
}

/** `fit` to a named column's width; columns without one come back whole. */
export function fitColumn(value: string, column: string): string {
  const max = COLUMN_WIDTH[column];
  return max === undefined ? value : fit(value, max);
}
