import { Pool } from 'undici';
import { WRITE_OK, type Backend, type BackendContext, type WriteResult } from '../../bus/backend.js';
import { HeraldError, toError } from '../../errors/herald-error.js';
import type { HeraldEvent } from '../../events/event.js';
import { JsonLineSerializer } from '../../events/serialize-json.js';
import { responseOutcome } from './response-outcome.js';
import type { HttpOptions } from './schema.js';
import type { HttpSocketParts } from './socket-parts.js';

/** How much of an error response body goes into the error text. */
const DETAIL_CHARS = 200;

export interface HttpBackendSpec {
  readonly socket: string;
  readonly parts: HttpSocketParts;
  readonly options: HttpOptions;
  readonly ctx: BackendContext;
}

/**
 * Webhooks: POSTs events as JSON records (with their `id`) through an undici
 * keep-alive pool. The bus retries what this calls retryable; Retry-After is
 * passed on as the least delay.
 */
export class HttpBackend implements Backend {
  readonly #spec: HttpBackendSpec;
  readonly #pool: Pool;
  readonly #path: string;
  readonly #serializer = new JsonLineSerializer('utc', { id: true });
  #closing: Promise<void> | undefined;

  constructor(spec: HttpBackendSpec) {
    this.#spec = spec;
    const { options, parts } = spec;
    this.#path = `${parts.url.pathname}${parts.url.search}`;
    this.#pool = new Pool(parts.url.origin, {
      connections: options.connections,
      keepAliveTimeout: options.keep_alive_ms,
      connectTimeout: options.timeout_ms,
      headersTimeout: options.timeout_ms,
      bodyTimeout: options.timeout_ms,
    });
  }

  /** Nothing to acquire up front: the pool connects on the first request. The signal aborting cuts requests in flight. */
  async open(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => {
      this.#closing ??= this.#pool.destroy().catch(() => undefined);
    }, { once: true });
  }

  async write(batch: readonly HeraldEvent[]): Promise<WriteResult> {
    if (this.#closing !== undefined) {
      return { status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', `${this.#spec.socket} is closed`) };
    }
    if (this.#spec.options.format === 'ndjson') {
      let body = '';
      for (const event of batch) body += `${this.#serializer.record(event)}\n`;
      return this.#post(body, 'application/x-ndjson');
    }
    return this.#postEach(batch);
  }

  /** One POST per event, `connections` at a time; a batch is retried whole if any was retryable. */
  async #postEach(batch: readonly HeraldEvent[]): Promise<WriteResult> {
    const results: WriteResult[] = new Array<WriteResult>(batch.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < batch.length) {
        const index = next++;
        results[index] = await this.#post(this.#serializer.record(batch[index]), 'application/json');
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#spec.options.connections, batch.length) }, worker));
    return combine(results);
  }

  async #post(body: string, contentType: string): Promise<WriteResult> {
    try {
      const response = await this.#pool.request({
        path: this.#path, method: 'POST', body,
        headers: { ...this.#spec.parts.headers, 'content-type': contentType },
      });
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      const detail = ok ? '' : (await response.body.text()).slice(0, DETAIL_CHARS);
      if (ok) await response.body.dump();
      const result = responseOutcome(this.#spec.socket, response.statusCode, response.headers['retry-after'], detail);
      if (result.status === 'failed') {
        this.#spec.ctx.logger.warn({ socket: this.#spec.socket, status: response.statusCode, detail }, 'The webhook refused events for good.');
      }
      return result;
    } catch (error) {
      // Connection refused or reset, timeouts: the server may be back later.
      return { status: 'retryable', error: new HeraldError('HERALD_ERR_PEER_UNAVAILABLE', `${this.#spec.socket}: ${toError(error).message}`, { cause: error }) };
    }
  }

  async flush(): Promise<void> {}

  close(): Promise<void> {
    this.#closing ??= this.#pool.close().catch(() => undefined);
    return this.#closing;
  }
}

/** Per-event results as one: any retryable → retry the batch; refusals → those events failed. */
function combine(results: readonly WriteResult[]): WriteResult {
  let retry: Extract<WriteResult, { status: 'retryable' }> | undefined;
  const refused: number[] = [];
  let refusal: Error | undefined;
  results.forEach((result, index) => {
    if (result.status === 'retryable') {
      if (retry === undefined || (result.retryAfterMs ?? 0) > (retry.retryAfterMs ?? 0)) retry = result;
    } else if (result.status === 'failed') {
      refused.push(index);
      refusal ??= result.error;
    }
  });
  if (retry !== undefined) return retry;
  if (refusal === undefined) return WRITE_OK;
  return { status: 'ok', refused: { indexes: refused, error: refusal } };
}
