// Whether an error means "the database cannot be reached for now" (a restart, a failover, a full
// pool) rather than a bug: the error handler answers the first with a 503 the client may retry,
// the second with a 500 (problem-mapping.ts). Pure: it reads only the error's own fields.

/**
 * SQLSTATEs of a server that is going away or not there yet: 57P01 admin_shutdown (a fast or smart
 * shutdown ends every session), 57P02 crash_shutdown (another backend crashed, all are reset),
 * 57P03 cannot_connect_now (starting up, shutting down, in recovery). Class 08 (connection
 * exception) is matched as a class below. Not 57014 (query_canceled, a statement timeout): that is
 * this query's cost, and a retry would meet it again.
 */
const SERVER_GOING_AWAY = new Set(['57P01', '57P02', '57P03']);

/** The socket's errors when the server is not listening, went away, or does not answer. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']);

/**
 * node-postgres's own errors carry no code, only these messages (pg 8 client.js, pg-pool 3
 * index.js): the server closed the socket, the connection was not made within
 * `connectionTimeoutMillis`, a client that had a connection error was used again, and no pooled
 * client became free within `connectionTimeoutMillis`.
 */
const DRIVER_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
]);

/** True when `error` is the database being unavailable (connection-class), not a failed statement. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Read by shape, not `instanceof Error`: Node's socket errors come from another realm under a
  // test runner's VM, and pg's DatabaseError is matched by its code either way.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
  };
  if (typeof message !== 'string') return false;
  // Node's multi-address connect (a host name with IPv4 and IPv6 addresses) fails with every
  // address's error at once.
  if (Array.isArray(errors) && errors.length > 0 && (error as Error).name === 'AggregateError')
    return errors.every(isDatabaseUnavailable);
  if (typeof code === 'string') {
    if (/^08[0-9A-Z]{3}$/.test(code) || SERVER_GOING_AWAY.has(code)) return true;
    if (SOCKET_CODES.has(code)) return true;
  }
  return code === undefined && DRIVER_MESSAGES.has(message);
}
