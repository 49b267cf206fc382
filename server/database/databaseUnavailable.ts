// Whether an error means PostgreSQL is slow, frozen or out of reach (then the request may be sent again
// later), as opposed to a fault in the request or in our code. pg gives some of these no code, only a
// message, so those are matched by their words.

/**
 * SQLSTATEs of a statement cut short or a connection lost or refused. Named one by one, not by class: a
 * class also holds our own faults (08P01 protocol_violation is what a statement sent with fewer
 * parameters than it has gets back), and a bug answered 503 "try again" would never be looked at.
 */
const UNAVAILABLE_STATES = new Set([
  '57014', // query_canceled: statement_timeout
  '25P03', // idle_in_transaction_session_timeout
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '08007', // transaction_resolution_unknown
]);

/** pg's and pg-pool's own errors, which carry no code. */
const UNAVAILABLE_MESSAGES = [
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

/** Node's errors on the socket to PostgreSQL. */
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, syscall } = error as Error & { code?: unknown; syscall?: unknown };
  if (typeof code === 'string') {
    if (UNAVAILABLE_STATES.has(code)) return true;
    // ENOENT and the like only when connecting (a missing Unix socket), never a missing file of ours.
    if (syscall === 'connect' || (SOCKET_ERRORS.has(code) && (syscall === 'read' || syscall === 'write')))
      return true;
  }
  return UNAVAILABLE_MESSAGES.includes(error.message);
}
