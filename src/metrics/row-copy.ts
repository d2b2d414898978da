/**
 * Copies the params one plan reads into a batch row: numeric columns as numbers
 * (NaN when missing or not a number; `duration` 0, as Dovecot counts untimed
 * events), discrete columns as raw values.
 */
export type RowCopy = (
  params: Readonly<Record<string, unknown>>, values: Float64Array, raw: unknown[], numericBase: number, discreteBase: number,
) => void;

/** A column a plan reads: its slot in the batch row and the param it comes from. */
export interface Column {
  readonly slot: number;
  readonly name: string;
}

/**
 * Builds the copy for one event definition's plan as straight-line code. A loop
 * over names reads `params[name]` with a different key each time, which V8 can
 * only do through its generic (megamorphic) lookup: that was 40% of a raise into
 * the bench's metrics. Here every read is a constant key, so each site learns the
 * params' shape. Names are embedded through JSON.stringify: never as code.
 */
export function compileRowCopy(numeric: readonly Column[], discrete: readonly Column[]): RowCopy {
  const lines = ['let x;'];
  for (const { slot, name } of numeric) {
    const missing = name === 'duration' ? '0' : 'NaN';
    lines.push(`x = p[${JSON.stringify(name)}]; v[n + ${slot}] = typeof x === 'number' ? x : typeof x === 'bigint' ? Number(x) : ${missing};`);
  }
  for (const { slot, name } of discrete) lines.push(`r[d + ${slot}] = p[${JSON.stringify(name)}];`);
  // Generated from column names quoted by JSON.stringify (see above).
  return new Function('p', 'v', 'r', 'n', 'd', lines.join('\n')) as RowCopy;
}
