/**
 * One broker in `npm run bench -- brokers`: a module under bench/brokers/ exporting a
 * BrokerCase, listed once in bench/brokers.ts. The harness raises the same events through
 * Herald's backend (`socket`) and gives the same bodies to `rawPublish`; then it times
 * `rawConsume` against Herald's source (`heraldConsume`) over the same published bodies.
 */
export interface BrokerCase {
  readonly name: string;
  /** Starts what the case needs (a private server, a stream); returns undefined to run, or why it is skipped. */
  prepare(): Promise<string | undefined>;
  /** The subscriber socket of Herald's backend for this broker (same ack mode as rawPublish). */
  socket(): string;
  /** The same client publishing `bodies` with the same acknowledgement mode, awaiting every ack. */
  rawPublish(bodies: readonly string[]): Promise<void>;
  /** Reads and acks `count` messages with the bare client (leave undefined while the source is not there). */
  rawConsume?(count: number): Promise<void>;
  /** Herald's source consuming and acking `count` messages into a bus. */
  heraldConsume?(count: number): Promise<void>;
  /** Publishes `bodies` for the consume runs (not timed). */
  seed?(bodies: readonly string[]): Promise<void>;
  cleanup(): Promise<void>;
}
