/** Registers `listener` for a client's one "connected" signal; returns what removes it. */
export type OnConnected = (listener: () => void) => () => void;

/**
 * Whether the client signals it is connected within `ms`. A broker backend's write
 * waits this long for a reconnect under way rather than failing a batch a moment
 * before the connection is back; a dead broker costs at most `ms`.
 */
export function connectedWithin(onConnected: OnConnected, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const remove = onConnected(() => {
      clearTimeout(timer);
      resolve(true);
    });
    const timer = setTimeout(() => {
      remove();
      resolve(false);
    }, ms);
  });
}
