/**
 * Task module of the SIP parse pool: runs inside each worker thread (see
 * pool-worker.ts for the protocol). The result's typed arrays are transferred back, not copied.
 */
import { parseSipBatch, type SipBatch, type SipBatchResult } from './sip-batch.js';

export function run(batch: SipBatch): SipBatchResult {
  return parseSipBatch(batch);
}

export function transferList(result: SipBatchResult): ArrayBuffer[] {
  return [result.numbers.buffer as ArrayBuffer, result.lengths.buffer as ArrayBuffer];
}
