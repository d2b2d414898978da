/**
 * What a reader that can wait (a TCP stream) asks of the queue it feeds: whether to pause,
 * and when to go on. Datagram readers cannot wait; they never look at it.
 */
export interface Backpressure {
  /** True while the queue is past its high-water mark. */
  readonly congested: boolean;
  /** Resolves once the queue is back under its low-water mark, or stops taking anything. */
  whenRelieved(): Promise<void>;
}
