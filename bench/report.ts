/** One measured figure; `anchor` names what it is compared with, `ratio` is this/anchor. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly anchor?: string;
  readonly ratio?: number;
}

export interface BenchReport {
  readonly suite: string;
  readonly results: BenchResult[];
  readonly notes?: string[];
}

export interface BenchOptions {
  readonly json: boolean;
  /** `--seconds N`: how long each timed load runs, for the suites that take it. */
  readonly seconds?: number;
  /** `--rates a,b,…`: the offered rates, for the suites that take them. */
  readonly rates?: readonly number[];
}
