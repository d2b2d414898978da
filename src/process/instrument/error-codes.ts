/**
 * Dovecot's internal HTTP client status codes (lib-http `enum
 * http_client_request_error`, from HTTP_RESPONSE_STATUS_INTERNAL = 9000): what
 * `http_request_finished` reports as `status_code` when no HTTP response came.
 */
export const HTTP_CLIENT_ERROR = Object.freeze({
  ABORTED: 9000,
  INVALID_URL: 9001,
  HOST_LOOKUP_FAILED: 9002,
  CONNECT_FAILED: 9003,
  INVALID_REDIRECT: 9004,
  CONNECTION_LOST: 9005,
  BROKEN_PAYLOAD: 9006,
  BAD_RESPONSE: 9007,
  TIMED_OUT: 9008,
});

const BY_CODE: Readonly<Record<string, number>> = {
  ENOTFOUND: HTTP_CLIENT_ERROR.HOST_LOOKUP_FAILED,
  EAI_AGAIN: HTTP_CLIENT_ERROR.HOST_LOOKUP_FAILED,
  EAI_FAIL: HTTP_CLIENT_ERROR.HOST_LOOKUP_FAILED,
  ECONNREFUSED: HTTP_CLIENT_ERROR.CONNECT_FAILED,
  EHOSTUNREACH: HTTP_CLIENT_ERROR.CONNECT_FAILED,
  ENETUNREACH: HTTP_CLIENT_ERROR.CONNECT_FAILED,
  EADDRNOTAVAIL: HTTP_CLIENT_ERROR.CONNECT_FAILED,
  UND_ERR_CONNECT_TIMEOUT: HTTP_CLIENT_ERROR.CONNECT_FAILED,
  ERR_INVALID_URL: HTTP_CLIENT_ERROR.INVALID_URL,
  ERR_INVALID_PROTOCOL: HTTP_CLIENT_ERROR.INVALID_URL,
  ERR_UNESCAPED_CHARACTERS: HTTP_CLIENT_ERROR.INVALID_URL,
  ECONNRESET: HTTP_CLIENT_ERROR.CONNECTION_LOST,
  EPIPE: HTTP_CLIENT_ERROR.CONNECTION_LOST,
  UND_ERR_SOCKET: HTTP_CLIENT_ERROR.CONNECTION_LOST,
  UND_ERR_CLOSED: HTTP_CLIENT_ERROR.CONNECTION_LOST,
  ETIMEDOUT: HTTP_CLIENT_ERROR.TIMED_OUT,
  UND_ERR_HEADERS_TIMEOUT: HTTP_CLIENT_ERROR.TIMED_OUT,
  UND_ERR_BODY_TIMEOUT: HTTP_CLIENT_ERROR.TIMED_OUT,
  ABORT_ERR: HTTP_CLIENT_ERROR.ABORTED,
  UND_ERR_ABORTED: HTTP_CLIENT_ERROR.ABORTED,
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: HTTP_CLIENT_ERROR.BROKEN_PAYLOAD,
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: HTTP_CLIENT_ERROR.BROKEN_PAYLOAD,
  UND_ERR_INFO: HTTP_CLIENT_ERROR.BAD_RESPONSE,
};

/** The innermost error: fetch rejects with `TypeError('fetch failed')` whose `cause` is the real one. */
export function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  return current;
}

/** Dovecot-style status for a request that failed without a response. */
export function httpErrorStatus(error: unknown): number {
  const root = rootCause(error) as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  const code = typeof root?.code === 'string' ? root.code : '';
  if (code in BY_CODE) return BY_CODE[code];
  if (code.startsWith('HPE_')) return HTTP_CLIENT_ERROR.BAD_RESPONSE;
  if (root?.name === 'AbortError' || root?.name === 'TimeoutError') {
    return root.name === 'TimeoutError' ? HTTP_CLIENT_ERROR.TIMED_OUT : HTTP_CLIENT_ERROR.ABORTED;
  }
  const message = typeof root?.message === 'string' ? root.message : '';
  if (/redirect/i.test(message)) return HTTP_CLIENT_ERROR.INVALID_REDIRECT;
  // fetch refuses some URLs itself ("bad port" for blocked ports, bad schemes).
  if (/bad port|invalid url|scheme/i.test(message)) return HTTP_CLIENT_ERROR.INVALID_URL;
  return HTTP_CLIENT_ERROR.CONNECTION_LOST;
}

/** libuv EAI_* errno → glibc EAI_* value, the `error_code` Dovecot's net_gethosterror() takes. */
const LIBUV_TO_GLIBC_EAI: Readonly<Record<number, number>> = {
  [-3000]: -9, // EAI_ADDRFAMILY
  [-3001]: -3, // EAI_AGAIN
  [-3002]: -1, // EAI_BADFLAGS
  [-3003]: -101, // EAI_CANCELED
  [-3004]: -4, // EAI_FAIL
  [-3005]: -6, // EAI_FAMILY
  [-3006]: -10, // EAI_MEMORY
  [-3007]: -5, // EAI_NODATA
  [-3008]: -2, // EAI_NONAME
  [-3009]: -12, // EAI_OVERFLOW
  [-3010]: -8, // EAI_SERVICE
  [-3011]: -7, // EAI_SOCKTYPE
};

/** `error_code` for a failed lookup: the getaddrinfo() code, or Node's errno when there is none. */
export function dnsErrorCode(error: NodeJS.ErrnoException): number {
  const errno = typeof error.errno === 'number' ? error.errno : 0;
  return LIBUV_TO_GLIBC_EAI[errno] ?? errno;
}
