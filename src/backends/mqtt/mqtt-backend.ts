import { connect, type MqttClient } from 'mqtt';
import { WRITE_OK, type Backend, type BackendContext, type WriteResult } from '../../bus/backend.js';
import { HeraldError, toError } from '../../errors/herald-error.js';
import type { HeraldEvent } from '../../events/event.js';
import { brokerBodyEncoder } from '../shared/broker-body.js';
import { connectedWithin } from '../shared/connected-within.js';
import type { BrokerUrl } from '../shared/broker-url.js';
import type { MqttOptions } from './schema.js';

export interface MqttBackendSpec {
  readonly socket: string;
  readonly url: BrokerUrl;
  readonly topic: (event: HeraldEvent) => string;
  readonly options: MqttOptions;
  readonly ctx: BackendContext;
}

/**
 * Publishes each event to an MQTT topic through mqtt.js. With QoS 1/2 an event is
 * delivered only when the broker acknowledged it (PUBACK/PUBCOMP). While the broker
 * is away a write waits at most `connect_timeout_ms` for the connection, then is
 * retryable (nothing is parked in mqtt.js's offline queue, so a dead broker never
 * holds a batch longer); the client reconnects by itself.
 */
export class MqttBackend implements Backend {
  readonly #spec: MqttBackendSpec;
  readonly #body: (event: HeraldEvent) => string;
  #client: MqttClient | undefined;
  #closing: Promise<void> | undefined;

  constructor(spec: MqttBackendSpec) {
    this.#spec = spec;
    this.#body = brokerBodyEncoder(spec.options.format);
  }

  /** Starts connecting; like OpenSIPS, a subscribe succeeds while the broker is down. */
  async open(signal: AbortSignal): Promise<void> {
    this.#client = this.#connect();
    signal.addEventListener('abort', () => {
      this.#closing ??= this.#end();
    }, { once: true });
  }

  #connect(): MqttClient {
    const { url, options } = this.#spec;
    const client = connect({
      protocol: url.tls ? 'mqtts' : 'mqtt', host: url.host, port: url.port,
      username: url.username, password: url.password,
      clientId: options.client_id === '' ? undefined : options.client_id,
      clean: options.clean,
      connectTimeout: options.connect_timeout_ms,
      reconnectPeriod: options.reconnect_ms,
      queueQoSZero: false,
    });
    client.on('error', (error) => {
      this.#spec.ctx.logger.debug({ err: error, socket: this.#spec.socket }, 'The MQTT connection failed; reconnecting.');
    });
    return client;
  }

  /**
   * A batch the broker did not acknowledge goes back to the bus, which owns retries. The
   * client is replaced so that mqtt.js does not also resend the same messages from its
   * own store after a reconnect, which would double them behind the bus's retry.
   */
  #replaceClient(old: MqttClient): void {
    if (this.#client !== old || this.#closing !== undefined) return;
    void old.endAsync(true).catch(() => undefined);
    this.#client = this.#connect();
  }

  #end(): Promise<void> {
    return this.#client === undefined ? Promise.resolve() : this.#client.endAsync(true).catch(() => undefined);
  }

  async write(batch: readonly HeraldEvent[]): Promise<WriteResult> {
    const client = this.#client;
    if (client === undefined || this.#closing !== undefined) {
      return { status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', `${this.#spec.socket} is closed`) };
    }
    if (!client.connected && !(await connectedWithin((listener) => {
      client.once('connect', listener);
      return () => client.removeListener('connect', listener);
    }, this.#spec.options.connect_timeout_ms))) {
      return { status: 'retryable', error: new HeraldError('HERALD_ERR_PEER_UNAVAILABLE', `${this.#spec.socket}: not connected to the MQTT broker`) };
    }
    const { qos, retain, timeout_ms: timeoutMs } = this.#spec.options;
    const acks = Promise.all(batch.map((event) => client.publishAsync(this.#spec.topic(event), this.#body(event), { qos, retain })));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Error>((resolve) => {
      timer = setTimeout(() => resolve(new HeraldError('HERALD_ERR_WRITE_TIMEOUT', `${this.#spec.socket}: the broker did not acknowledge the batch within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const outcome = await Promise.race([acks.then(() => undefined, (error: unknown) => toError(error)), timeout]);
      if (outcome === undefined) return WRITE_OK;
      this.#replaceClient(client);
      return { status: 'retryable', error: outcome };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Every write already waited for its acknowledgements. */
  async flush(): Promise<void> {}

  close(): Promise<void> {
    // Force: no write is in flight when the bus closes, and a dead broker must not hold the close.
    this.#closing ??= this.#end();
    return this.#closing;
  }
}
