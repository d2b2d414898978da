/** Small timing helpers shared by the suites: warm up, then best-of-N timed loops. */
export function nsPerOp(iterations: number, body: (n: number) => void, rounds = 7): number {
  body(Math.min(iterations, 100_000));
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    body(iterations);
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

export async function nsPerOpAsync(iterations: number, body: (n: number) => Promise<void>, rounds = 5): Promise<number> {
  await body(Math.min(iterations, 10_000));
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    await body(iterations);
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
