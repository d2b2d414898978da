/** Small helpers shared by the HEP decoders. */
import type { HepDecodeResult, HepErrorReason } from './types.js';

/** A Buffer view over any Uint8Array, without copying, so payloads can be subarrays. */
export function toBuffer(input: Uint8Array): Buffer {
  return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

export function hepFail(reason: HepErrorReason, offset: number, message: string): HepDecodeResult {
  return { ok: false, error: { reason, offset, message } };
}
