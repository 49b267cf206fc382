// The PostgreSQL connection pool, with types parsed the way the API presents them, and timeouts so a
// slow, frozen or lost PostgreSQL fails a request instead of holding it.
import pg from 'pg';
import { PreparingClient } from './preparedStatements.ts';

// DATE stays 'YYYY-MM-DD': turning it into a JS Date would shift it by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// BIGINT (ids, counts) as numbers: none of ours comes near 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface DatabaseTimeouts {
  /** Connecting, or waiting for a free connection of the pool. */
  connectMs?: number;
  /** PostgreSQL cancels a statement running longer (statement_timeout; 57014). */
  statementMs?: number;
  /** PostgreSQL ends a session left idle inside a transaction (idle_in_transaction_session_timeout). */
  idleInTransactionMs?: number;
}

/**
 * How much longer than statement_timeout the client waits for an answer before it gives up on its own:
 * a PostgreSQL that is frozen or cut off cancels nothing.
 */
export const QUERY_TIMEOUT_MARGIN_MS = 2000;

/** The timeouts the server and the worker use, from their configuration. */
export function databaseTimeoutsOf(config: {
  DATABASE_CONNECT_TIMEOUT_MS: number;
  DATABASE_STATEMENT_TIMEOUT_MS: number;
  DATABASE_IDLE_TRANSACTION_TIMEOUT_MS: number;
}): DatabaseTimeouts {
  return {
    connectMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    statementMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    idleInTransactionMs: config.DATABASE_IDLE_TRANSACTION_TIMEOUT_MS,
  };
}

/**
 * A pool. Without `timeouts` nothing is limited: the CLI, the bulk ingester and the reindexer may run
 * long statements on purpose; the server and the worker pass databaseTimeoutsOf(config).
 */
export function createPool(
  connectionString: string,
  max = 10,
  onIdleError: (error: Error) => void = () => undefined,
  timeouts: DatabaseTimeouts = {},
): pg.Pool {
  const { connectMs, statementMs, idleInTransactionMs } = timeouts;
  const pool = new pg.Pool({
    connectionString,
    max,
    Client: PreparingClient,
    ...(connectMs ? { connectionTimeoutMillis: connectMs } : {}),
    ...(statementMs
      ? { statement_timeout: statementMs, query_timeout: statementMs + QUERY_TIMEOUT_MARGIN_MS }
      : {}),
    ...(idleInTransactionMs ? { idle_in_transaction_session_timeout: idleInTransactionMs } : {}),
  });
  // An idle connection cut by the server (a restart, DROP DATABASE … WITH (FORCE)) emits 'error' on
  // the pool, which would crash the process without a listener; the next query gets a new connection.
  pool.on('error', onIdleError);
  return pool;
}
