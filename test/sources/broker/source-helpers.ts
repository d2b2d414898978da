import assert from 'node:assert/strict';
import { brokerBodyEncoder } from '../../../src/backends/shared/broker-body.js';
import type { Bus } from '../../../src/bus/bus.js';
import { createEvent, type HeraldEvent } from '../../../src/events/event.js';
import { E_CORE_THRESHOLD } from '../../../src/events/packs/core.js';
import { UntypedDefs } from '../../../src/events/untyped.js';
import { BrokerIntake } from '../../../src/sources/broker/broker-intake.js';
import { Intake } from '../../../src/sources/ingest/intake.js';

/* What the broker source tests share: bodies as the backends write them, a kit on a bus, a bounded wait. */

export const record = brokerBodyEncoder('json');
export const jsonrpc = brokerBodyEncoder('jsonrpc');

export function threshold(source: string, extra: string): HeraldEvent {
  return createEvent(E_CORE_THRESHOLD, { source, time: 1, extra }, undefined, 'herald');
}

/** A broker kit (unknown events rejected) and its intake on `bus`; a new one is a restarted Herald's, with no memory of ids. */
export function kitOf(bus: Bus, source: string): { readonly kit: BrokerIntake; readonly intake: Intake } {
  const intake = new Intake(bus);
  const ctx = { catalogue: bus.catalogue, untyped: new UntypedDefs(), unknown: 'reject' as const, source };
  return { intake, kit: new BrokerIntake(bus, intake, ctx, { format: 'auto', maxMessageBytes: 4096, dedupIds: 10_000, dedupWindowMs: 600_000 }) };
}

/** Polls `check` until it holds; fails naming `what` (and `detail()`) after `boundMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, detail: () => string = () => '', boundMs = 20_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!await check()) {
    if (Date.now() > deadline) assert.fail(`gave up waiting for ${what} ${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

