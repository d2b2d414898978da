import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `check` for up to 30 s (a loaded CI machine): no timing is asserted, a miss fails naming `what`. */
export async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !check(); i++) await sleep(50);
  assert.ok(check(), `timed out waiting for ${what}`);
}
