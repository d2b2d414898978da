/**
 * Task module of the SIP parse pool: runs inside each worker thread (see
 * process/autoscale/pool-worker.ts for the protocol). The result's typed arrays are transferred back, not copied.
 */
import { parseSipBatch, type SipBatch, type SipBatchResult } from './sip-batch.js';
import { summaryTransferList } from './summary-codec.js';

export function run(batch: SipBatch): SipBatchResult {
  return parseSipBatch(batch);
}

export function transferList(result: SipBatchResult): ArrayBuffer[] {
  return summaryTransferList(result);
}
