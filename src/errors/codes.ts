/**
 * Every stable error code Herald raises, with what it means and what the operator
 * should do. This list is the source of `HeraldErrorCode`, `herald errors` and
 * docs/errors.md; test/errors/codes.test.ts fails when src/ uses a code not listed
 * here or lists one nothing uses. Codes are never renamed or reused: scripts match on them.
 */
export interface ErrorCodeInfo {
  /** One line: which failure this code stands for. */
  readonly meaning: string;
  /** One line: what the operator (or the calling script) should do about it. */
  readonly action: string;
}

export const ERROR_CODES = {
  HERALD_ERR_CONFIG: {
    meaning: 'The configuration (herald.yaml, an environment variable or a value given at run time) is invalid; the message names the key path.',
    action: 'Fix the named key; `herald config` checks a file without starting anything.',
  },
  HERALD_ERR_LISTEN: {
    meaning: 'A listener (MI, metrics scrape port, HEP/SIP collector, HTTP or OpenSIPS ingest) could not bind its address; the message names the config key, the address and the OS reason (EADDRINUSE, EACCES…).',
    action: 'Free the port or pick another address for the named key; ports below 1024 need privileges.',
  },
  HERALD_ERR_SLOT_MISSING: {
    meaning: 'A service needs a slot that no enabled service provides; the message names both.',
    action: 'Enable the providing service named in the message, or disable the service that needs it.',
  },
  HERALD_ERR_SERVICE_CYCLE: {
    meaning: 'Services wait on each other in a cycle, so no start order exists; the message names the cycle.',
    action: 'A bug in a service declaration: report it with the message.',
  },
  HERALD_ERR_UNKNOWN_EVENT: {
    meaning: 'An event name is not in the catalogue.',
    action: 'Check the spelling against `herald events`.',
  },
  HERALD_ERR_DUPLICATE_EVENT: {
    meaning: 'Two different event definitions share one name.',
    action: 'Rename one of the events in the pack that defines it.',
  },
  HERALD_ERR_INVALID_PARAMS: {
    meaning: 'Parameters given to an event or a command are missing, of the wrong type, or clash with existing state.',
    action: 'Correct the parameters the message names; `herald events` lists each event\'s params.',
  },
  HERALD_ERR_BAD_SOCKET: {
    meaning: 'A subscriber socket (transport:address?options) does not parse, or its options or path are invalid.',
    action: 'Fix the socket text as the message says; docs/backends/ lists each transport\'s options.',
  },
  HERALD_ERR_UNKNOWN_TRANSPORT: {
    meaning: 'A socket names a transport no backend provides.',
    action: 'Use one of the transports the message lists.',
  },
  HERALD_ERR_SUBSCRIBE: {
    meaning: 'A subscription request is malformed (event and filter, expiry) or its spool cannot be opened.',
    action: 'Correct the subscription as the message says, or fix the spool directory\'s permissions.',
  },
  HERALD_ERR_FILTER_SYNTAX: {
    meaning: 'Filter text does not parse; the message gives the offset and what was expected.',
    action: 'Fix the filter; docs/filters.md has the grammar.',
  },
  HERALD_ERR_PATH_NOT_ALLOWED: {
    meaning: 'A file path lies outside the directories the configuration allows.',
    action: 'Use a path under the configured roots, or widen the roots in herald.yaml.',
  },
  HERALD_ERR_NOT_ALLOWED: {
    meaning: 'A destination (host, port or URL) is not allowed by the configuration.',
    action: 'Use an allowed destination, or add it to the allow list the message names.',
  },
  HERALD_ERR_LIMIT: {
    meaning: 'A configured limit was reached (subscriptions, queued tasks) or the pool is closed.',
    action: 'Retry later, remove what is no longer needed, or raise the limit the message names.',
  },
  HERALD_ERR_NOT_FOUND: {
    meaning: 'The named thing (trace id, store, table, subscription) does not exist.',
    action: 'Check the name; the list commands show what exists.',
  },
  HERALD_ERR_UNKNOWN_STATUS: {
    meaning: 'A status group or identifier is not registered.',
    action: 'List what exists with `herald status`.',
  },
  HERALD_ERR_DUPLICATE_COMMAND: {
    meaning: 'Two services registered the same MI command name.',
    action: 'A bug in a service or plugin: report it with the message.',
  },
  HERALD_ERR_BUS_CLOSED: {
    meaning: 'The bus is shutting down and takes no new subscriptions.',
    action: 'Expected during shutdown; retry against the restarted daemon.',
  },
  HERALD_ERR_BACKEND_CLOSED: {
    meaning: 'A backend or store was written to after it closed.',
    action: 'Expected during shutdown or unsubscribe; otherwise report it.',
  },
  HERALD_ERR_WRITE_TIMEOUT: {
    meaning: 'A backend write, or a peer\'s reply, did not settle within its timeout.',
    action: 'Check the destination\'s health; the batch is retried as the subscriber\'s policy says.',
  },
  HERALD_ERR_PEER_UNAVAILABLE: {
    meaning: 'A network peer could not be reached or closed the connection (retryable).',
    action: 'Check that the destination is up and reachable; delivery retries by itself.',
  },
  HERALD_ERR_PEER_REFUSED: {
    meaning: 'A network peer answered the batch with an error (HTTP 4xx, an error reply): not retried.',
    action: 'Read the peer\'s answer in the message and fix the destination or the payload.',
  },
  HERALD_ERR_EVENT_TOO_LARGE: {
    meaning: 'An event does not fit the transport (a datagram larger than the limit) and was dropped.',
    action: 'Use a stream transport (tcp:, http:) for large events, or shrink the event.',
  },
} as const satisfies Record<`HERALD_ERR_${string}`, ErrorCodeInfo>;

/** A stable Herald error code; anything not in ERROR_CODES is a type error. */
export type HeraldErrorCode = keyof typeof ERROR_CODES;

/** The codes in list order (the order of docs/errors.md and `herald errors`). */
export function errorCodes(): readonly HeraldErrorCode[] {
  return Object.keys(ERROR_CODES) as HeraldErrorCode[];
}
