import type { DailyPolicy, RotationPolicy, RotationReason } from './rotation.js';

/** Everything that decides how a file is written; subscriptions to one path must agree on it. */
export interface FileSpec {
  /** The real path (parent resolved with realpath); files are shared by it. */
  readonly key: string;
  /** `flatstore` or `jsonl`: one file holds one format. */
  readonly format: string;
  readonly modeBits: number;
  readonly flushIntervalMs: number;
  readonly fsync: boolean;
  readonly rotation: RotationPolicy;
  readonly daily: DailyPolicy | undefined;
  /** Clock, epoch ms. Tests inject one. */
  readonly now: () => number;
}

export interface RotationInfo {
  readonly timestampS: number;
  readonly reason: RotationReason;
  readonly filename: string;
  readonly oldFilename: string;
}

export type RotationListener = (info: RotationInfo) => void;
