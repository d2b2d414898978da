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
}
