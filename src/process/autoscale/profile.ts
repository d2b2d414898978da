import { HeraldError } from '../../errors/herald-error.js';

/**
 * An OpenSIPS auto-scaling profile (cfg.y `auto_scale_profile_def`,
 * pt_scaling.c `create_auto_scaling_profile`):
 *
 *   scale up to N on X% for C cycles [within W] [scale down to M on Y% for D cycles]
 *
 * "within W" defaults to C. Without a down part (or with M = 0) the group never
 * scales down. As in OpenSIPS, a scale-down is held off for 10×D cycles after
 * the start and after each scale-up.
 */
export interface AutoScaleProfile {
  /** N: most workers. */
  readonly maxWorkers: number;
  /** X: a cycle counts towards scaling up when its load is strictly above this percentage. */
  readonly upThresholdPercent: number;
  /** C: cycles above X needed … */
  readonly upCyclesNeeded: number;
  /** W: … among the last W cycles. */
  readonly upCyclesWindow: number;
  /** M: fewest workers; 0 means never scale down. */
  readonly minWorkers: number;
  /** Y: a cycle counts towards scaling down when its load is strictly below this percentage. */
  readonly downThresholdPercent: number;
  /** D: the last D cycles must all be below Y. 0 when there is no down part. */
  readonly downCycles: number;
  /** Cycles without scale-down after start or a scale-up (OpenSIPS: 10×D). */
  readonly downDelayCycles: number;
}

const SYNTAX = 'scale up to N on X% for C cycles [within W] [scale down to M on Y% for D cycles]';

function fail(profile: string, problem: string): never {
  throw new HeraldError('HERALD_ERR_CONFIG', `Bad auto-scaling profile "${profile}": ${problem}. Expected: ${SYNTAX}`);
}

/** Splits "70%" into "70" "%" so the percent sign may be attached or not. */
function tokenize(profile: string): string[] {
  return profile.trim().toLowerCase().replace(/%/g, ' % ').split(/\s+/).filter((token) => token.length > 0);
}

class Reader {
  #index = 0;
  constructor(readonly profile: string, readonly tokens: readonly string[]) {}

  get done(): boolean {
    return this.#index >= this.tokens.length;
  }

  peek(): string | undefined {
    return this.tokens[this.#index];
  }

  word(...expected: string[]): void {
    const token = this.tokens[this.#index];
    if (!expected.includes(token ?? '')) {
      fail(this.profile, `expected "${expected.join('" or "')}" at word ${this.#index + 1}, got ${token === undefined ? 'the end' : `"${token}"`}`);
    }
    this.#index++;
  }

  number(what: string): number {
    const token = this.tokens[this.#index];
    if (token === undefined || !/^\d+$/.test(token)) {
      fail(this.profile, `expected a whole number for ${what} at word ${this.#index + 1}, got ${token === undefined ? 'the end' : `"${token}"`}`);
    }
    this.#index++;
    return Number(token);
  }
}

function readUp(reader: Reader) {
  reader.word('scale');
  reader.word('up');
  reader.word('to');
  const maxWorkers = reader.number('N (most workers)');
  reader.word('on');
  const upThresholdPercent = reader.number('X (scale-up load %)');
  reader.word('%');
  reader.word('for');
  const upCyclesNeeded = reader.number('C (cycles above X)');
  reader.word('cycles', 'cycle');
  let upCyclesWindow = upCyclesNeeded;
  if (reader.peek() === 'within') {
    reader.word('within');
    upCyclesWindow = reader.number('W (cycles checked)');
  }
  return { maxWorkers, upThresholdPercent, upCyclesNeeded, upCyclesWindow };
}

function readDown(reader: Reader) {
  if (reader.done) return { minWorkers: 0, downThresholdPercent: 0, downCycles: 0 };
  reader.word('scale');
  reader.word('down');
  reader.word('to');
  const minWorkers = reader.number('M (fewest workers)');
  reader.word('on');
  const downThresholdPercent = reader.number('Y (scale-down load %)');
  reader.word('%');
  reader.word('for');
  const downCycles = reader.number('D (cycles below Y)');
  reader.word('cycles', 'cycle');
  if (!reader.done) fail(reader.profile, `unexpected "${reader.peek() ?? ''}" after the scale-down part`);
  return { minWorkers, downThresholdPercent, downCycles };
}

/** OpenSIPS's sanity checks, with the numbers in the message. */
function check(profile: string, p: Omit<AutoScaleProfile, 'downDelayCycles'>): void {
  if (p.maxWorkers === 0 || p.maxWorkers >= 1000) fail(profile, `N must be 1–999, got ${p.maxWorkers}`);
  if (p.maxWorkers <= p.minWorkers) fail(profile, `N (${p.maxWorkers}) must be above M (${p.minWorkers})`);
  if (p.upThresholdPercent === 0 || p.upThresholdPercent > 100) fail(profile, `X must be 1–100, got ${p.upThresholdPercent}`);
  if (p.downThresholdPercent > 100) fail(profile, `Y must be 0–100, got ${p.downThresholdPercent}`);
  if (p.minWorkers > 0 && p.upThresholdPercent <= p.downThresholdPercent) {
    fail(profile, `X (${p.upThresholdPercent}%) must be above Y (${p.downThresholdPercent}%)`);
  }
  if (p.upCyclesNeeded === 0 || p.upCyclesWindow < p.upCyclesNeeded) {
    fail(profile, `C (${p.upCyclesNeeded}) must be at least 1 and at most W (${p.upCyclesWindow})`);
  }
  if (p.minWorkers > 0 && p.downCycles === 0) fail(profile, 'D must be at least 1');
  if (p.upCyclesWindow > 250 || p.downCycles > 250) fail(profile, 'W and D are at most 250 cycles');
}

/** @throws HeraldError HERALD_ERR_CONFIG naming the word that is wrong and the expected syntax. */
export function parseAutoScaleProfile(profile: string): AutoScaleProfile {
  const reader = new Reader(profile, tokenize(profile));
  if (reader.done) fail(profile, 'it is empty');
  const up = readUp(reader);
  const down = readDown(reader);
  // OpenSIPS: min 0 switches scaling down off entirely.
  const effectiveDown = down.minWorkers === 0 ? { minWorkers: 0, downThresholdPercent: 0, downCycles: 0 } : down;
  const parsed = { ...up, ...effectiveDown };
  check(profile, parsed);
  return Object.freeze({ ...parsed, downDelayCycles: 10 * parsed.downCycles });
}
