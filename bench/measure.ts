/**
 * Which round a helper reports: the median, or the least disturbed one (`min`),
 * for suites that compare two figures on a machine shared with other work.
 */
export type Pick = 'median' | 'min';

function picked(samples: number[], pick: Pick): number {
  samples.sort((a, b) => a - b);
  return pick === 'min' ? samples[0] : samples[Math.floor(samples.length / 2)];
}

/** Small timing helpers shared by the suites: warm up, then N timed loops. */
export function nsPerOp(iterations: number, body: (n: number) => void, rounds = 7, pick: Pick = 'median'): number {
  body(Math.min(iterations, 100_000));
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    body(iterations);
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return picked(samples, pick);
}

export async function nsPerOpAsync(iterations: number, body: (n: number) => Promise<void>, rounds = 5, pick: Pick = 'median'): Promise<number> {
  await body(Math.min(iterations, 10_000));
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    await body(iterations);
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return picked(samples, pick);
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
