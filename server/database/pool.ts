// The PostgreSQL connection pool, with types parsed the way the API presents them.
import pg from 'pg';
import { PreparingClient } from './preparedStatements.ts';

// DATE stays 'YYYY-MM-DD': turning it into a JS Date would shift it by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// BIGINT (ids, counts) as numbers: none of ours comes near 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function createPool(
  connectionString: string,
  max = 10,
  onIdleError: (error: Error) => void = () => undefined,
): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, Client: PreparingClient });
  // An idle connection cut by the server (a restart, DROP DATABASE … WITH (FORCE)) emits 'error' on
  // the pool, which would crash the process without a listener; the next query gets a new connection.
  pool.on('error', onIdleError);
  return pool;
}
