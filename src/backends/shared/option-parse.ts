/*
 * Decoders of option values whose written form is not their value: an octal mode
 * string, a size with a unit. The backends' schemas use them as Transform decoders;
 * what they throw becomes the problem text of the option.
 */

/**
 * `"644"`, `"0640"` → permission bits. Setuid, setgid and sticky are refused
 * (`7777` made `-rwsrwsrwt` files owned by root; issue 12, point 7).
 */
export function parseOctalMode(raw: unknown): number {
  const text = String(raw);
  if (!/^[0-7]{3,4}$/.test(text)) throw new Error(`must be an octal mode such as "644" or "0640" (got ${JSON.stringify(raw)})`);
  const mode = Number.parseInt(text, 8);
  if (mode > 0o777) throw new Error(`must be permission bits only: setuid, setgid and sticky are refused (got ${JSON.stringify(raw)})`);
  return mode;
}

/** The octal text of a mode, as configs write it (`0o640` → `"0640"`). */
export function formatMode(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `1048576`, `"512k"`, `"10m"`, `"1g"` → bytes (OpenSIPS's ×1024 units). */
export function parseSize(raw: unknown): number {
  const match = /^(\d+)([kmg]?)$/i.exec(String(raw).trim());
  if (match === null) throw new Error(`must be a byte count, optionally ending in k, m or g (got ${JSON.stringify(raw)})`);
  return Number(match[1]) * SIZE_UNITS[match[2].toLowerCase()];
}
